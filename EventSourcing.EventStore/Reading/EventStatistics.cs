using Npgsql;

namespace EventSourcing.EventStore.Reading;

public sealed record DayCount(DateOnly Day, long Events);

public sealed record TypeSize(string AggregateType, long Aggregates, double AvgEvents, long MaxEvents, double AvgStateBytes);

/// <summary>Aggregates of a type with 2^bucket to 2^(bucket+1)-1 events.</summary>
public sealed record SizeBucket(string AggregateType, int Bucket, long Aggregates);

/// <summary>
/// The store's statistics, from what stays small as it grows: events per day from the daily rollup the appends
/// maintain (a row per day and type), aggregate sizes from one pass over streams (a row per aggregate, not per event).
/// </summary>
public sealed class EventStatistics(NpgsqlDataSource dataSource)
{
    /// <summary>Events per UTC day the window [from, to) touches, of one aggregate type or all.</summary>
    public async Task<List<DayCount>> EventsPerDayAsync(DateTimeOffset from, DateTimeOffset to, string? aggregateType, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            SELECT day, sum(events)::bigint FROM event_store.event_counts_daily
            WHERE day >= (@from AT TIME ZONE 'UTC')::date AND day <= ((@to - interval '1 microsecond') AT TIME ZONE 'UTC')::date
              AND (@type::text IS NULL OR aggregate_type = @type)
            GROUP BY day ORDER BY day
            """);
        command.Parameters.AddWithValue("from", from);
        command.Parameters.AddWithValue("to", to);
        command.Parameters.Add(new NpgsqlParameter("type", NpgsqlTypes.NpgsqlDbType.Text) { Value = (object?)aggregateType ?? DBNull.Value });
        return await command.ReadAllAsync(rows => new DayCount(rows.GetFieldValue<DateOnly>(0), rows.GetInt64(1)), cancellationToken);
    }

    /// <summary>Per aggregate type: aggregates, events per aggregate (average, max) and the average snapshot state size.</summary>
    public async Task<List<TypeSize>> AggregateSizesAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            SELECT s.aggregate_type, count(*), avg(s.current_version)::float8, max(s.current_version),
                   coalesce((SELECT avg(pg_column_size(a.state)) FROM event_store.aggregate_snapshots a WHERE a.aggregate_type = s.aggregate_type), 0)::float8
            FROM event_store.streams s
            GROUP BY s.aggregate_type ORDER BY s.aggregate_type
            """);
        return await command.ReadAllAsync(
            rows => new TypeSize(rows.GetString(0), rows.GetInt64(1), rows.GetDouble(2), rows.GetInt64(3), rows.GetDouble(4)), cancellationToken);
    }

    /// <summary>
    /// Aggregates per type and power-of-two size bucket (one pass over the streams, as the sizes above); the bucket is the
    /// version's highest set bit, exact where a floating-point log2 would misplace 2^k-1.
    /// </summary>
    public async Task<List<SizeBucket>> AggregateSizeHistogramAsync(string? aggregateType, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            SELECT aggregate_type, length(ltrim(current_version::bit(64)::text, '0')) - 1 AS bucket, count(*)
            FROM event_store.streams
            WHERE current_version > 0 AND (@type::text IS NULL OR aggregate_type = @type)
            GROUP BY 1, 2 ORDER BY 1, 2
            """);
        command.Parameters.AddWithValue("type", (object?)aggregateType ?? DBNull.Value);
        return await command.ReadAllAsync(rows => new SizeBucket(rows.GetString(0), rows.GetInt32(1), rows.GetInt64(2)), cancellationToken);
    }
}
