using System.Globalization;
using EventSourcing.Domain.Aggregates;
using EventSourcing.Domain.Events;

namespace EventSourcing.KafkaDevBroker;

internal sealed record BrokerOptions(int Port, int Partitions, int Brokers)
{
    /// <summary>
    /// The topics of the registered aggregate types (the seed's seven) plus the dead-letter topic: the mock cannot create
    /// topics on demand. The mock keeps ~5 MiB per partition.
    /// </summary>
    public static readonly string[] Topics =
        [.. DomainCatalog.Default.Registered.Select(a => EventTopics.For(a.AggregateType)), EventTopics.DeadLetter];

    /// <summary>
    /// Few partitions on purpose. The mock keeps each partition's log as a list of record batches (up to 5 MiB) and
    /// finds a fetch offset by walking that list from the start, one batch per partition per fetch. More partitions
    /// mean smaller batches, so a longer walk for each of more fetches: 4 partitions cost the broker well under half the
    /// CPU of 16 (BENCHMARKS.md, session 4). Four still lets up to four processors share the work.
    /// </summary>
    public const int DefaultPartitions = 4;

    public static BrokerOptions Parse(string[] args) => new(
        Read(args, "--port", "KAFKA_DEV_BROKER_PORT", 9092),
        Read(args, "--partitions", "KAFKA_DEV_BROKER_PARTITIONS", DefaultPartitions),
        Read(args, "--brokers", "KAFKA_DEV_BROKER_COUNT", 1));

    private static int Read(string[] args, string flag, string env, int fallback)
    {
        var index = Array.IndexOf(args, flag);
        var text = index >= 0 && index + 1 < args.Length ? args[index + 1] : Environment.GetEnvironmentVariable(env);
        return string.IsNullOrEmpty(text) ? fallback : int.Parse(text, CultureInfo.InvariantCulture);
    }
}
