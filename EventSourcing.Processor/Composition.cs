using EventSourcing.Caching;
using EventSourcing.Domain.Events;
using EventSourcing.Domain.Processing;
using EventSourcing.Domain.ReadModels;
using EventSourcing.EventStore;
using EventSourcing.EventStore.Schema;
using EventSourcing.EventStore.Snapshots;
using EventSourcing.Processor.Processing;
using EventSourcing.Processor.Replay;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace EventSourcing.Processor;

/// <summary>The processor's parts, as Program.cs composes them.</summary>
public static class Composition
{
    public static ProcessorOptions ReadProcessorOptions(this IHostApplicationBuilder builder) => new(
        Math.Clamp(builder.Configuration.GetValue("PROCESSING_WORKERS", 10), 1, 256),
        builder.Configuration["CONSUMER_GROUP"] ?? EventTopics.DefaultConsumerGroup);

    /// <summary>
    /// The read models: every projection of the catalog, applied by the projector with the processing status in one
    /// transaction, written through to Redis (optional), snapshots every SNAPSHOT_INTERVAL versions, the read models' GIN
    /// pending list merged off the projectors' path.
    /// </summary>
    public static IHostApplicationBuilder AddProjections(this IHostApplicationBuilder builder)
    {
        builder.AddRedisClient("redis", configureOptions: RedisConnectionOptions.Configure);
        builder.TreatAsOptional("Redis");
        builder.Services.AddSingleton<CacheCircuit>();
        foreach (var projection in ReadModelCatalog.All)
        {
            builder.Services.AddSingleton(projection);
        }

        builder.Services.AddSingleton(new SnapshotPolicy(
            builder.Configuration.GetValue("SNAPSHOT_INTERVAL", 100),
            TimeSpan.FromSeconds(builder.Configuration.GetValue("SNAPSHOT_MAX_AGE", 3600))));
        builder.Services.AddSingleton<TimedSnapshots>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<TimedSnapshots>());
        builder.Services.AddSingleton<ProcessingMetrics>();
        builder.Services.AddSingleton<ActiveAggregates>();
        builder.Services.AddSingleton<EventProjector>();
        builder.Services.AddSingleton<ReadModelCacheUpdater>();
        builder.AddGinPendingLists(GinPendingLists.ReadModelIndexes);
        // The seed's series on /metrics from the first scrape.
        builder.Services.AddMetricsFromStart<ProcessingMetrics>();
        builder.Services.AddMetricsFromStart<SnapshotStore>();
        return builder;
    }

    /// <summary>
    /// The consumer group on events.*: batches run in PROCESSING_WORKERS lanes, failures are retried with backoff and
    /// dead-lettered to events.dlq; the instance reports its lag and workers every second.
    /// </summary>
    public static IHostApplicationBuilder AddKafkaProcessing(this IHostApplicationBuilder builder, ProcessorOptions options)
    {
        builder.AddKafkaConsumer<string, byte[]>("kafka", consumer =>
        {
            consumer.GroupId = options.ConsumerGroup;
            // The 45 s default makes every rebalance (a restart, a second instance) stall processing for that long.
            consumer.SessionTimeoutMs = 6000;
            consumer.HeartbeatIntervalMs = 2000;
            // An empty fetch waits this long; the default 500 ms would dominate end-to-end latency.
            consumer.FetchWaitMaxMs = 10;
            // Topics of new aggregate types appear while we run: look for them often.
            consumer.TopicMetadataRefreshIntervalMs = 5000;
        });
        // For the dead-letter topic.
        builder.AddKafkaProducer<string, byte[]>("kafka");
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton<ProcessingProgress>();
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(ProcessingWorkersHealthCheck.Name,
            sp => new ProcessingWorkersHealthCheck(sp.GetRequiredService<ProcessingProgress>(), options,
                TimeSpan.FromSeconds(builder.Configuration.GetValue("Processing:StallAfterSeconds", 60))),
            HealthStatus.Unhealthy, ["ready"]));
        builder.Services.AddSingleton<ProcessingPipeline>();
        builder.Services.AddSingleton<ProcessorState>();
        builder.Services.AddHostedService<KafkaEventConsumer>();
        builder.Services.AddHostedService<RetryWorker>();
        builder.Services.AddHostedService<StatusReporter>();
        return builder;
    }

    /// <summary>The read-model replays the API queues, rebuilt blue/green by whichever instance claims them.</summary>
    public static IHostApplicationBuilder AddReplays(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ReadModelReplayer>();
        builder.Services.AddHostedService<ReplayWorker>();
        return builder;
    }
}
