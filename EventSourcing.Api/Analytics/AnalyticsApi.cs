using System.Text.Json.Nodes;
using EventSourcing.Api.Http;
using EventSourcing.Api.Security;
using EventSourcing.Domain.Events;
using EventSourcing.EventStore.Processing;
using Npgsql;

namespace EventSourcing.Api.Analytics;

/// <summary>
/// Analytics that stay fast as the store grows: events-per-day reads the daily rollup the appends maintain (a row per
/// day and type, whole UTC days), processing-latency is a range scan of idx_processing_status_processed_at,
/// aggregate-sizes one pass over streams (one row per aggregate, not per event) and snapshots.
/// Windows default to the last 30 days and are capped at 366.
/// </summary>
public static class AnalyticsApi
{
    private static readonly TimeSpan DefaultWindow = TimeSpan.FromDays(30);
    private static readonly TimeSpan MaxWindow = TimeSpan.FromDays(366);

    public static IEndpointRouteBuilder MapAnalyticsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/events/analytics").WithTags("Analytics").RequireAuthorization(Scopes.Read);
        api.MapGet("/events-per-day", EventsPerDayAsync).WithSummary("Events per UTC day in [from, to)");
        api.MapGet("/processing-latency", ProcessingLatencyAsync).WithSummary("Append-to-processed latency of events processed in [from, to)");
        api.MapGet("/aggregate-sizes", AggregateSizesAsync).WithSummary("Aggregates, events and snapshot state size per aggregate type");
        return app;
    }

    private static async Task<IResult> EventsPerDayAsync(HttpRequest request, NpgsqlDataSource dataSource, TimeProvider time, CancellationToken cancellationToken)
    {
        var query = new QueryReader(request.Query);
        var (from, to) = Window(query, time);
        var aggregateType = query.Matching("aggregateType", EventNames.AggregateType());
        if (query.HasErrors)
        {
            return Problems.Validation(query.Errors);
        }

        // The UTC days the window touches, [from's day, the day of the last instant before to].
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
        var days = new JsonArray();
        await using var rows = await command.ExecuteReaderAsync(cancellationToken);
        while (await rows.ReadAsync(cancellationToken))
        {
            days.Add(new JsonObject
            {
                ["day"] = rows.GetFieldValue<DateOnly>(0).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                ["count"] = rows.GetInt64(1),
            });
        }

        return TypedResults.Ok(days);
    }

    private static async Task<IResult> ProcessingLatencyAsync(HttpRequest request, ProcessingStatusStore statuses, TimeProvider time, CancellationToken cancellationToken)
    {
        var query = new QueryReader(request.Query);
        var (from, to) = Window(query, time);
        if (query.HasErrors)
        {
            return Problems.Validation(query.Errors);
        }

        var latency = await statuses.LatencyAsync(from, to, cancellationToken);
        return TypedResults.Ok(new JsonObject
        {
            ["count"] = latency.Count,
            ["avgMs"] = Math.Round(latency.AvgMs, 3),
            ["p50Ms"] = Math.Round(latency.P50Ms, 3),
            ["p95Ms"] = Math.Round(latency.P95Ms, 3),
            ["p99Ms"] = Math.Round(latency.P99Ms, 3),
            ["maxMs"] = Math.Round(latency.MaxMs, 3),
        });
    }

    private static async Task<IResult> AggregateSizesAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            SELECT s.aggregate_type, count(*), avg(s.current_version)::float8, max(s.current_version),
                   coalesce((SELECT avg(pg_column_size(a.state)) FROM event_store.aggregate_snapshots a WHERE a.aggregate_type = s.aggregate_type), 0)::float8
            FROM event_store.streams s
            GROUP BY s.aggregate_type ORDER BY s.aggregate_type
            """);
        var sizes = new JsonArray();
        await using var rows = await command.ExecuteReaderAsync(cancellationToken);
        while (await rows.ReadAsync(cancellationToken))
        {
            sizes.Add(new JsonObject
            {
                ["aggregateType"] = rows.GetString(0),
                ["aggregates"] = rows.GetInt64(1),
                ["avgEvents"] = Math.Round(rows.GetDouble(2), 2),
                ["maxEvents"] = rows.GetInt64(3),
                ["avgStateBytes"] = Math.Round(rows.GetDouble(4), 1),
            });
        }

        return TypedResults.Ok(sizes);
    }

    private static (DateTimeOffset From, DateTimeOffset To) Window(QueryReader query, TimeProvider time)
    {
        var to = query.Timestamp("to") ?? time.GetUtcNow();
        var from = query.Timestamp("from") ?? to - DefaultWindow;
        if (from >= to)
        {
            query.Error("from", "must be before to");
        }
        else if (to - from > MaxWindow)
        {
            query.Error("from", "the window may span at most 366 days");
        }

        return (from, to);
    }
}
