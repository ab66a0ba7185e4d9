using System.Diagnostics;
using EventSourcing.Domain.Appending;
using EventSourcing.Domain.Events;
using EventSourcing.EventStore.Reading;
using Npgsql;
using NpgsqlTypes;

namespace EventSourcing.EventStore.Appending;

/// <summary>Every commit of appends notifies this channel with the new head position (the outbox relay listens).</summary>
public static class AppendNotifications
{
    public const string Channel = "event_store_appended";
}

/// <summary>A request waiting for the writer: one event, or a batch that is stored all or nothing.</summary>
public sealed class PendingAppend(IReadOnlyList<NewEvent> events, string? traceParent)
{
    public IReadOnlyList<NewEvent> Events { get; } = events;
    public string? TraceParent { get; } = traceParent;
    public long EnqueuedAt { get; } = Stopwatch.GetTimestamp();
    public TaskCompletionSource<AppendOutcome> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>
/// Appends a group of requests in one PostgreSQL transaction (group commit). Each request is decided on its own
/// against the locked stream rows: a conflict or duplicate answers that request and never fails its neighbours.
/// The writes are prepared (once per pooled connection): parsing and planning every statement of every group was a
/// large share of PostgreSQL's CPU under load (BENCHMARKS.md). The two lookups are not: a prepared statement keeps the generic plan it
/// made first, and on a new, empty store that is a sequential scan, kept until the first auto-analyze (BENCHMARKS.md).
/// </summary>
internal static class AppendTransaction
{
    /// <param name="retry">
    /// True when an earlier attempt of this group may have committed: then server-generated event ids are looked up
    /// too. On a first attempt only client-chosen ids can already be stored (ours are fresh version-7 GUIDs).
    /// </param>
    public static async Task<AppendOutcome[]> ExecuteAsync(
        NpgsqlConnection connection, IReadOnlyList<PendingAppend> group, DateTimeOffset now, bool retry, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var all = group.SelectMany(r => r.Events).ToList();
        var streams = await LockStreamsAsync(connection, [.. all.Select(e => e.AggregateId).Distinct().Order()], cancellationToken);
        var mayExist = all.Where(e => retry || e.EventIdGiven).Select(e => e.EventId).Distinct().ToArray();
        var existing = mayExist.Length == 0 ? [] : await FindExistingAsync(connection, mayExist, cancellationToken);

        var decision = new AppendDecision(streams, existing, now);
        var outcomes = group.Select(request => decision.Decide(request.Events, request.TraceParent)).ToArray();
        if (decision.Inserts.Count == 0)
        {
            await transaction.CommitAsync(cancellationToken);
            return outcomes;
        }

        var last = await WriteAsync(connection, decision, now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        // The inserts hold positions last - n + 1 .. last in decision order.
        var first = last - decision.Inserts.Count + 1;
        var positioned = decision.Inserts.Select((e, i) => e with { Position = first + i }).ToDictionary(e => e.EventId);
        return [.. outcomes.Select(outcome => outcome is AppendOutcome.Stored stored
            ? stored with { Events = [.. stored.Events.Select(e => e.Position == 0 ? positioned[e.EventId] : e)] }
            : outcome)];
    }

    private static async Task<Dictionary<Guid, StreamState>> LockStreamsAsync(NpgsqlConnection connection, Guid[] ids, CancellationToken cancellationToken)
    {
        // Sorted ids and ORDER BY: two writers lock rows in the same order and cannot deadlock.
        await using var command = new NpgsqlCommand(
            "SELECT aggregate_id, aggregate_type, current_version FROM event_store.streams WHERE aggregate_id = ANY(@ids) ORDER BY aggregate_id FOR UPDATE",
            connection);
        command.Parameters.AddWithValue("ids", ids);
        var streams = new Dictionary<Guid, StreamState>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            streams[reader.GetGuid(0)] = new StreamState(reader.GetString(1), reader.GetInt64(2));
        }

        return streams;
    }

    private static async Task<Dictionary<Guid, StoredEvent>> FindExistingAsync(NpgsqlConnection connection, Guid[] eventIds, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"SELECT {EventRows.Columns} FROM event_store.events WHERE event_id = ANY(@ids)", connection);
        command.Parameters.AddWithValue("ids", eventIds);
        return (await EventRows.ReadAllAsync(command, cancellationToken)).ToDictionary(e => e.EventId);
    }

