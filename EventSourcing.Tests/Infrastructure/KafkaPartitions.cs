using System.Text;
using Confluent.Kafka;

namespace EventSourcing.Tests.Infrastructure;

/// <summary>Where the relay's producer puts a key: librdkafka's default partitioner is CRC-32 of the key, modulo partitions.</summary>
public static class KafkaPartitions
{
    private static readonly uint[] Table = [.. Enumerable.Range(0, 256).Select(n =>
    {
        var c = (uint)n;
        for (var k = 0; k < 8; k++)
        {
            c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
        }

        return c;
    })];

    public static int For(Guid aggregateId, int partitions)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in Encoding.UTF8.GetBytes(aggregateId.ToString()))
        {
            crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }

        return (int)((crc ^ 0xFFFFFFFFu) % (uint)partitions);
    }

    /// <summary>A new aggregate id whose events land on the same partition as <paramref name="aggregateId"/>'s.</summary>
    public static Guid KeyOnSamePartition(Guid aggregateId, int partitions)
    {
        var target = For(aggregateId, partitions);
        while (true)
        {
            var candidate = Guid.NewGuid();
            if (For(candidate, partitions) == target)
            {
                return candidate;
            }
        }
    }

    public static async Task<int> CountAsync(string bootstrapServers, string topic)
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrapServers }).Build();
        var metadata = await Task.Run(() => admin.GetMetadata(topic, TimeSpan.FromSeconds(10)));
        return metadata.Topics.Single().Partitions.Count;
    }
}
