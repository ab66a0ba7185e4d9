using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

namespace EventSourcing.EventStore.Snapshots;

public sealed record Snapshot(Guid AggregateId, string AggregateType, long Version, JsonElement State, DateTimeOffset CreatedAt);

/// <summary>How many snapshots to keep per aggregate (SNAPSHOT_RETENTION; at least 1).</summary>
public sealed record SnapshotRetention(int Keep)
{
    public static readonly SnapshotRetention Default = new(3);
}

/// <summary>
/// Snapshots in aggregate_snapshots, keyed (aggregate, version): the last <see cref="SnapshotRetention.Keep"/> of
/// each aggregate are kept, older ones are pruned when a newer one is written. Never on the append path.
/// </summary>
public sealed class SnapshotStore : IDisposable
{
    public const string MeterName = "EventSourcing.Snapshots";

    private static readonly double[] DurationBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1];

    private readonly NpgsqlDataSource _dataSource;
    private readonly int _keep;
    private readonly Meter _meter;
    private readonly Counter<long> _created;
    private readonly Histogram<double> _duration;

    public SnapshotStore(NpgsqlDataSource dataSource, SnapshotRetention retention, IMeterFactory meterFactory)
    {
        _dataSource = dataSource;
        _keep = Math.Max(1, retention.Keep);
        _meter = meterFactory.Create(MeterName);
        _created = _meter.CreateCounter<long>("event_sourcing_snapshots_created", "{snapshot}", "Aggregate snapshots written");
        _duration = _meter.CreateHistogram("event_sourcing_snapshot_creation_duration", "s", "Time to write a snapshot",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
    }

    /// <summary>The latest snapshot, or the latest at or before <paramref name="atOrBefore"/>.</summary>
    public async Task<Snapshot?> FindAsync(Guid aggregateId, CancellationToken cancellationToken, long atOrBefore = long.MaxValue)
    {
        await using var command = _dataSource.CreateCommand(
            """
            SELECT aggregate_id, aggregate_type, version, state::text, created_at FROM event_store.aggregate_snapshots
            WHERE aggregate_id = @id AND version <= @max ORDER BY version DESC LIMIT 1
            """);
        command.Parameters.AddWithValue("id", aggregateId);
        command.Parameters.AddWithValue("max", atOrBefore);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new Snapshot(reader.GetGuid(0), reader.GetString(1), reader.GetInt64(2), JsonElement.Parse(reader.GetString(3)), reader.GetFieldValue<DateTimeOffset>(4))
            : null;
    }

    /// <summary>The versions of the snapshots kept for an aggregate, newest first.</summary>
    public async Task<List<long>> VersionsAsync(Guid aggregateId, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(
            "SELECT version FROM event_store.aggregate_snapshots WHERE aggregate_id = @id ORDER BY version DESC");
        command.Parameters.AddWithValue("id", aggregateId);
        return await command.ReadAllAsync(reader => reader.GetInt64(0), cancellationToken);
    }

    /// <summary>Stores the snapshot (a version already snapshotted is kept as it is) and prunes beyond the retention.</summary>
    public async Task<Snapshot> SaveAsync(Snapshot snapshot, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var insert = new NpgsqlCommand(
            """
            INSERT INTO event_store.aggregate_snapshots (aggregate_id, aggregate_type, version, state, created_at)
            VALUES (@id, @type, @version, @state, @created_at)
            ON CONFLICT (aggregate_id, version) DO NOTHING
            RETURNING version
            """, connection);
        insert.Parameters.AddWithValue("id", snapshot.AggregateId);
        insert.Parameters.AddWithValue("type", snapshot.AggregateType);
        insert.Parameters.AddWithValue("version", snapshot.Version);
        insert.Parameters.Add(new NpgsqlParameter("state", NpgsqlDbType.Jsonb) { Value = snapshot.State.GetRawText() });
        insert.Parameters.AddWithValue("created_at", snapshot.CreatedAt);
        if (await insert.ExecuteScalarAsync(cancellationToken) is null)
        {
            return await FindAsync(snapshot.AggregateId, cancellationToken, snapshot.Version) ?? snapshot;
        }

        await using var prune = new NpgsqlCommand(
            """
            DELETE FROM event_store.aggregate_snapshots WHERE aggregate_id = @id AND version < (
                SELECT min(version) FROM (
                    SELECT version FROM event_store.aggregate_snapshots WHERE aggregate_id = @id ORDER BY version DESC LIMIT @keep) AS kept)
            """, connection);
        prune.Parameters.AddWithValue("id", snapshot.AggregateId);
        prune.Parameters.AddWithValue("keep", _keep);
        await prune.ExecuteNonQueryAsync(cancellationToken);
        _created.Add(1, new KeyValuePair<string, object?>("aggregate_type", snapshot.AggregateType));
        _duration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds);
        return snapshot;
    }

    /// <summary>
    /// Of the given aggregates, those due a time-based snapshot (events after their latest snapshot, which, or without
    /// one the aggregate itself, was created at or before <paramref name="cutoff"/>), and those with nothing after their
    /// latest snapshot (settled: no longer candidates).
    /// </summary>
    public async Task<(List<(Guid AggregateId, string AggregateType)> Due, List<Guid> Settled)> DueByAgeAsync(
        Guid[] aggregateIds, DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(
            """
            SELECT s.aggregate_id, s.aggregate_type, s.current_version > coalesce(snap.version, 0), coalesce(snap.created_at, s.created_at) <= @cutoff
            FROM event_store.streams s
            LEFT JOIN LATERAL (
                SELECT a.version, a.created_at FROM event_store.aggregate_snapshots a
                WHERE a.aggregate_id = s.aggregate_id ORDER BY a.version DESC LIMIT 1) snap ON true
            WHERE s.aggregate_id = ANY(@ids)
            """);
        command.Parameters.AddWithValue("ids", aggregateIds);
        command.Parameters.AddWithValue("cutoff", cutoff);
        var due = new List<(Guid, string)>();
        var settled = new List<Guid>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var (id, behind, old) = (reader.GetGuid(0), reader.GetBoolean(2), reader.GetBoolean(3));
            if (!behind)
            {
                settled.Add(id);
            }
            else if (old)
            {
                due.Add((id, reader.GetString(1)));
            }
        }

        return (due, settled);
    }

    public void Dispose() => _meter.Dispose();
}
