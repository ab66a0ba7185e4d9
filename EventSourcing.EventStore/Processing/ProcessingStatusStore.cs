using EventSourcing.Domain.Events;
using EventSourcing.Domain.Processing;
using EventSourcing.EventStore.Checkpoints;
using Npgsql;
using NpgsqlTypes;

namespace EventSourcing.EventStore.Processing;

/// <summary>Where an event is in processing, as event_store.processing_status spells it.</summary>
public enum ProcessingState
{
    Pending,
    Processing,
    Processed,
    Failed,
    DeadLettered,
}

/// <summary>What asking to retry an event found.</summary>
public enum RequeueResult
{
    Requeued,
    NotFound,
    NotFailed,
}

/// <summary>An event whose processing failed, with what it failed with.</summary>
public sealed record FailedProcessing(
    Guid EventId, Guid AggregateId, string AggregateType, long AggregateVersion, string EventType, ProcessingState State, int Attempts, string? Error,
    DateTimeOffset? LastAttempt, DateTimeOffset? NextRetry);

/// <summary>Append-to-processed latency of the events processed in a window, in milliseconds.</summary>
public sealed record ProcessingLatency(long Count, double AvgMs, double P50Ms, double P95Ms, double P99Ms, double MaxMs);

/// <summary>
/// The one owner of event_store.processing_status and event_store.processing_latency: the projector records outcomes
/// (processed in its own transaction, failures with the retry policy's backoff), the retry worker asks what is due,
/// the API requeues, summarises and measures latency. Every status literal and every statement on the tables is here.
/// </summary>
public sealed class ProcessingStatusStore(NpgsqlDataSource dataSource, RetryPolicy retryPolicy)
{
    public static string Text(ProcessingState state) => state switch
    {
        ProcessingState.Pending => "pending",
        ProcessingState.Processing => "processing",
        ProcessingState.Processed => "processed",
        ProcessingState.Failed => "failed",
        ProcessingState.DeadLettered => "dead_lettered",
        _ => throw new ArgumentOutOfRangeException(nameof(state)),
    };

    public static ProcessingState Parse(string text) =>
        Enum.GetValues<ProcessingState>().First(state => Text(state) == text);

