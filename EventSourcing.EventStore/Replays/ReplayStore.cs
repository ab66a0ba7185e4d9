using Npgsql;

namespace EventSourcing.EventStore.Replays;

public sealed record ReplayStatus(
    Guid ReplayId,
    IReadOnlyList<string> ModelNames,
    string Status,
    string? CurrentModel,
    int ModelsDone,
    long EventsTotal,
    long EventsDone,
    long DocumentsWritten,
    long FailedAggregates,
    string? Error,
    DateTimeOffset RequestedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? FinishedAt)
{
    /// <summary>Events per second since the replay started (0 before it has).</summary>
    public double Rate(DateTimeOffset now) =>
        StartedAt is { } started && (FinishedAt ?? now) - started is { TotalSeconds: > 0 } elapsed ? EventsDone / elapsed.TotalSeconds : 0;

    /// <summary>Seconds left at the current rate; null when unknown, 0 when finished.</summary>
    public double? EtaSeconds(DateTimeOffset now) =>
        Status is "completed" or "failed" ? 0 : ReplayProgress.EtaSeconds(EventsTotal, EventsDone, Rate(now));
}

/// <summary>Progress of one running replay, updated by the replayer and written out by the worker's heartbeat.</summary>
public sealed class ReplayProgress
{
    private long _eventsDone;
    private long _documentsWritten;
    private long _failedAggregates;

    public long EventsTotal { get; set; }
    public string? CurrentModel { get; set; }
    public int ModelsDone { get; set; }
    public long EventsDone => Interlocked.Read(ref _eventsDone);
    public long DocumentsWritten => Interlocked.Read(ref _documentsWritten);
    public long FailedAggregates => Interlocked.Read(ref _failedAggregates);

    public void Applied(long events, long documents)
    {
        Interlocked.Add(ref _eventsDone, events);
        Interlocked.Add(ref _documentsWritten, documents);
    }

    public void Failed(long aggregates = 1) => Interlocked.Add(ref _failedAggregates, aggregates);

    /// <summary>Seconds left for the events not done yet at <paramref name="eventsPerSecond"/>; null when the rate is unknown.</summary>
    public static double? EtaSeconds(long total, long done, double eventsPerSecond) =>
        eventsPerSecond > 0 ? Math.Max(0, total - done) / eventsPerSecond : null;
}

/// <summary>
/// The replay queue (event_store.read_model_replays): the API requests and reports, the processor claims, heartbeats
/// and finishes. A replay whose worker stops heart-beating is taken over by another (it restarts from scratch).
/// </summary>
public sealed class ReplayStore(NpgsqlDataSource dataSource, TimeProvider timeProvider)
{
    public static readonly TimeSpan StaleAfter = TimeSpan.FromSeconds(30);

    private const long RequestLockKey = 0x45_76_53_74_52_70_6C; // "EvStRpl"
    private const string Columns =
        "replay_id, model_names, status, current_model, models_done, events_total, events_done, documents_written, failed_aggregates, " +
        "error, requested_at, started_at, updated_at, finished_at";

    private const string Open = "(status = 'queued' OR (status = 'running' AND updated_at > @stale))";

    /// <summary>Queues a replay of the models; null (with the model) when one of them already has a replay queued or running.</summary>
    public async Task<(ReplayStatus? Replay, string? BusyModel)> RequestAsync(IReadOnlyList<string> modelNames, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var lockCommand = new NpgsqlCommand($"SELECT pg_advisory_xact_lock({RequestLockKey})", connection))
        {
            await lockCommand.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var busy = new NpgsqlCommand(
            $"SELECT m FROM event_store.read_model_replays, unnest(model_names) AS m WHERE {Open} AND m = ANY(@models) LIMIT 1", connection))
        {
            busy.Parameters.AddWithValue("stale", timeProvider.GetUtcNow() - StaleAfter);
            busy.Parameters.AddWithValue("models", modelNames.ToArray());
            if (await busy.ExecuteScalarAsync(cancellationToken) is string model)
            {
                return (null, model);
            }
        }

