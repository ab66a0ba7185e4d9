using EventSourcing.Core.Outbox;
using Npgsql;

namespace EventSourcing.Core.Processing;

/// <summary>
/// Where the stored events are in the pipeline, computed from counters and small sets only, so it costs the same at
/// ten events or ten million: not yet published (relay backlog = head - relay checkpoint), published but not yet
/// consumed (consumer lag reported by the processor instances), and the few with an unfinished outcome (pending,
/// failed, dead-lettered, read through the status index). Everything else is processed.
/// </summary>
public sealed record ProcessingSummary(
    long Stored,
    long RelayBacklog,
    long ConsumerLag,
    long Workers,
    long Requeued,
    long Processing,
    long Failed,
    long DeadLettered,
    TimeSpan OldestPendingAge)
{
    /// <summary>Waiting to be processed for the first time, or queued again by the retry endpoint.</summary>
    public long Pending => RelayBacklog + ConsumerLag + Requeued;

    public long Processed => Math.Max(0, Stored - Pending - Processing - Failed - DeadLettered);

    public static async Task<ProcessingSummary> ReadAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        // The oldest unprocessed event is estimated as the first one the consumer lag still covers (partitions move
        // unevenly, so it is an estimate), or the oldest event waiting for a retry.
        await using var command = dataSource.CreateCommand(
            """
            WITH head AS (SELECT last_position FROM event_store.global_position),
                 relay AS (SELECT coalesce((SELECT position FROM event_store.checkpoints WHERE name = @relay), 0) AS published),
                 instances AS (
                     SELECT coalesce(sum(consumer_lag), 0)::bigint AS lag, coalesce(sum(workers), 0)::bigint AS workers
                     FROM event_store.processor_instances WHERE updated_at > now() - interval '30 seconds'),
                 unfinished AS (
                     SELECT status, count(*) AS n, min(occurred_at) AS oldest FROM event_store.processing_status
                     WHERE status IN ('pending', 'processing', 'failed', 'dead_lettered') GROUP BY status)
            SELECT head.last_position,
                   greatest(head.last_position - relay.published, 0),
                   instances.lag,
                   instances.workers,
                   coalesce((SELECT n FROM unfinished WHERE status = 'pending'), 0),
                   coalesce((SELECT n FROM unfinished WHERE status = 'processing'), 0),
                   coalesce((SELECT n FROM unfinished WHERE status = 'failed'), 0),
                   coalesce((SELECT n FROM unfinished WHERE status = 'dead_lettered'), 0),
                   extract(epoch FROM now() - least(
                       (SELECT occurred_at FROM event_store.events
                         WHERE position = greatest(least(relay.published, head.last_position) - instances.lag, 0) + 1),
                       (SELECT min(oldest) FROM unfinished WHERE status IN ('pending', 'failed'))))::float8
            FROM head, relay, instances
            """);
        command.Parameters.AddWithValue("relay", KafkaOutboxRelay.CheckpointName);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new ProcessingSummary(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4),
            reader.GetInt64(5), reader.GetInt64(6), reader.GetInt64(7), TimeSpan.FromSeconds(reader.IsDBNull(8) ? 0 : Math.Max(0, reader.GetDouble(8))));
    }
}
