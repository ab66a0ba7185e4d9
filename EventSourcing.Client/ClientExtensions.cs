using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace EventSourcing.Client;

public static class ClientExtensions
{
    /// <summary>
    /// Registers <see cref="EventSourcingClient"/>: the API found by service discovery under <paramref name="serviceName"/>
    /// (<c>https+http://api</c>) or at <c>EventSourcing:Client:BaseAddress</c>, a bearer token from configuration or a
    /// provider, and retries of 503s and transient failures with backoff. Appends are retried safely: the client gives
    /// every event its eventId before the first attempt, so a retry is an idempotent repeat, never a second event.
    /// </summary>
    public static IHostApplicationBuilder AddEventSourcingClient(this IHostApplicationBuilder builder, string serviceName = "api",
        Action<EventSourcingClientSettings>? configure = null)
    {
        var options = builder.Services.AddOptions<EventSourcingClientSettings>()
            .Bind(builder.Configuration.GetSection(EventSourcingClientSettings.SectionName));
        if (configure is not null)
        {
            options.Configure(configure);
        }

        builder.Services.AddServiceDiscovery();
        builder.Services.AddTransient<BearerTokenHandler>();
        var client = builder.Services.AddHttpClient<EventSourcingClient>((services, http) =>
            {
                var settings = services.GetRequiredService<IOptions<EventSourcingClientSettings>>().Value;
                http.BaseAddress = settings.BaseAddress ?? new Uri($"https+http://{serviceName}");
                // The resilience pipeline owns timeouts.
                http.Timeout = Timeout.InfiniteTimeSpan;
            });
        // One retry policy, ours: a service's defaults (Aspire's AddStandardResilienceHandler for every client) would
        // otherwise wrap it and multiply the attempts.
#pragma warning disable EXTEXP0001 // Experimental in Http.Resilience 10.x, and the documented way to replace the defaults' handler.
        client.RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
        client.AddResilienceHandler("event-sourcing", (pipeline, context) =>
            {
                var settings = context.ServiceProvider.GetRequiredService<IOptions<EventSourcingClientSettings>>().Value;
                pipeline.AddTimeout(settings.TotalTimeout);
                if (settings.MaxRetries > 0)
                {
                    pipeline.AddRetry(new HttpRetryStrategyOptions
                    {
                        MaxRetryAttempts = settings.MaxRetries,
                        BackoffType = DelayBackoffType.Exponential,
                        UseJitter = true,
                        Delay = TimeSpan.FromMilliseconds(200),
                        // 503 (store unavailable, Retry-After honoured), other 5xx, 408, 429, timeouts and lost connections.
                        ShouldHandle = args => ValueTask.FromResult(HttpClientResiliencePredicates.IsTransient(args.Outcome)),
                    });
                }

                pipeline.AddTimeout(settings.AttemptTimeout);
            });
        // Inside the retries: every attempt gets the provider's current token.
        client.AddHttpMessageHandler<BearerTokenHandler>();
        // Innermost: every attempt resolves the service name again (another replica after a failure).
        client.AddServiceDiscovery();
        return builder;
    }

}
