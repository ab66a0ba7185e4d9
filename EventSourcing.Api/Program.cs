using EventSourcing.Api.Aggregates;
using EventSourcing.Api.Analytics;
using EventSourcing.Api.Caching;
using EventSourcing.Api.Events;
using EventSourcing.Api.Http;
using EventSourcing.Api.Processing;
using EventSourcing.Api.ReadModels;
using EventSourcing.Api.Security;
using EventSourcing.Core.Aggregates;
using EventSourcing.Core.Caching;
using EventSourcing.Core.Domain;
using EventSourcing.Core.Events;
using EventSourcing.Core.Outbox;
using EventSourcing.Core.ReadModels;
using EventSourcing.Core.ReadModels.Replay;
using EventSourcing.Core.Schema;
using EventSourcing.Core.Snapshots;
using Scalar.AspNetCore;

var builder = WebApplication.CreateBuilder(args);
if (DevTokens.TryRunCommand(args, builder.Configuration))
{
    return;
}

// The seed's PORT, when the service runs on its own (the AppHost assigns the URL otherwise).
if (builder.Configuration["PORT"] is { Length: > 0 } port && string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_URLS"]))
{
    builder.WebHost.UseUrls($"http://+:{port}");
}

builder.AddServiceDefaults();
builder.AddEventStoreSchema();
// A small pool: on our 2-core machines more PostgreSQL backends means less throughput, not more.
builder.AddNpgsqlDataSource("eventstore", configureDataSourceBuilder: dataSource =>
    dataSource.ConnectionStringBuilder.MaxPoolSize = builder.Configuration.GetValue("EventStore:MaxPoolSize", 4));
builder.AddRedisClient("redis", configureOptions: RedisConnectionOptions.Configure);
builder.TreatAsOptional("Redis");
builder.AddKafkaProducer<string, byte[]>("kafka", producer =>
{
    // The relay publishes a batch and waits for its acknowledgement: a longer linger means fewer, larger record
    // batches for the broker and the consumer (less CPU per event, BENCHMARKS.md) for ~20 ms more Kafka lag.
    // Kafka:Producer:linger.ms overrides it.
    producer.LingerMs ??= 25;
    producer.CompressionType = Confluent.Kafka.CompressionType.Lz4;
    // Fail a delivery after 15 s rather than the default 5 min, so the relay notices Kafka is away and retries.
    producer.MessageTimeoutMs = 15_000;
});
builder.AddScopedJwtAuthentication();

builder.WebHost.ConfigureKestrel(kestrel =>
    kestrel.Limits.MaxRequestBodySize = builder.Configuration.GetValue<long?>("MaxRequestBodyBytes") ?? 1024 * 1024);

builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton<EventStoreMetrics>();
builder.Services.AddSingleton(DomainCatalog.Default);
builder.Services.AddSingleton<IEventPayloadValidator>(sp => sp.GetRequiredService<DomainCatalog>());
builder.Services.AddSingleton(new SnapshotRetention(builder.Configuration.GetValue("SNAPSHOT_RETENTION", SnapshotRetention.Default.Keep)));
builder.Services.AddSingleton<SnapshotStore>();
builder.Services.AddSingleton<AggregateStateReader>();
builder.Services.AddSingleton<ReadModelStore>();
builder.Services.AddSingleton<CacheAside>();
builder.Services.AddSingleton<CachedReadModels>();
builder.Services.AddSingleton(sp => new CachedAggregateStates(sp.GetRequiredService<AggregateStateReader>(), sp.GetRequiredService<CacheAside>(),
    builder.Configuration.GetValue("AggregateCache:MemoryEntries", 10_000)));
builder.Services.AddSingleton<ReplayStore>();
builder.Services.AddSingleton<AppendRequestParser>();
builder.Services.AddSingleton<EventReader>();
builder.Services.AddSingleton<EventAppender>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<EventAppender>());
builder.Services.AddHostedService<KafkaOutboxRelay>();
builder.Services.AddOpenApi();

var app = builder.Build();

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseAuthentication();
app.UseAuthorization();

app.MapDefaultEndpoints();
app.MapOpenApi().AllowAnonymous();
app.MapScalarApiReference().AllowAnonymous();
app.MapEventsApi();
app.MapAggregatesApi();
app.MapReadModelsApi();
app.MapReadModelReplayApi();
app.MapProcessingApi();
app.MapAnalyticsApi();

app.Run();

public partial class Program;