    /// <summary>
    /// Marks events processed, on the caller's connection, as the last statement of the transaction that applied them:
    /// their latencies (append to this commit) go into the latency log as one row, and those with a failure on record
    /// become processed. A first-attempt success writes nothing per event: no row of its own, no foreign-key check.
    /// </summary>
    public static async Task RecordProcessedAsync(NpgsqlConnection connection, IReadOnlyList<StoredEvent> events, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (events.Count == 0)
        {
            return;
        }

        // clock_timestamp(): the latency ends at this statement, just before the commit, not when the batch began.
        await using var command = new NpgsqlCommand(
            """
            WITH recovered AS (
                UPDATE event_store.processing_status AS s SET status = 'processed', attempts = s.attempts + 1, last_attempt = @now,
                    error_message = NULL, next_retry = NULL, processed_at = clock_timestamp()
                FROM unnest(@ids) AS u(event_id) WHERE s.event_id = u.event_id)
            INSERT INTO event_store.processing_latency (processed_at, latencies_ms)
            SELECT c.at, array_agg((extract(epoch FROM c.at - u.occurred_at) * 1000)::real)
            FROM (SELECT clock_timestamp() AS at) c, unnest(@occurred) AS u(occurred_at)
            GROUP BY c.at
            """, connection);
        command.Parameters.AddWithValue("now", now);
        command.Parameters.AddWithValue("ids", events.Select(e => e.EventId).ToArray());
        command.Parameters.AddWithValue("occurred", events.Select(e => e.OccurredAt).ToArray());
        await command.PrepareAsync(cancellationToken);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Records a failed attempt for each of one aggregate's events: failed with the next retry after the policy's
    /// backoff, or dead-lettered once the attempts are exhausted. Returns the ids that are dead-lettered now.
    /// </summary>
    public async Task<HashSet<Guid>> RecordFailureAsync(Guid aggregateId, IReadOnlyList<StoredEvent> events, string error, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            INSERT INTO event_store.processing_status AS s (event_id, status, attempts, last_attempt, error_message, next_retry, aggregate_id, occurred_at)
            SELECT u.event_id, CASE WHEN @max_attempts <= 1 THEN 'dead_lettered' ELSE 'failed' END, 1, @now, @error,
                   CASE WHEN @max_attempts <= 1 THEN NULL ELSE @now + (@delays)[1] END, @aggregate, u.occurred_at
            FROM unnest(@ids, @occurred) AS u(event_id, occurred_at)
            ON CONFLICT (event_id) DO UPDATE SET
                attempts = s.attempts + 1,
                last_attempt = @now,
                error_message = @error,
                status = CASE WHEN s.attempts + 1 >= @max_attempts THEN 'dead_lettered' ELSE 'failed' END,
                next_retry = CASE WHEN s.attempts + 1 >= @max_attempts THEN NULL ELSE @now + (@delays)[s.attempts + 1] END
            RETURNING event_id, status
            """);
        command.Parameters.AddWithValue("now", now);
        command.Parameters.AddWithValue("error", error);
        // The policy's delay after 1, 2, … failures: the backoff is computed in one place, the statement indexes it.
        command.Parameters.AddWithValue("delays", retryPolicy.Schedule());
        command.Parameters.AddWithValue("max_attempts", retryPolicy.MaxAttempts);
        command.Parameters.AddWithValue("aggregate", aggregateId);
        command.Parameters.AddWithValue("ids", events.Select(e => e.EventId).ToArray());
        command.Parameters.AddWithValue("occurred", events.Select(e => e.OccurredAt).ToArray());
        var dead = new HashSet<Guid>();
        await using var rows = await command.ExecuteReaderAsync(cancellationToken);
        while (await rows.ReadAsync(cancellationToken))
        {
            if (Parse(rows.GetString(1)) == ProcessingState.DeadLettered)
            {
                dead.Add(rows.GetGuid(0));
            }
        }

        return dead;
    }

    /// <summary>Failed events whose backoff has passed, and events queued again by an operator, oldest due first.</summary>
    public async Task<List<Guid>> DueForRetryAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT event_id FROM event_store.processing_status WHERE status IN ('failed', 'pending') AND next_retry <= @now ORDER BY next_retry LIMIT @limit");
        command.Parameters.AddWithValue("now", now);
        command.Parameters.AddWithValue("limit", limit);
        return await command.ReadAllAsync(rows => rows.GetGuid(0), cancellationToken);
    }

    /// <summary>Failed and dead-lettered events (or only those in <paramref name="state"/>), oldest attempt first.</summary>
    public async Task<List<FailedProcessing>> ListFailedAsync(ProcessingState? state, int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            SELECT s.event_id, e.aggregate_id, e.aggregate_type, e.aggregate_version, e.event_type, s.status, s.attempts, s.error_message,
                   s.last_attempt, s.next_retry
            FROM event_store.processing_status s JOIN event_store.events e ON e.event_id = s.event_id
            WHERE s.status = ANY(@states) ORDER BY s.last_attempt NULLS FIRST LIMIT @limit
            """);
        command.Parameters.AddWithValue("states", state is { } one ? [Text(one)] : new[] { Text(ProcessingState.Failed), Text(ProcessingState.DeadLettered) });
        command.Parameters.AddWithValue("limit", limit);
        return await command.ReadAllAsync(
            r => new FailedProcessing(r.GetGuid(0), r.GetGuid(1), r.GetString(2), r.GetInt64(3), r.GetString(4), Parse(r.GetString(5)), r.GetInt32(6),
                r.IsDBNull(7) ? null : r.GetString(7), r.IsDBNull(8) ? null : r.GetFieldValue<DateTimeOffset>(8), r.IsDBNull(9) ? null : r.GetFieldValue<DateTimeOffset>(9)),
            cancellationToken);
    }

