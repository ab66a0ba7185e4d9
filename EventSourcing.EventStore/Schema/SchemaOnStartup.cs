using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EventSourcing.EventStore.Schema;

/// <summary>
/// Where no migration runner runs first (a deployment from the manifest, which has no run-once jobs and no start
/// order), the services bring the schema up themselves before they start work: <c>EventStore:MigrateOnStartup</c>.
/// Runners queue on an advisory lock and a run with nothing new changes nothing, so every replica may do it.
/// </summary>
public sealed class SchemaOnStartup(IConfiguration configuration, ILogger<SchemaOnStartup> logger) : IHostedService
{
    public const string MigrateOnStartupKey = "EventStore:MigrateOnStartup";

    /// <summary>Hosted services start one after another, and the web server last: nothing runs before this returns.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!configuration.GetValue<bool>(MigrateOnStartupKey))
        {
            return;
        }

        var connectionString = configuration.GetConnectionString("eventstore")
            ?? throw new InvalidOperationException("ConnectionStrings:eventstore is not set.");
        var applied = await new SchemaMigrator(connectionString, logger).MigrateWhenReachableAsync(cancellationToken);
        logger.LogInformation("Schema is up to date; applied {Count} migration(s) on startup", applied.Count);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

public static class SchemaExtensions
{
    /// <summary>
    /// The event store's schema: <c>event_store</c>, fixed (the seed's EVENT_STORE_SCHEMA may only name it). Register
    /// before any service that uses the store, so that <see cref="SchemaOnStartup"/> runs first.
    /// </summary>
    public static IHostApplicationBuilder AddEventStoreSchema(this IHostApplicationBuilder builder)
    {
        if (builder.Configuration["EVENT_STORE_SCHEMA"] is { Length: > 0 } schema && schema != SchemaMigrator.Schema)
        {
            throw new InvalidOperationException(
                $"EVENT_STORE_SCHEMA is '{schema}', but the event store's schema is '{SchemaMigrator.Schema}' and cannot be changed; unset it.");
        }

        builder.Services.AddHostedService<SchemaOnStartup>();
        return builder;
    }
}
