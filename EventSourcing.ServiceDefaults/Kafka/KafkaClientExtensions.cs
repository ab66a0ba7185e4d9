using Confluent.Kafka;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Kafka client integration in the shape of Aspire's own (which is not available to us): the bootstrap servers come
/// from the <c>ConnectionStrings:{name}</c> entry the AppHost injects, extra librdkafka properties from
/// <c>Kafka:Producer</c> / <c>Kafka:Consumer</c>, and each client brings a readiness check and tracing.
/// </summary>
public static class KafkaClientExtensions
{

    public static IHostApplicationBuilder AddKafkaProducer<TKey, TValue>(
        this IHostApplicationBuilder builder, string connectionName, Action<ProducerConfig>? configure = null)
    {
        var config = new ProducerConfig(ReadSection(builder.Configuration, "Kafka:Producer"))
        {
            BootstrapServers = BootstrapServers(builder.Configuration, connectionName),
            // Every acknowledged event is money: wait for all replicas and never duplicate on retry.
            Acks = Acks.All,
            EnableIdempotence = true,
        };
        configure?.Invoke(config);

        builder.Services.AddSingleton(sp => new ProducerBuilder<TKey, TValue>(config)
            .SetLogHandler(KafkaLog.For(sp, "Producer"))
            .Build());
        // A producer behind an outbox keeps serving while Kafka is away: degraded, not unready.
        builder.AddKafkaHealthCheck(config, "kafka-producer", HealthStatus.Degraded);
        return builder;
    }

    public static IHostApplicationBuilder AddKafkaConsumer<TKey, TValue>(
        this IHostApplicationBuilder builder, string connectionName, Action<ConsumerConfig> configure)
    {
        var config = new ConsumerConfig(ReadSection(builder.Configuration, "Kafka:Consumer"))
        {
            BootstrapServers = BootstrapServers(builder.Configuration, connectionName),
            EnableAutoCommit = false,
            AutoOffsetReset = AutoOffsetReset.Earliest,
        };
        configure(config);
        if (string.IsNullOrEmpty(config.GroupId))
        {
            throw new InvalidOperationException("A Kafka consumer needs a GroupId.");
        }

        builder.Services.AddSingleton(sp => new ConsumerBuilder<TKey, TValue>(config)
            .SetLogHandler(KafkaLog.For(sp, "Consumer"))
            .Build());
        builder.AddKafkaHealthCheck(config, "kafka-consumer", HealthStatus.Unhealthy);
        return builder;
    }

    /// <summary>An admin client (extra librdkafka properties from <c>Kafka:Admin</c>), for what only the cluster knows.</summary>
    public static IHostApplicationBuilder AddKafkaAdminClient(this IHostApplicationBuilder builder, string connectionName)
    {
        var config = new AdminClientConfig(ReadSection(builder.Configuration, "Kafka:Admin"))
        {
            BootstrapServers = BootstrapServers(builder.Configuration, connectionName),
        };
        builder.Services.AddSingleton(sp => new AdminClientBuilder(config).SetLogHandler(KafkaLog.For(sp, "Admin")).Build());
        return builder;
    }

    public static string BootstrapServers(IConfiguration configuration, string connectionName) =>
        configuration.GetConnectionString(connectionName) is { Length: > 0 } servers
            ? servers
            : throw new InvalidOperationException(
                $"Kafka bootstrap servers are missing: set ConnectionStrings:{connectionName} (the AppHost does this for you).");

    private static void AddKafkaHealthCheck(this IHostApplicationBuilder builder, ClientConfig clientConfig, string name, HealthStatus failureStatus)
    {
        builder.Services.TryAddSingleton(new KafkaHealthCheck(new AdminClientConfig { BootstrapServers = clientConfig.BootstrapServers }));
        builder.Services.Configure<HealthCheckServiceOptions>(options =>
        {
            if (options.Registrations.All(r => r.Name != name))
            {
                options.Registrations.Add(new HealthCheckRegistration(
                    name, sp => sp.GetRequiredService<KafkaHealthCheck>(), failureStatus, ["ready"], TimeSpan.FromSeconds(5)));
            }
        });
    }

    private static Dictionary<string, string> ReadSection(IConfiguration configuration, string section) =>
        configuration.GetSection(section).GetChildren()
            .Where(c => c.Value is not null)
            .ToDictionary(c => c.Key, c => c.Value!);
}

internal static class KafkaLog
{
    public static Action<IClient, LogMessage> For(IServiceProvider services, string client)
    {
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("Confluent.Kafka." + client);
        return (_, message) => logger.Log(
            message.Level switch
            {
                SyslogLevel.Emergency or SyslogLevel.Alert or SyslogLevel.Critical => LogLevel.Critical,
                SyslogLevel.Error => LogLevel.Error,
                SyslogLevel.Warning => LogLevel.Warning,
                SyslogLevel.Notice or SyslogLevel.Info => LogLevel.Information,
                _ => LogLevel.Debug,
            },
            "{Facility}: {Message}", message.Facility, message.Message);
    }
}