    /// <summary>
    /// Queues a failed or dead-lettered event again (attempts start over); otherwise the state it was found in, null
    /// when it has no outcome on record (processed at the first attempt, or not processed yet).
    /// </summary>
    public async Task<(RequeueResult Result, ProcessingState? State)> RequeueAsync(Guid eventId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            WITH requeued AS (
                UPDATE event_store.processing_status SET status = 'pending', attempts = 0, next_retry = now(), error_message = NULL
                WHERE event_id = @id AND status IN ('failed', 'dead_lettered')
                RETURNING event_id)
            SELECT EXISTS (SELECT 1 FROM event_store.events WHERE event_id = @id),
                   EXISTS (SELECT 1 FROM requeued),
                   (SELECT status FROM event_store.processing_status WHERE event_id = @id)
            """);
        command.Parameters.AddWithValue("id", eventId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        ProcessingState? state = reader.IsDBNull(2) ? null : Parse(reader.GetString(2));
        return (!reader.GetBoolean(0), reader.GetBoolean(1)) switch
        {
            (true, _) => (RequeueResult.NotFound, state),
            (_, true) => (RequeueResult.Requeued, ProcessingState.Pending),
            _ => (RequeueResult.NotFailed, state),
        };
    }

    /// <summary>Queues every event in <paramref name="state"/> again (attempts start over); returns how many.</summary>
    public async Task<int> RequeueAllAsync(ProcessingState state, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "UPDATE event_store.processing_status SET status = 'pending', attempts = 0, next_retry = now(), error_message = NULL WHERE status = @state");
        command.Parameters.AddWithValue("state", Text(state));
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Where the stored events are in the pipeline, from counters and small sets only (see <see cref="ProcessingSummary"/>).
    /// The oldest unprocessed event is estimated as the first one the consumer lag still covers (partitions move
    /// unevenly, so it is an estimate), or the oldest event waiting for a retry.
    /// </summary>
    /// <param name="consumerLag">The consumer group's lag as Kafka counts it; null: the sum of the processors' own reports.</param>
    public async Task<ProcessingSummary> SummaryAsync(long? consumerLag, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            WITH head AS (SELECT last_position FROM event_store.global_position),
                 relay AS (SELECT coalesce((SELECT position FROM event_store.checkpoints WHERE name = @relay), 0) AS published),
                 instances AS (
                     SELECT coalesce(@lag, sum(consumer_lag), 0)::bigint AS lag, coalesce(sum(workers), 0)::bigint AS workers
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
        command.Parameters.AddWithValue("relay", CheckpointStore.OutboxRelay);
        command.Parameters.Add(new NpgsqlParameter("lag", NpgsqlDbType.Bigint) { Value = (object?)consumerLag ?? DBNull.Value });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new ProcessingSummary(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4),
            reader.GetInt64(5), reader.GetInt64(6), reader.GetInt64(7), TimeSpan.FromSeconds(reader.IsDBNull(8) ? 0 : Math.Max(0, reader.GetDouble(8))));
    }

    /// <summary>Latency of the events processed in [from, to) (a range of idx_processing_latency_processed_at).</summary>
    public async Task<ProcessingLatency> LatencyAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            WITH l AS (
                SELECT ms FROM event_store.processing_latency, unnest(latencies_ms) AS ms
                WHERE processed_at >= @from AND processed_at < @to)
            SELECT count(*), coalesce(avg(ms), 0)::float8,
                   coalesce(percentile_cont(0.50) WITHIN GROUP (ORDER BY ms), 0)::float8,
                   coalesce(percentile_cont(0.95) WITHIN GROUP (ORDER BY ms), 0)::float8,
                   coalesce(percentile_cont(0.99) WITHIN GROUP (ORDER BY ms), 0)::float8,
                   coalesce(max(ms), 0)::float8
            FROM l
            """);
        command.Parameters.AddWithValue("from", from);
        command.Parameters.AddWithValue("to", to);
        await using var rows = await command.ExecuteReaderAsync(cancellationToken);
        await rows.ReadAsync(cancellationToken);
        return new ProcessingLatency(rows.GetInt64(0), rows.GetDouble(1), rows.GetDouble(2), rows.GetDouble(3), rows.GetDouble(4), rows.GetDouble(5));
    }
}
