namespace EventSourcing.AppHost.Infrastructure;

/// <summary>
/// How the graph is laid out on this machine. <c>Infrastructure:FixedPorts</c> (default true) pins the well-known
/// ports (API 8082, processor 8083, Kafka 9092) so curl and kcat work without a lookup; tests turn it off.
/// <c>Infrastructure:DataDirectory</c> holds local-mode server data, outside the repository.
/// </summary>
public sealed record InfrastructureSettings(InfrastructureMode Mode, bool FixedPorts, string DataDirectory)
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
        return new InfrastructureSettings(InfrastructureModeDetector.Detect(builder), fixedPorts, Path.GetFullPath(dataDirectory));
    }

    public int? Port(int wellKnown) => FixedPorts ? wellKnown : null;
}
