using Confluent.Kafka;
using Confluent.Kafka.Admin;
using EventSourcing.Domain.Events;

namespace EventSourcing.Api.Processing;

/// <summary>
/// How many published events the processors' consumer group has not committed yet, asked of Kafka itself: per
/// partition of every events topic, the high watermark less the group's committed offset. The processors commit after
/// each batch is stored, so this is exact, and it keeps counting while a processor is frozen (its own reports would
/// show its last lag as current) or gone before the group noticed.
/// </summary>
public sealed class ConsumerGroupLag(IAdminClient admin, string consumerGroup, ILogger<ConsumerGroupLag> logger)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    /// <summary>After Kafka failed to answer, status requests do not wait for it again until this has passed.</summary>
    private static readonly TimeSpan Backoff = TimeSpan.FromSeconds(5);

    private long _askAgainAt;

    /// <summary>The group's lag over every events topic; null when Kafka does not answer in time (or did not lately).</summary>
    public async Task<long?> ReadAsync(CancellationToken cancellationToken)
    {
        if (Environment.TickCount64 < Interlocked.Read(ref _askAgainAt))
        {
            return null;
        }

        try
        {
            var partitions = await Task.Run(() => admin.GetMetadata(Timeout).Topics
                .Where(t => t.Topic.StartsWith(EventTopics.Prefix, StringComparison.Ordinal) && t.Topic != EventTopics.DeadLetter && t.Error.Code == ErrorCode.NoError)
                .SelectMany(t => t.Partitions.Select(p => new TopicPartition(t.Topic, p.PartitionId)))
                .ToList(), cancellationToken);
            if (partitions.Count == 0)
            {
                return 0;
            }

            var committed = (await admin.ListConsumerGroupOffsetsAsync(
                    [new ConsumerGroupTopicPartitions(consumerGroup, partitions)], new ListConsumerGroupOffsetsOptions { RequestTimeout = Timeout }))
                .Single().Partitions.ToDictionary(p => p.TopicPartition, p => p.Offset.Value);
            // A partition the group never committed is consumed from its beginning (auto.offset.reset = earliest), and
            // one committed before what retention has deleted resumes from there too.
            var start = await OffsetsAsync(partitions, OffsetSpec.Earliest());
            var end = await OffsetsAsync(partitions, OffsetSpec.Latest());
            return partitions.Sum(p => Math.Max(0, end[p] - Math.Max(committed.GetValueOrDefault(p, -1), start[p])));
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // Whatever went wrong (Kafka away, a partition missing from an answer), the status still answers.
            Interlocked.Exchange(ref _askAgainAt, Environment.TickCount64 + (long)Backoff.TotalMilliseconds);
            logger.LogDebug("Consumer group lag not read from Kafka: {Message}", ex.Message);
            return null;
        }
    }

    private async Task<Dictionary<TopicPartition, long>> OffsetsAsync(List<TopicPartition> partitions, OffsetSpec spec) =>
        (await admin.ListOffsetsAsync(partitions.Select(p => new TopicPartitionOffsetSpec { TopicPartition = p, OffsetSpec = spec }),
            new ListOffsetsOptions { RequestTimeout = Timeout }))
        .ResultInfos.ToDictionary(r => r.TopicPartitionOffsetError.TopicPartition, r => r.TopicPartitionOffsetError.Offset.Value);
}
