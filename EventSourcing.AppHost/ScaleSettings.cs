using Microsoft.Extensions.Configuration;

namespace EventSourcing.AppHost;

/// <summary>
/// How many instances of each service run: <c>Api:Replicas</c> and <c>Processor:Replicas</c> (default 1). Run mode
/// starts them; the manifest format (v0) has no field for replicas, so a deployment sets them on its platform (README).
/// Any number of either is safe: one API at a time relays the outbox (an advisory lock, taken
/// over when its holder dies) and the processors share the topics' partitions as one consumer group.
/// </summary>
public sealed record ScaleSettings(int ApiReplicas, int ProcessorReplicas)
{
    public const int MaxReplicas = 32;

    public static ScaleSettings Read(IConfiguration configuration) =>
        new(Replicas(configuration, "Api:Replicas"), Replicas(configuration, "Processor:Replicas"));

    private static int Replicas(IConfiguration configuration, string key) => configuration[key] switch
    {
        null or "" => 1,
        var text when int.TryParse(text, out var n) && n is >= 1 and <= MaxReplicas => n,
        var text => throw new InvalidOperationException($"{key} must be a whole number from 1 to {MaxReplicas}, not '{text}'"),
    };
}