        await using var insert = new NpgsqlCommand(
            $"INSERT INTO event_store.read_model_replays (replay_id, model_names, status, requested_at, updated_at) VALUES (@id, @models, 'queued', @now, @now) RETURNING {Columns}",
            connection);
        insert.Parameters.AddWithValue("id", Guid.CreateVersion7());
        insert.Parameters.AddWithValue("models", modelNames.ToArray());
        insert.Parameters.AddWithValue("now", timeProvider.GetUtcNow());
        var created = (await ReadAsync(insert, cancellationToken))[0];
        await transaction.CommitAsync(cancellationToken);
        return (created, null);
    }

    public async Task<ReplayStatus?> GetAsync(Guid replayId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM event_store.read_model_replays WHERE replay_id = @id");
        command.Parameters.AddWithValue("id", replayId);
        return (await ReadAsync(command, cancellationToken)).FirstOrDefault();
    }

    public async Task<List<ReplayStatus>> RecentAsync(int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM event_store.read_model_replays ORDER BY requested_at DESC LIMIT @limit");
        command.Parameters.AddWithValue("limit", limit);
        return await ReadAsync(command, cancellationToken);
    }

    /// <summary>The oldest queued replay (or a running one whose worker died), now running on this worker.</summary>
    public async Task<ReplayStatus?> ClaimAsync(string worker, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            $"""
            UPDATE event_store.read_model_replays SET status = 'running', worker = @worker, started_at = @now, updated_at = @now,
                models_done = 0, events_done = 0, documents_written = 0, failed_aggregates = 0, current_model = NULL
            WHERE replay_id = (
                SELECT replay_id FROM event_store.read_model_replays
                WHERE status = 'queued' OR (status = 'running' AND updated_at <= @stale)
                ORDER BY requested_at LIMIT 1 FOR UPDATE SKIP LOCKED)
            RETURNING {Columns}
            """);
        var now = timeProvider.GetUtcNow();
        command.Parameters.AddWithValue("worker", worker);
        command.Parameters.AddWithValue("now", now);
        command.Parameters.AddWithValue("stale", now - StaleAfter);
        return (await ReadAsync(command, cancellationToken)).FirstOrDefault();
    }

    /// <summary>Writes the progress (and the heartbeat); <paramref name="status"/> and <paramref name="error"/> when it ends.</summary>
    public async Task ReportAsync(Guid replayId, ReplayProgress progress, string status, string? error, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            UPDATE event_store.read_model_replays SET status = @status, current_model = @model, models_done = @models_done,
                events_total = @total, events_done = @done, documents_written = @documents, failed_aggregates = @failed,
                error = @error, updated_at = @now, finished_at = CASE WHEN @status IN ('completed', 'failed') THEN @now END
            WHERE replay_id = @id
            """);
        command.Parameters.AddWithValue("id", replayId);
        command.Parameters.AddWithValue("status", status);
        command.Parameters.AddWithValue("model", (object?)progress.CurrentModel ?? DBNull.Value);
        command.Parameters.AddWithValue("models_done", progress.ModelsDone);
        command.Parameters.AddWithValue("total", Math.Max(progress.EventsTotal, progress.EventsDone));
        command.Parameters.AddWithValue("done", progress.EventsDone);
        command.Parameters.AddWithValue("documents", progress.DocumentsWritten);
        command.Parameters.AddWithValue("failed", progress.FailedAggregates);
        command.Parameters.AddWithValue("error", (object?)error ?? DBNull.Value);
        command.Parameters.AddWithValue("now", timeProvider.GetUtcNow());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<List<ReplayStatus>> ReadAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var rows = new List<ReplayStatus>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new ReplayStatus(
                reader.GetGuid(0), reader.GetFieldValue<string[]>(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.GetInt32(4), reader.GetInt64(5), reader.GetInt64(6), reader.GetInt64(7), reader.GetInt64(8),
                reader.IsDBNull(9) ? null : reader.GetString(9), reader.GetFieldValue<DateTimeOffset>(10),
                reader.IsDBNull(11) ? null : reader.GetFieldValue<DateTimeOffset>(11), reader.GetFieldValue<DateTimeOffset>(12),
                reader.IsDBNull(13) ? null : reader.GetFieldValue<DateTimeOffset>(13)));
        }

        return rows;
    }
}