    /// <summary>
    /// Every write of a group in one round trip (a batch; each statement prepared once per pooled connection): take
    /// the positions, insert the events, move the streams, count them per day, wake the outbox relay (delivered at
    /// commit). Round trips are what a group waits for on a busy 2-core machine: each one is two thread wake-ups.
    /// Returns the last position taken; the events hold last - n + 1 .. last in the order given.
    /// </summary>
    private static async Task<long> WriteAsync(NpgsqlConnection connection, AppendDecision decision, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                AllocateAndInsert(decision.Inserts),
                UpsertStreams([.. decision.LastOfEachStream], now),
                CountPerDay(decision.Inserts),
                new NpgsqlBatchCommand($"SELECT pg_notify('{AppendNotifications.Channel}', last_position::text) FROM event_store.global_position"),
            },
        };
        await batch.PrepareAsync(cancellationToken);
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var last = reader.GetInt64(0);
        // Read every result: an error in a later statement must surface here, before the commit.
        while (await reader.NextResultAsync(cancellationToken))
        {
        }

        return last;
    }

    /// <summary>
    /// Takes n positions from the counter row and inserts the events with them. The row lock is held until commit, so
    /// positions become visible in allocation order: a reader tailing by position never skips an event that commits late.
    /// </summary>
    private static NpgsqlBatchCommand AllocateAndInsert(IReadOnlyList<StoredEvent> events)
    {
        var command = new NpgsqlBatchCommand(
            """
            WITH allocated AS (
                UPDATE event_store.global_position SET last_position = last_position + @n RETURNING last_position
            ), inserted AS (
                INSERT INTO event_store.events (event_id, aggregate_id, aggregate_type, aggregate_version, event_type, event_version,
                    occurred_at, payload, metadata, causation_id, correlation_id, position, traceparent, created_at, updated_at)
                SELECT u.event_id, u.aggregate_id, u.aggregate_type, u.aggregate_version, u.event_type, u.event_version,
                    u.occurred_at, u.payload, u.metadata, u.causation_id, u.correlation_id, a.last_position - @n + u.ord, u.traceparent,
                    u.occurred_at, u.occurred_at
                FROM allocated a, unnest(@event_id, @aggregate_id, @aggregate_type, @aggregate_version, @event_type, @event_version,
                    @occurred_at, @payload, @metadata, @causation_id, @correlation_id, @traceparent) WITH ORDINALITY
                    AS u(event_id, aggregate_id, aggregate_type, aggregate_version, event_type, event_version,
                    occurred_at, payload, metadata, causation_id, correlation_id, traceparent, ord)
            )
            SELECT last_position FROM allocated
            """);
        var p = command.Parameters;
        p.AddWithValue("n", (long)events.Count);
        p.AddWithValue("event_id", events.Select(e => e.EventId).ToArray());
        p.AddWithValue("aggregate_id", events.Select(e => e.AggregateId).ToArray());
        p.AddWithValue("aggregate_type", events.Select(e => e.AggregateType).ToArray());
        p.AddWithValue("aggregate_version", events.Select(e => e.AggregateVersion).ToArray());
        p.AddWithValue("event_type", events.Select(e => e.EventType).ToArray());
        p.AddWithValue("event_version", events.Select(e => e.EventVersion).ToArray());
        p.AddWithValue("occurred_at", events.Select(e => e.OccurredAt).ToArray());
        p.Add(new NpgsqlParameter("payload", NpgsqlDbType.Array | NpgsqlDbType.Jsonb) { Value = events.Select(e => e.Payload.GetRawText()).ToArray() });
        p.Add(new NpgsqlParameter("metadata", NpgsqlDbType.Array | NpgsqlDbType.Jsonb) { Value = events.Select(e => e.Metadata.GetRawText()).ToArray() });
        p.Add(new NpgsqlParameter("causation_id", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = events.Select(e => (object?)e.CausationId ?? DBNull.Value).ToArray() });
        p.Add(new NpgsqlParameter("correlation_id", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = events.Select(e => (object?)e.CorrelationId ?? DBNull.Value).ToArray() });
        p.Add(new NpgsqlParameter("traceparent", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = events.Select(e => (object?)e.TraceParent ?? DBNull.Value).ToArray() });
        return command;
    }

    /// <summary>Adds the events to the per-day rollup of the analytics.</summary>
    private static NpgsqlBatchCommand CountPerDay(IReadOnlyList<StoredEvent> inserted)
    {
        var command = new NpgsqlBatchCommand(
            """
            INSERT INTO event_store.event_counts_daily AS c (day, aggregate_type, events)
            SELECT (u.occurred_at AT TIME ZONE 'UTC')::date, u.aggregate_type, count(*) FROM unnest(@occurred, @types) AS u(occurred_at, aggregate_type)
            GROUP BY 1, 2 ORDER BY 1, 2
            ON CONFLICT (day, aggregate_type) DO UPDATE SET events = c.events + EXCLUDED.events
            """);
        command.Parameters.AddWithValue("occurred", inserted.Select(e => e.OccurredAt).ToArray());
        command.Parameters.AddWithValue("types", inserted.Select(e => e.AggregateType).ToArray());
        return command;
    }

    private static NpgsqlBatchCommand UpsertStreams(List<StoredEvent> last, DateTimeOffset now)
    {
        var command = new NpgsqlBatchCommand(
            """
            INSERT INTO event_store.streams (aggregate_id, aggregate_type, current_version, created_at, updated_at)
            SELECT u.aggregate_id, u.aggregate_type, u.current_version, @now, @now
            FROM unnest(@aggregate_id, @aggregate_type, @current_version) AS u(aggregate_id, aggregate_type, current_version)
            ON CONFLICT (aggregate_id) DO UPDATE SET current_version = EXCLUDED.current_version, updated_at = EXCLUDED.updated_at
            """);
        command.Parameters.AddWithValue("aggregate_id", last.Select(e => e.AggregateId).ToArray());
        command.Parameters.AddWithValue("aggregate_type", last.Select(e => e.AggregateType).ToArray());
        command.Parameters.AddWithValue("current_version", last.Select(e => e.AggregateVersion).ToArray());
        command.Parameters.AddWithValue("now", now);
        return command;
    }
}
