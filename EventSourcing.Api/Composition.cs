using Confluent.Kafka;
using EventSourcing.Api.Aggregates;
using EventSourcing.Api.Caching;
using EventSourcing.Api.Outbox;
using EventSourcing.Api.Processing;
using EventSourcing.Api.ReadModels;
using EventSourcing.Caching;
using EventSourcing.Domain.Events;
using EventSourcing.EventStore.Aggregates;

namespace EventSourcing.Api;

/// <summary>The API's own parts, as Program.cs composes them.</summary>
public static class Composition
{
    /// <summary>The seed's PORT, when the service runs on its own (the AppHost assigns the URL otherwise).</summary>
    public static WebApplicationBuilder UseSeedPort(this WebApplicationBuilder builder)
    {
        if (builder.Configuration["PORT"] is { Length: > 0 } port && string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_URLS"]))
        {
            builder.WebHost.UseUrls($"http://+:{port}");
        }

        return builder;
    }

    /// <summary>Request bodies up to <c>MaxRequestBodyBytes</c> (1 MiB by default); larger ones are a 413.</summary>
    public static WebApplicationBuilder LimitRequestBodies(this WebApplicationBuilder builder)
    {
        builder.WebHost.ConfigureKestrel(kestrel =>
            kestrel.Limits.MaxRequestBodySize = builder.Configuration.GetValue<long?>("MaxRequestBodyBytes") ?? 1024 * 1024);
        return builder;
    }

    /// <summary>Every 503 tells the client when to try again (the contract's "503 with Retry-After").</summary>
    public static WebApplication UseRetryAfter(this WebApplication app, int seconds = 5)
    {
        app.Use((context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                if (context.Response.StatusCode == StatusCodes.Status503ServiceUnavailable && !context.Response.Headers.ContainsKey("Retry-After"))
                {
                    context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                }

                return Task.CompletedTask;
            });
            return next(context);
        });
        return app;
    }

    /// <summary>
    /// Redis (optional: /ready says Degraded without it) in front of PostgreSQL for read models and hot aggregate
    /// states; hot states are also kept in this process's memory (<c>AggregateCache:MemoryEntries</c>, 0 for none).
    /// </summary>
    public static IHostApplicationBuilder AddReadCaches(this IHostApplicationBuilder builder)
    {
        builder.AddRedisClient("redis", configureOptions: RedisConnectionOptions.Configure);
        builder.TreatAsOptional("Redis");
        builder.Services.AddSingleton<CacheCircuit>();
        builder.Services.AddSingleton<CacheAside>();
        builder.Services.AddSingleton<CachedReadModels>();
        builder.Services.AddSingleton(sp => new CachedAggregateStates(sp.GetRequiredService<AggregateStateReader>(), sp.GetRequiredService<CacheAside>(),
            builder.Configuration.GetValue("AggregateCache:MemoryEntries", 10_000)));
        builder.Services.AddMetricsFromStart<CachedReadModels>();
        builder.Services.AddMetricsFromStart<CachedAggregateStates>();
        return builder;
    }

    /// <summary>
    /// The transactional outbox: stored events to Kafka, by one relay across all API replicas. It runs in the API
    /// because the API is what appends, and needs nothing the processor has.
    /// </summary>
    public static IHostApplicationBuilder AddOutboxRelay(this IHostApplicationBuilder builder)
    {
        builder.AddKafkaProducer<string, byte[]>("kafka", producer =>
        {
            // The relay hands a whole batch to the producer at once, then waits for its acknowledgements: nothing more
            // arrives while it lingers, so a few ms gather the batch and more only adds latency (25 -> 5 ms: append
            // to read model p50 97-100 -> 61-67 ms at 2,750 events/s; BENCHMARKS.md).
            producer.LingerMs ??= 5;
            producer.CompressionType ??= Confluent.Kafka.CompressionType.Lz4;
            // Fail a delivery within seconds rather than the default 5 minutes, so the relay notices Kafka is away
            // and publishes again from its checkpoint. Kafka:Producer:message.timeout.ms overrides both.
            producer.MessageTimeoutMs ??= 15_000;
        });
        builder.Services.AddHostedService<KafkaOutboxRelay>();
        return builder;
    }

    /// <summary>The processors' consumer group lag, read from Kafka for the processing status.</summary>
    public static IHostApplicationBuilder AddConsumerGroupLag(this IHostApplicationBuilder builder)
    {
        builder.AddKafkaAdminClient("kafka");
        var group = builder.Configuration["CONSUMER_GROUP"] ?? EventTopics.DefaultConsumerGroup;
        builder.Services.AddSingleton(sp => new ConsumerGroupLag(sp.GetRequiredService<IAdminClient>(), group, sp.GetRequiredService<ILogger<ConsumerGroupLag>>()));
        return builder;
    }
}
