using System.Globalization;

namespace EventSourcing.KafkaDevBroker;

internal sealed record BrokerOptions(int Port, int Partitions, int Brokers)
{
    /// <summary>The seed's topics plus the dead-letter topic. The mock keeps ~5 MiB per partition, so partitions are plenty.</summary>
    public static readonly string[] Topics =
    [
        "events.player", "events.quest", "events.combat_session", "events.tournament",
        "events.guild", "events.economy", "events.inventory", "events.dlq",
    ];

    public static BrokerOptions Parse(string[] args) => new(
        Read(args, "--port", "KAFKA_DEV_BROKER_PORT", 9092),
        Read(args, "--partitions", "KAFKA_DEV_BROKER_PARTITIONS", 16),
        Read(args, "--brokers", "KAFKA_DEV_BROKER_COUNT", 1));

    private static int Read(string[] args, string flag, string env, int fallback)
    {
        var index = Array.IndexOf(args, flag);
        var text = index >= 0 && index + 1 < args.Length ? args[index + 1] : Environment.GetEnvironmentVariable(env);
        return string.IsNullOrEmpty(text) ? fallback : int.Parse(text, CultureInfo.InvariantCulture);
    }
}
