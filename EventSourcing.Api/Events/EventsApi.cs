using System.Text.Json;
using EventSourcing.Api.Http;
using EventSourcing.Api.Security;
using EventSourcing.Contracts;
using EventSourcing.Domain.Appending;
using EventSourcing.Domain.Events;
using EventSourcing.EventStore.Appending;
using EventSourcing.EventStore.Reading;
using Microsoft.AspNetCore.Http.HttpResults;
using StoreDirection = EventSourcing.EventStore.Reading.ReadDirection;

namespace EventSourcing.Api.Events;

/// <summary>The event store over REST: appends (single, batch), stream reads, event queries, aggregate listing.</summary>
public static class EventsApi
{
    public const int MaxBatchSize = 1000;

    public static IEndpointRouteBuilder MapEventsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/events").WithTags(ApiTags.Events);

        api.MapPost("/events", AppendAsync).RequireAuthorization(Scopes.Write)
            .WithName("appendEvent")
            .WithSummary("Append one event")
            .WithDescription("""
                Stores one event on top of its aggregate (or at `expectedVersion`, optimistic concurrency) and answers with the stored event.
                A 201 means the event is durable in PostgreSQL; it reaches Kafka and the read models afterwards. Sending the same `eventId`
                with the same content again answers 200 with the stored event and writes nothing; with other content it is a 409.
                """)
            .Accepts<AppendEventRequest>("application/json")
            .ProducesProblems(400, 409, 413, 503);
        api.MapPost("/events/batch", AppendBatchAsync).RequireAuthorization(Scopes.Write)
            .WithName("appendEvents")
            .WithSummary("Append 1-1000 events, all or nothing")
            .WithDescription("""
                Appends the events in one transaction, in request order (any aggregates): all are stored, or none (the first failure's
                status and problem, with `index` naming the event). 200 when every event was an idempotent repeat of stored ones.
                """)
            .Accepts<AppendBatchRequest>("application/json")
            .ProducesProblems(400, 409, 413, 503);
        api.MapGet("/events", QueryEventsAsync).RequireAuthorization(Scopes.Read)
            .WithName("queryEvents")
            .WithSummary("Events in global order, filtered")
            .WithDescription("Events in `position` order after `afterPosition`; a reader tailing the store with `nextAfterPosition` never skips or repeats one.")
            .WithParameters(ApiParameters.AggregateTypeFilter, ApiParameters.EventTypeFilter, ApiParameters.CorrelationId,
                ApiParameters.PayloadContains, ApiParameters.MetadataContains, ApiParameters.From, ApiParameters.To, ApiParameters.AfterPosition,
                ApiParameters.Limit)
            .ProducesProblems(400);
        api.MapGet("/stream/{aggregateId}", ReadStreamAsync).RequireAuthorization(Scopes.Read)
            .WithName("readStream")
            .WithSummary("One aggregate's events, paged by version")
            .WithParameters(ApiParameters.AggregateId, ApiParameters.FromVersion, ApiParameters.Limit, ApiParameters.Direction)
            .ProducesProblems(400, 404);
        api.MapGet("/aggregates/{aggregateType}", ListAggregatesAsync).RequireAuthorization(Scopes.Read)
            .WithName("listAggregates")
            .WithSummary("Aggregates of a type, paged by id")
            .WithParameters(ApiParameters.AggregateType, ApiParameters.AfterAggregate, ApiParameters.Limit)
            .ProducesProblems(400);
        return app;
    }

    private static async Task<Results<Created<EventResponse>, Ok<EventResponse>, ProblemHttpResult>> AppendAsync(
        HttpRequest request, AppendRequestParser parser, EventAppender appender, CancellationToken cancellationToken)
    {
        var (newEvent, problem) = await RequestJson.ParseAsync(request, (body, errors) => parser.Parse(body, "", errors), cancellationToken);
        if (newEvent is null)
        {
            return problem!;
        }

        return await appender.AppendAsync([newEvent], cancellationToken) switch
        {
            AppendOutcome.Stored { AllDuplicates: true } stored => TypedResults.Ok(EventJson.ToResponse(stored.Events[0])),
            AppendOutcome.Stored stored => TypedResults.Created(StreamLocation(stored.Events[0]), EventJson.ToResponse(stored.Events[0])),
            var failure => Failure(failure, batch: false),
        };
    }

    private static async Task<Results<Created<BatchResponse>, Ok<BatchResponse>, ProblemHttpResult>> AppendBatchAsync(
        HttpRequest request, AppendRequestParser parser, EventAppender appender, CancellationToken cancellationToken)
    {
        var (events, problem) = await RequestJson.ParseAsync(request, (body, errors) => ParseBatch(body, parser, errors), cancellationToken);
        if (events is null)
        {
            return problem!;
        }

        return await appender.AppendAsync(events, cancellationToken) switch
        {
            AppendOutcome.Stored stored => stored.AllDuplicates
                ? TypedResults.Ok(new BatchResponse([.. stored.Events.Select(EventJson.ToResponse)]))
                : TypedResults.Created((string?)null, new BatchResponse([.. stored.Events.Select(EventJson.ToResponse)])),
            var failure => Failure(failure, batch: true),
        };
    }

    /// <summary>The batch's events, each parsed with its index in the field names (events[i].field); null when any is wrong.</summary>
    private static List<NewEvent>? ParseBatch(JsonElement body, AppendRequestParser parser, Dictionary<string, List<string>> errors)
    {
        if (BatchItems(body) is not { } items)
        {
            AppendRequestParser.Add(errors, "events", "is required: an array of 1 to 1000 events");
            return null;
        }

        var count = items.GetArrayLength();
        if (count is 0 or > MaxBatchSize)
        {
            AppendRequestParser.Add(errors, "events", $"must hold 1 to {MaxBatchSize} events (got {count})");
            return null;
        }

        var events = new List<NewEvent>(count);
        var i = 0;
        foreach (var item in items.EnumerateArray())
        {
            if (parser.Parse(item, $"events[{i++}].", errors) is { } parsed)
            {
                events.Add(parsed);
            }
        }

        return events;
    }

    /// <summary>The body's one "events" array, or null (not an object, no such array, or the member repeated).</summary>
    private static JsonElement? BatchItems(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        JsonElement? items = null;
        foreach (var member in body.EnumerateObject().Where(m => m.NameEquals("events")))
        {
            if (items is not null)
            {
                return null;
            }

            items = member.Value;
        }

        return items is { ValueKind: JsonValueKind.Array } array ? array : null;
    }

    private static async Task<Results<Ok<StreamResponse>, ProblemHttpResult>> ReadStreamAsync(string aggregateId, HttpRequest request, EventReader reader,
        CancellationToken cancellationToken)
    {
        var query = new QueryReader(request.Query);
        var id = query.RouteUuid(ApiParameters.AggregateId, aggregateId);
        var fromVersion = query.Integer(ApiParameters.FromVersion);
        var limit = query.Limit();
        var direction = query.Choice<StoreDirection>(ApiParameters.Direction) ?? StoreDirection.Forward;
        if (query.HasErrors)
        {
            return Problems.Validation(query.Errors);
        }

        var page = await reader.ReadStreamAsync(id, fromVersion, limit, direction, cancellationToken);
        if (page is null)
        {
            return Problems.Problem(StatusCodes.Status404NotFound, "Aggregate not found", $"aggregate {aggregateId} has no events");
        }

        return TypedResults.Ok(new StreamResponse(page.Stream.AggregateId, page.Stream.AggregateType, page.Stream.CurrentVersion,
            [.. page.Events.Select(EventJson.ToResponse)], page.NextFromVersion));
    }

    private static async Task<Results<Ok<EventPageResponse>, ProblemHttpResult>> QueryEventsAsync(HttpRequest request, EventReader reader,
        CancellationToken cancellationToken)
    {
        var query = new QueryReader(request.Query);
        var filter = new EventFilter(
            query.Matching(ApiParameters.AggregateTypeFilter),
            query.Matching(ApiParameters.EventTypeFilter),
            query.Uuid(ApiParameters.CorrelationId),
            query.Timestamp(ApiParameters.From),
            query.Timestamp(ApiParameters.To),
            query.Integer(ApiParameters.AfterPosition) ?? 0,
            query.Limit(),
            query.JsonObject(ApiParameters.PayloadContains),
            query.JsonObject(ApiParameters.MetadataContains));
        if (query.HasErrors)
        {
            return Problems.Validation(query.Errors);
        }

        var page = await reader.QueryAsync(filter, cancellationToken);
        return TypedResults.Ok(new EventPageResponse([.. page.Events.Select(EventJson.ToResponse)], page.NextAfterPosition));
    }

    private static async Task<Results<Ok<AggregateListResponse>, ProblemHttpResult>> ListAggregatesAsync(string aggregateType, HttpRequest request,
        EventReader reader, CancellationToken cancellationToken)
    {
        var query = new QueryReader(request.Query);
        query.RouteMatching(ApiParameters.AggregateType, aggregateType);
        var after = query.Uuid(ApiParameters.AfterAggregate);
        var limit = query.Limit();
        if (query.HasErrors)
        {
            return Problems.Validation(query.Errors);
        }

        var page = await reader.ListAggregatesAsync(aggregateType, after, limit, cancellationToken);
        return TypedResults.Ok(new AggregateListResponse(
            [.. page.Aggregates.Select(a => new AggregateSummary(a.AggregateId, a.AggregateType, a.CurrentVersion, a.CreatedAt, a.UpdatedAt))],
            page.NextAfter));
    }

    private static string StreamLocation(StoredEvent e) => $"/api/v1/events/stream/{e.AggregateId}";

    private static ProblemHttpResult Failure(AppendOutcome outcome, bool batch)
    {
        switch (outcome)
        {
            case AppendOutcome.Rejected rejected:
                var where = batch ? $"events[{rejected.Index}]: " : "";
                if (rejected.Reason == AppendRejection.InvalidData)
                {
                    return Problems.Validation(batch ? $"events[{rejected.Index}]" : "body", rejected.Detail);
                }

                var extensions = new Dictionary<string, object?>();
                if (rejected.Reason == AppendRejection.VersionConflict)
                {
                    extensions["currentVersion"] = rejected.CurrentVersion;
                    extensions["expectedVersion"] = rejected.ExpectedVersion;
                }

                if (batch)
                {
                    extensions["index"] = rejected.Index;
                }

                var title = rejected.Reason switch
                {
                    AppendRejection.VersionConflict => "Version conflict",
                    AppendRejection.AggregateTypeConflict => "Aggregate type conflict",
                    _ => "Event id conflict",
                };
                return Problems.Problem(StatusCodes.Status409Conflict, title, where + rejected.Detail, extensions);

            case AppendOutcome.Unavailable unavailable:
                // Retry-After is added to every 503 (Composition.UseRetryAfter).
                return Problems.Problem(StatusCodes.Status503ServiceUnavailable, "Store unavailable", unavailable.Detail);

            default:
                throw new InvalidOperationException($"unexpected outcome {outcome}");
        }
    }
}
