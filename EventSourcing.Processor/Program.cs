using EventSourcing.Core.Aggregates;
using EventSourcing.Core.Caching;
using EventSourcing.Core.Domain;
using EventSourcing.Core.Events;
using EventSourcing.Core.Processing;
using EventSourcing.Core.ReadModels;
using EventSourcing.Core.ReadModels.Replay;
using EventSourcing.Core.Schema;
using EventSourcing.Core.Snapshots;
using EventSourcing.Processor.Processing;
using EventSourcing.Processor.Replay;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddEventStoreSchema();
var options = new ProcessorOptions(
    Math.Clamp(builder.Configuration.GetValue("PROCESSING_WORKERS", 10), 1, 256),
    builder.Configuration["CONSUMER_GROUP"] ?? "event-sourcing-aggregates");
// Each worker lane holds one connection for its transaction; a few more serve snapshots, retries, status and replays.
builder.AddNpgsqlDataSource("eventstore", configureDataSourceBuilder: dataSource =>
    dataSource.ConnectionStringBuilder.MaxPoolSize = builder.Configuration.GetValue("EventStore:MaxPoolSize", options.Workers + 6));
builder.AddRedisClient("redis", configureOptions: RedisConnectionOptions.Configure);
builder.TreatAsOptional("Redis");
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
builder.AddKafkaProducer<string, byte[]>("kafka");

builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton(options);
builder.Services.AddSingleton(new ProcessingSettings(
    builder.Configuration.GetValue("SNAPSHOT_INTERVAL", 100),
    builder.Configuration.GetValue("Processing:MaxAttempts", 5),
    TimeSpan.FromMilliseconds(builder.Configuration.GetValue("Processing:FirstRetryDelayMs", 1000))));
builder.Services.AddSingleton(DomainCatalog.Default);
foreach (var projection in ReadModelCatalog.All)
{
    builder.Services.AddSingleton(projection);
}

builder.Services.AddSingleton<EventReader>();
builder.Services.AddSingleton(new SnapshotRetention(builder.Configuration.GetValue("SNAPSHOT_RETENTION", SnapshotRetention.Default.Keep)));
builder.Services.AddSingleton<SnapshotStore>();
builder.Services.AddSingleton<AggregateStateReader>();
builder.Services.AddSingleton<ProcessingMetrics>();
builder.Services.AddSingleton<ActiveAggregates>();
builder.Services.AddSingleton<EventProjector>();
builder.Services.AddSingleton<ProcessingPipeline>();
builder.Services.AddSingleton<ProcessorState>();
builder.Services.AddHostedService<KafkaEventConsumer>();
builder.Services.AddHostedService<RetryWorker>();
builder.Services.AddSingleton<ReadModelCacheUpdater>();
builder.Services.AddSingleton<ReplayStore>();
builder.Services.AddSingleton<ReadModelReplayer>();
builder.Services.AddHostedService<ReplayWorker>();
builder.Services.AddHostedService<StatusReporter>();

var app = builder.Build();

app.MapDefaultEndpoints();

app.Run();
