namespace EventSourcing.AppHost.Infrastructure;

/// <summary>
/// How the graph is laid out. <c>Infrastructure:FixedPorts</c> (default true) pins the well-known ports in run mode
/// (API 8082, processor 8083, Kafka 9092) so curl and kcat work without a lookup; tests turn it off, and a published
/// manifest never carries them (the platform's ingress owns ports). <c>Infrastructure:DataDirectory</c> holds
/// local-mode server data, outside the repository.
/// </summary>
/// <param name="Publishing">Writing a deployment manifest rather than running the graph.</param>
/// <param name="KafkaAsConnectionString">
/// Publishing with <c>Infrastructure:PublishKafka=external</c>: the deployer gives a managed Kafka's bootstrap servers
/// instead of the Kafka container.
/// </param>
public sealed record InfrastructureSettings(InfrastructureMode Mode, bool FixedPorts, string DataDirectory, bool Publishing, bool KafkaAsConnectionString)
{
    public const int ApiPort = 8082;
    public const int ProcessorPort = 8083;
    public const int KafkaPort = 9092;

    public static InfrastructureSettings Read(IDistributedApplicationBuilder builder)
    {
        var fixedPorts = !bool.TryParse(builder.Configuration["Infrastructure:FixedPorts"], out var value) || value;
        var dataDirectory = builder.Configuration["Infrastructure:DataDirectory"] is { Length: > 0 } configured
            ? configured
            // /var/tmp survives reboots and, unlike /root, can be entered by the postgres user.
            : Path.Combine("/var/tmp", "eventsourcing-aspire");
        var publishing = builder.ExecutionContext.IsPublishMode;
        var kafkaExternal = publishing && string.Equals(builder.Configuration["Infrastructure:PublishKafka"], "external", StringComparison.OrdinalIgnoreCase);
        return new InfrastructureSettings(InfrastructureModeDetector.Detect(builder), fixedPorts, Path.GetFullPath(dataDirectory), publishing, kafkaExternal);
    }

    /// <summary>The well-known host port, or null to let the orchestrator (run mode) or the platform (publish) decide.</summary>
    public int? Port(int wellKnown) => FixedPorts && !Publishing ? wellKnown : null;
}
