using EventSourcing.Domain.Aggregates;
using EventSourcing.Domain.Appending;
using EventSourcing.Domain.Processing;
using EventSourcing.EventStore.Aggregates;
using EventSourcing.EventStore.Appending;
using EventSourcing.EventStore.Processing;
using EventSourcing.EventStore.Reading;
using EventSourcing.EventStore.ReadModels;
using EventSourcing.EventStore.Replays;
using EventSourcing.EventStore.Schema;
using EventSourcing.EventStore.Snapshots;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace EventSourcing.EventStore;

/// <summary>How a service takes the event store in: the schema first, then the data source and the stores.</summary>
public static class EventStoreComposition
{
    /// <summary>
    /// The schema (applied on startup where configured), the <c>eventstore</c> data source and every store on it: reads,
    /// aggregate states and snapshots, read models, processing status, the replay queue.
    /// </summary>
    /// <param name="maxPoolSize">Connections at most (<c>EventStore:MaxPoolSize</c> overrides it).</param>
    public static IHostApplicationBuilder AddEventStore(this IHostApplicationBuilder builder, int maxPoolSize)
    {
        builder.AddEventStoreSchema();
        builder.AddNpgsqlDataSource("eventstore", configureDataSourceBuilder: dataSource =>
        {
            dataSource.ConnectionStringBuilder.MaxPoolSize = builder.Configuration.GetValue("EventStore:MaxPoolSize", maxPoolSize);
            // pg_stat_activity names the instance behind each connection ("EventSourcing.Api 4711"): with replicas, which
            // one holds the relay's lock or a slow query. A name the connection string gives is kept.
            dataSource.ConnectionStringBuilder.ApplicationName ??= $"{builder.Environment.ApplicationName} {Environment.ProcessId}";
        });

        var services = builder.Services;
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(DomainCatalog.Default);
        services.AddSingleton(new SnapshotRetention(builder.Configuration.GetValue("SNAPSHOT_RETENTION", SnapshotRetention.Default.Keep)));
        services.AddSingleton(new RetryPolicy(
            builder.Configuration.GetValue("Processing:MaxAttempts", RetryPolicy.Default.MaxAttempts),
            TimeSpan.FromMilliseconds(builder.Configuration.GetValue("Processing:FirstRetryDelayMs", RetryPolicy.Default.FirstDelay.TotalMilliseconds))));
        services.AddSingleton<EventReader>();
        services.AddSingleton<EventStatistics>();
        services.AddSingleton<SnapshotStore>();
        services.AddSingleton<AggregateStateReader>();
        services.AddSingleton<ReadModelStore>();
        services.AddSingleton<ProcessingStatusStore>();
        services.AddSingleton<ReplayStore>();
        return builder;
    }

    /// <summary>
    /// The seed's "event store integrity" health check, run every <c>EventStore:IntegrityCheckSeconds</c> (30) by the
    /// service that owns the append path.
    /// </summary>
    public static IHostApplicationBuilder AddEventStoreIntegrityCheck(this IHostApplicationBuilder builder)
    {
        var interval = TimeSpan.FromSeconds(builder.Configuration.GetValue("EventStore:IntegrityCheckSeconds", 30));
        builder.Services.AddSingleton(sp => new EventStoreIntegrity(sp.GetRequiredService<NpgsqlDataSource>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<EventStoreIntegrity>>(), interval));
        builder.Services.AddHostedService(sp => sp.GetRequiredService<EventStoreIntegrity>());
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(EventStoreIntegrity.Name,
            sp => sp.GetRequiredService<EventStoreIntegrity>(), HealthStatus.Unhealthy, ["ready"]));
        return builder;
    }

    /// <summary>
    /// Appends: requests parsed and validated against the domain catalog, stored by the group-commit writer; the events'
    /// GIN pending lists merged off its path.
    /// </summary>
    public static IHostApplicationBuilder AddAppendPath(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<IEventPayloadValidator>(sp => sp.GetRequiredService<DomainCatalog>());
        builder.Services.AddSingleton<AppendRequestParser>();
        builder.Services.AddSingleton<EventStoreMetrics>();
        builder.Services.AddSingleton<EventAppender>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<EventAppender>());
        builder.AddGinPendingLists(GinPendingLists.EventIndexes);
        return builder;
    }

    /// <summary>Merges the pending lists of the GIN indexes this service writes, off its write path.</summary>
    public static IHostApplicationBuilder AddGinPendingLists(this IHostApplicationBuilder builder, string[] indexes)
    {
        builder.Services.AddSingleton(sp => new GinPendingLists(sp.GetRequiredService<NpgsqlDataSource>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<GinPendingLists>>(), indexes));
        builder.Services.AddHostedService(sp => sp.GetRequiredService<GinPendingLists>());
        return builder;
    }
}
