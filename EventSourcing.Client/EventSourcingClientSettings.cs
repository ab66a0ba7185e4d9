namespace EventSourcing.Client;

/// <summary>
/// How the client reaches the API, bound from the <c>EventSourcing:Client</c> configuration section (then the
/// <c>configure</c> callback of <see cref="ClientExtensions.AddEventSourcingClient"/>).
/// </summary>
public sealed class EventSourcingClientSettings
{
    public const string SectionName = "EventSourcing:Client";

    /// <summary>The API's address; null: the service-discovery name given to AddEventSourcingClient (https+http://api).</summary>
    public Uri? BaseAddress { get; set; }

    /// <summary>A bearer token with the scopes the calls need (events:read, events:write, events:admin).</summary>
    public string? Token { get; set; }

    /// <summary>Where to get a token for each request instead (a token service, a cache): wins over <see cref="Token"/>.</summary>
    public Func<CancellationToken, ValueTask<string>>? TokenProvider { get; set; }

    /// <summary>How long one attempt may take before it counts as failed and is retried.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a call may take in all, retries included.</summary>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Retries of a 503, a 5xx, a timeout or a lost connection (with exponential backoff and jitter); 0 turns them off.</summary>
    public int MaxRetries { get; set; } = 5;
}
