using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text.Json.Nodes;
using Npgsql;
using NpgsqlTypes;

namespace EventSourcing.Core.Snapshots;

public sealed record Snapshot(Guid AggregateId, string AggregateType, long Version, JsonObject State, DateTimeOffset CreatedAt);

/// <summary>
/// The latest snapshot of each aggregate (the seed's aggregate_snapshots: one row per aggregate). A snapshot only
/// ever moves forward: writing an older version than the stored one changes nothing.
/// </summary>
public sealed class SnapshotStore : IDisposable
{
    public const string MeterName = "EventSourcing.Snapshots";

    private static readonly double[] DurationBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1];

    private readonly NpgsqlDataSource _dataSource;
    private readonly Meter _meter;
    private readonly Counter<long> _created;
    private readonly Histogram<double> _duration;

    public SnapshotStore(NpgsqlDataSource dataSource, IMeterFactory meterFactory)
    {
        _dataSource = dataSource;
        _meter = meterFactory.Create(MeterName);
        _created = _meter.CreateCounter<long>("event_sourcing_snapshots_created", "{snapshot}", "Aggregate snapshots written");
        _duration = _meter.CreateHistogram("event_sourcing_snapshot_creation_duration", "s", "Time to write a snapshot",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
    }

    public async Task<Snapshot?> FindAsync(Guid aggregateId, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(
            "SELECT aggregate_id, aggregate_type, version, state::text, created_at FROM event_store.aggregate_snapshots WHERE aggregate_id = @id");
        command.Parameters.AddWithValue("id", aggregateId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new Snapshot(reader.GetGuid(0), reader.GetString(1), reader.GetInt64(2), JsonNode.Parse(reader.GetString(3))!.AsObject(), reader.GetFieldValue<DateTimeOffset>(4))
            : null;
    }

    /// <summary>Stores the snapshot unless a newer one is already there; returns what is stored afterwards.</summary>
    public async Task<Snapshot> SaveAsync(Snapshot snapshot, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        await using var command = _dataSource.CreateCommand(
            """
            INSERT INTO event_store.aggregate_snapshots AS s (aggregate_id, aggregate_type, version, state, created_at)
            VALUES (@id, @type, @version, @state, @created_at)
            ON CONFLICT (aggregate_id) DO UPDATE SET version = EXCLUDED.version, state = EXCLUDED.state, created_at = EXCLUDED.created_at
                WHERE s.version < EXCLUDED.version
            RETURNING version
            """);
        command.Parameters.AddWithValue("id", snapshot.AggregateId);
        command.Parameters.AddWithValue("type", snapshot.AggregateType);
        command.Parameters.AddWithValue("version", snapshot.Version);
        command.Parameters.Add(new NpgsqlParameter("state", NpgsqlDbType.Jsonb) { Value = snapshot.State.ToJsonString() });
        command.Parameters.AddWithValue("created_at", snapshot.CreatedAt);
        var written = await command.ExecuteScalarAsync(cancellationToken) is not null;
        if (written)
        {
            _created.Add(1, new KeyValuePair<string, object?>("aggregate_type", snapshot.AggregateType));
            _duration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds);
            return snapshot;
        }

        return await FindAsync(snapshot.AggregateId, cancellationToken) ?? snapshot;
    }

    public void Dispose() => _meter.Dispose();
}
