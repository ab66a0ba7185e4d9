using Confluent.Kafka;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace EventSourcing.AppHost.Infrastructure;

/// <summary>A Kafka broker in a container: Aspire's own Kafka integration is not available to us.</summary>
public sealed class KafkaServerResource(string name) : ContainerResource(name), IResourceWithConnectionString
{
    public const string EndpointName = "tcp";

    public EndpointReference Endpoint => new(this, EndpointName);

    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"{Endpoint.Property(EndpointProperty.HostAndPort)}");
}

public static class KafkaInfrastructure
{
    public const string Name = "kafka";

    /// <summary>The topics the service uses (the seed's, plus the dead-letter topic).</summary>
    public static Dependency AddKafkaBroker(this IDistributedApplicationBuilder builder, InfrastructureSettings settings)
    {
        Dependency dependency;
        switch (settings.Mode)
        {
            case InfrastructureMode.Containers:
                var container = builder.AddKafkaContainer(settings);
                dependency = new Dependency(container, container.AsResource());
                break;

            case InfrastructureMode.External:
                var external = builder.AddConnectionString(Name);
                return new Dependency(external, external.AsResource());

            default:
                dependency = builder.AddDevBroker(settings);
                break;
        }

        var healthCheck = $"{dependency.Server.Resource.Name}-metadata";
        builder.Services.AddHealthChecks().AddAsyncCheck(healthCheck, async cancellationToken =>
        {
            var servers = await dependency.ConnectionString.Resource.GetConnectionStringAsync(cancellationToken);
            // librdkafka logs every refused connection while the broker starts; the check's result says enough.
            using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = servers, SocketTimeoutMs = 3000 })
                .SetLogHandler((_, _) => { })
                .SetErrorHandler((_, _) => { })
                .Build();
            try
            {
                var metadata = await Task.Run(() => admin.GetMetadata(TimeSpan.FromSeconds(3)), cancellationToken);
                return metadata.Brokers.Count > 0 ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("no brokers");
            }
            catch (KafkaException ex)
            {
                return HealthCheckResult.Unhealthy(ex.Error.Reason);
            }
        });
        dependency.Server.WithHealthCheck(healthCheck);
        return dependency;
    }

    /// <summary>
    /// Apache Kafka in KRaft single-node mode. Clients run on the host, so the broker advertises the host port;
    /// the endpoint is not proxied for the same reason.
    /// </summary>
    private static IResourceBuilder<KafkaServerResource> AddKafkaContainer(this IDistributedApplicationBuilder builder, InfrastructureSettings settings)
    {
        var port = settings.Port(InfrastructureSettings.KafkaPort) ?? InfrastructureSettings.KafkaPort;
        var portText = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return builder.AddResource(new KafkaServerResource(Name))
            .WithImage("apache/kafka", "3.9.1")
            .WithImageRegistry("docker.io")
            .WithEndpoint(port: port, targetPort: port, name: KafkaServerResource.EndpointName, scheme: "tcp", isProxied: false)
            .WithEnvironment("KAFKA_NODE_ID", "1")
            .WithEnvironment("KAFKA_PROCESS_ROLES", "broker,controller")
            .WithEnvironment("KAFKA_LISTENERS", "PLAINTEXT://:" + portText + ",CONTROLLER://:9093")
            .WithEnvironment("KAFKA_ADVERTISED_LISTENERS", "PLAINTEXT://localhost:" + portText)
            .WithEnvironment("KAFKA_CONTROLLER_LISTENER_NAMES", "CONTROLLER")
            .WithEnvironment("KAFKA_LISTENER_SECURITY_PROTOCOL_MAP", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT")
            .WithEnvironment("KAFKA_CONTROLLER_QUORUM_VOTERS", "1@localhost:9093")
            .WithEnvironment("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", "1")
            .WithEnvironment("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "1")
            .WithEnvironment("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "1")
            .WithEnvironment("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0")
            // Topics appear on first use with enough partitions for PROCESSING_WORKERS to spread over.
            .WithEnvironment("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "true")
            .WithEnvironment("KAFKA_NUM_PARTITIONS", "16")
            .WithEnvironment("KAFKA_LOG_DIRS", "/var/lib/kafka/data")
            .WithVolume("eventsourcing-kafka-data", "/var/lib/kafka/data");
    }

    /// <summary>The librdkafka mock cluster (EventSourcing.KafkaDevBroker) for machines without a container runtime.</summary>
    private static Dependency AddDevBroker(this IDistributedApplicationBuilder builder, InfrastructureSettings settings)
    {
        var broker = builder.AddProject<Projects.EventSourcing_KafkaDevBroker>("kafka-dev-broker")
            .WithEndpoint(port: settings.Port(InfrastructureSettings.KafkaPort), name: "tcp", scheme: "tcp", isProxied: false)
            .ExcludeFromManifest();
        var endpoint = broker.GetEndpoint("tcp");
        broker.WithEnvironment("KAFKA_DEV_BROKER_PORT", endpoint.Property(EndpointProperty.TargetPort));

        var connectionString = builder.AddConnectionString(Name, ReferenceExpression.Create($"{endpoint.Property(EndpointProperty.HostAndPort)}"));
        return new Dependency(connectionString, broker.AsResource());
    }
}
