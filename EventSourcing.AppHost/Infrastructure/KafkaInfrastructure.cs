using Confluent.Kafka;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace EventSourcing.AppHost.Infrastructure;

/// <summary>A Kafka broker in a container: Aspire's own Kafka integration is not available to us.</summary>
/// <remarks>
/// Two client listeners, because a Kafka client connects to whatever address the broker advertises, not to the one it
/// bootstrapped with: <c>tcp</c> for processes on the host (run mode: <c>localhost</c> and the proxied host port) and
/// for everything in a deployment (the binding's own host name), and <c>internal</c> for other containers of the run-mode
/// network (<c>kafka:9093</c>). The broker talks to itself on loopback-only listeners nobody else sees.
/// </remarks>
public sealed class KafkaServerResource(string name) : ContainerResource(name), IResourceWithConnectionString
{
    public const string EndpointName = "tcp";
    public const string InternalEndpointName = "internal";
    public const int ClientPort = 9092;
    public const int InternalPort = 9093;

    /// <summary>The endpoint as host processes (run mode) and deployed services (publish mode) reach it.</summary>
    public EndpointReference Endpoint => new(this, EndpointName, KnownNetworkIdentifiers.LocalhostNetwork);

    /// <summary>The endpoint as other containers of the run-mode network reach it.</summary>
    public EndpointReference InternalEndpoint => new(this, InternalEndpointName, KnownNetworkIdentifiers.DefaultAspireContainerNetwork);

    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"{Endpoint.Property(EndpointProperty.HostAndPort)}");
}

public static class KafkaInfrastructure
{
    public const string Name = "kafka";

    /// <summary>Kafka as a container, the dev broker (local mode) or a connection string the deployer gives.</summary>
    public static Dependency AddKafkaBroker(this IDistributedApplicationBuilder builder, InfrastructureSettings settings)
    {
        Dependency dependency;
        switch (settings.Mode)
        {
            case InfrastructureMode.Containers when !settings.KafkaAsConnectionString:
                var container = builder.AddKafkaContainer(settings);
                dependency = new Dependency(container, container.AsResource());
                break;

            case InfrastructureMode.External or InfrastructureMode.Containers:
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
    /// Apache Kafka in KRaft single-node mode, with durable storage. The client endpoint is proxied like any other
    /// container port: the well-known host port 9092 with fixed ports, one the orchestrator picks without them.
    /// </summary>
    private static IResourceBuilder<KafkaServerResource> AddKafkaContainer(this IDistributedApplicationBuilder builder, InfrastructureSettings settings)
    {
        var kafka = builder.AddResource(new KafkaServerResource(Name))
            .WithImage("apache/kafka", "3.9.1")
            .WithImageRegistry("docker.io")
            .WithEndpoint(port: settings.Port(InfrastructureSettings.KafkaPort), targetPort: KafkaServerResource.ClientPort, name: KafkaServerResource.EndpointName, scheme: "tcp")
            .WithEndpoint(targetPort: KafkaServerResource.InternalPort, name: KafkaServerResource.InternalEndpointName, scheme: "tcp")
            .WithEnvironment("KAFKA_NODE_ID", "1")
            .WithEnvironment("KAFKA_PROCESS_ROLES", "broker,controller")
            // BROKER and CONTROLLER are the node talking to itself (loopback only); CLIENT and INTERNAL serve clients.
            .WithEnvironment("KAFKA_LISTENERS", "BROKER://localhost:29092,CONTROLLER://localhost:29093,CLIENT://0.0.0.0:9092,INTERNAL://0.0.0.0:9093")
            .WithEnvironment("KAFKA_LISTENER_SECURITY_PROTOCOL_MAP", "BROKER:PLAINTEXT,CONTROLLER:PLAINTEXT,CLIENT:PLAINTEXT,INTERNAL:PLAINTEXT")
            .WithEnvironment("KAFKA_INTER_BROKER_LISTENER_NAME", "BROKER")
            .WithEnvironment("KAFKA_CONTROLLER_LISTENER_NAMES", "CONTROLLER")
            .WithEnvironment("KAFKA_CONTROLLER_QUORUM_VOTERS", "1@localhost:29093")
            .WithEnvironment("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", "1")
            .WithEnvironment("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "1")
            .WithEnvironment("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "1")
            .WithEnvironment("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0")
            // Topics appear on first use with enough partitions for PROCESSING_WORKERS to spread over.
            .WithEnvironment("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "true")
            .WithEnvironment("KAFKA_NUM_PARTITIONS", "16")
            .WithEnvironment("KAFKA_LOG_DIRS", "/var/lib/kafka/data");
        kafka.WithEnvironment(context => context.EnvironmentVariables["KAFKA_ADVERTISED_LISTENERS"] = AdvertisedListeners(kafka.Resource, context.ExecutionContext));
        // Named after the AppHost like Aspire's own volumes, so two clones never share a broker's log.
        return kafka.WithVolume(VolumeNameGenerator.Generate(kafka, "data"), "/var/lib/kafka/data");
    }

    /// <summary>
    /// What the broker tells clients to connect to, per listener. Run mode: host processes go through the proxied host
    /// port on localhost, containers to the container's name. Publish mode: the binding's own host and port, which is
    /// how the other services of the deployment reach it (never localhost, which would be the client itself).
    /// </summary>
    public static ReferenceExpression AdvertisedListeners(KafkaServerResource kafka, DistributedApplicationExecutionContext context)
    {
        var client = kafka.Endpoint;
        var inside = kafka.InternalEndpoint;
        return context.IsRunMode
            ? ReferenceExpression.Create(
                $"BROKER://localhost:29092,CLIENT://localhost:{client.Property(EndpointProperty.Port)},INTERNAL://{kafka.Name}:{inside.Property(EndpointProperty.TargetPort)}")
            : ReferenceExpression.Create(
                $"BROKER://localhost:29092,CLIENT://{client.Property(EndpointProperty.HostAndPort)},INTERNAL://{inside.Property(EndpointProperty.HostAndPort)}");
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
