using System.Collections.Concurrent;
using Aspire.Hosting.Testing;
using EventSourcing.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EventSourcing.Tests.Infrastructure;

/// <summary>
/// <see cref="EventSourcingClient"/>s against the graph's API, registered the way a game service registers one
/// (<c>AddEventSourcingClient</c>, its resilience pipeline included), with tokens the API accepts.
/// </summary>
public static class GraphClients
{
    private static readonly ConcurrentBag<IHost> Hosts = [];

    /// <summary>
    /// A client with <paramref name="scopes"/> (all when none) that never retries; <paramref name="configure"/> may change
    /// its settings (retries included) and pipeline.
    /// </summary>
    public static EventSourcingClient Client(this GraphFixture graph, string[]? scopes = null, Action<HostApplicationBuilder>? configure = null)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        var api = graph.App.GetEndpoint("api", "http");
        builder.AddEventSourcingClient("api", settings =>
        {
            settings.BaseAddress = api;
            settings.Token = ApiClient.Token(scopes ?? []);
            // A test makes exactly the requests it says: a 5xx or a timeout fails it instead of being retried away
            // (the client's retries are tested on their own, with retries turned on in configure).
            settings.MaxRetries = 0;
            // Two cores run the graph and the tests: a slow attempt is waited for.
            settings.AttemptTimeout = TimeSpan.FromSeconds(30);
            settings.TotalTimeout = TimeSpan.FromMinutes(2);
        });
        configure?.Invoke(builder);
        var host = builder.Build();
        Hosts.Add(host);
        return host.Services.GetRequiredService<EventSourcingClient>();
    }

    /// <summary>Called when the graph stops: the clients' hosts go with it.</summary>
    public static void DisposeAll()
    {
        while (Hosts.TryTake(out var host))
        {
            host.Dispose();
        }
    }
}
