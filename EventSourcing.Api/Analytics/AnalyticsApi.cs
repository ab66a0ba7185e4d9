using EventSourcing.Api.Http;
using EventSourcing.Api.Security;
using EventSourcing.Contracts;
using EventSourcing.EventStore.Processing;
using EventSourcing.EventStore.Reading;
using Microsoft.AspNetCore.Http.HttpResults;

namespace EventSourcing.Api.Analytics;

/// <summary>
/// Analytics that stay fast as the store grows (<see cref="EventStatistics"/>, <see cref="ProcessingStatusStore"/>).
/// Windows default to the last 30 days and are capped at 366.
/// </summary>
public static class AnalyticsApi
{
    private static readonly TimeSpan DefaultWindow = TimeSpan.FromDays(30);
    private static readonly TimeSpan MaxWindow = TimeSpan.FromDays(366);

    public static IEndpointRouteBuilder MapAnalyticsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/events/analytics").WithTags(ApiTags.Analytics).RequireAuthorization(Scopes.Read);
        api.MapGet("/events-per-day", EventsPerDayAsync)
            .WithName("getEventsPerDay")
            .WithSummary("Events per UTC day in [from, to)")
            .WithDescription("Whole UTC days the window touches, from a daily rollup the appends maintain (window: last 30 days by default, at most 366).")
            .WithParameters(ApiParameters.From, ApiParameters.To, ApiParameters.AggregateTypeFilter)
            .ProducesProblems(400);
        api.MapGet("/processing-latency", ProcessingLatencyAsync)
            .WithName("getProcessingLatency")
            .WithSummary("Append-to-processed latency of the events processed in [from, to)")
            .WithParameters(ApiParameters.From, ApiParameters.To)
            .ProducesProblems(400);
        api.MapGet("/aggregate-sizes", AggregateSizesAsync)
            .WithName("getAggregateSizes")
            .WithSummary("Aggregates, events and snapshot state size per aggregate type");
        api.MapGet("/aggregate-size-histogram", AggregateSizeHistogramAsync)
            .WithName("getAggregateSizeHistogram")
            .WithSummary("Aggregates per number of events, in power-of-two buckets, per aggregate type")
            .WithDescription("Buckets 1, 2-3, 4-7, 8-15, ... events; only buckets that hold aggregates are listed.")
            .WithParameters(ApiParameters.AggregateTypeFilter)
            .ProducesProblems(400);
        return app;
    }

    private static async Task<Results<Ok<IReadOnlyList<EventsPerDay>>, ProblemHttpResult>> EventsPerDayAsync(HttpRequest request, EventStatistics statistics,
        TimeProvider time, CancellationToken cancellationToken)
    {
        var query = new QueryReader(request.Query);
        var (from, to) = Window(query, time);
        var aggregateType = query.Matching(ApiParameters.AggregateTypeFilter);
        if (query.HasErrors)
        {
            return Problems.Validation(query.Errors);
        }

        var days = await statistics.EventsPerDayAsync(from, to, aggregateType, cancellationToken);
        return TypedResults.Ok<IReadOnlyList<EventsPerDay>>(
            [.. days.Select(d => new EventsPerDay(d.Day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), d.Events))]);
    }

    private static async Task<Results<Ok<ProcessingLatencyResponse>, ProblemHttpResult>> ProcessingLatencyAsync(HttpRequest request,
        ProcessingStatusStore statuses, TimeProvider time, CancellationToken cancellationToken)
    {
        var query = new QueryReader(request.Query);
        var (from, to) = Window(query, time);
        if (query.HasErrors)
        {
            return Problems.Validation(query.Errors);
        }

        var l = await statuses.LatencyAsync(from, to, cancellationToken);
        return TypedResults.Ok(new ProcessingLatencyResponse(l.Count, Math.Round(l.AvgMs, 3), Math.Round(l.P50Ms, 3), Math.Round(l.P95Ms, 3),
            Math.Round(l.P99Ms, 3), Math.Round(l.MaxMs, 3)));
    }

    private static async Task<Ok<IReadOnlyList<AggregateSize>>> AggregateSizesAsync(EventStatistics statistics, CancellationToken cancellationToken)
    {
        var sizes = await statistics.AggregateSizesAsync(cancellationToken);
        return TypedResults.Ok<IReadOnlyList<AggregateSize>>(
            [.. sizes.Select(s => new AggregateSize(s.AggregateType, s.Aggregates, Math.Round(s.AvgEvents, 2), s.MaxEvents, Math.Round(s.AvgStateBytes, 1)))]);
    }

    private static async Task<Results<Ok<IReadOnlyList<AggregateSizeBucket>>, ProblemHttpResult>> AggregateSizeHistogramAsync(HttpRequest request,
        EventStatistics statistics, CancellationToken cancellationToken)
    {
        var query = new QueryReader(request.Query);
        var aggregateType = query.Matching(ApiParameters.AggregateTypeFilter);
        if (query.HasErrors)
        {
            return Problems.Validation(query.Errors);
        }

        var buckets = await statistics.AggregateSizeHistogramAsync(aggregateType, cancellationToken);
        return TypedResults.Ok<IReadOnlyList<AggregateSizeBucket>>(
            [.. buckets.Select(b => new AggregateSizeBucket(b.AggregateType, 1L << b.Bucket, (1L << (b.Bucket + 1)) - 1, b.Aggregates))]);
    }

    private static (DateTimeOffset From, DateTimeOffset To) Window(QueryReader query, TimeProvider time)
    {
        var to = query.Timestamp(ApiParameters.To) ?? time.GetUtcNow();
        var from = query.Timestamp(ApiParameters.From) ?? to - DefaultWindow;
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
