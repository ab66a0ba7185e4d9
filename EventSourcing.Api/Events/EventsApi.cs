using System.Text.Json.Nodes;
using EventSourcing.Api.Http;
using EventSourcing.Api.Security;
using EventSourcing.Domain.Appending;
using EventSourcing.Domain.Events;
using EventSourcing.EventStore.Appending;
using EventSourcing.EventStore.Reading;
using Microsoft.AspNetCore.Http.HttpResults;

namespace EventSourcing.Api.Events;

/// <summary>The event store over REST: appends (single, batch), stream reads, event queries, aggregate listing.</summary>
public static class EventsApi
{
    public const int MaxBatchSize = 1000;

    public static IEndpointRouteBuilder MapEventsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/events").WithTags("Events");

        api.MapPost("/events", AppendAsync).RequireAuthorization(Scopes.Write)
            .WithSummary("Append one event").Accepts<JsonObject>("application/json");
        api.MapPost("/events/batch", AppendBatchAsync).RequireAuthorization(Scopes.Write)
            .WithSummary("Append 1-1000 events, all or nothing").Accepts<JsonObject>("application/json");
        api.MapGet("/events", QueryEventsAsync).RequireAuthorization(Scopes.Read)
            .WithSummary("Events in global position order, filtered");
        api.MapGet("/stream/{aggregateId}", ReadStreamAsync).RequireAuthorization(Scopes.Read)
            .WithSummary("One aggregate's events, paged by version");
        api.MapGet("/aggregates/{aggregateType}", ListAggregatesAsync).RequireAuthorization(Scopes.Read)
            .WithSummary("Aggregates of a type, paged by id");
        return app;
    }

    private static async Task<IResult> AppendAsync(HttpRequest request, AppendRequestParser parser, EventAppender appender, CancellationToken cancellationToken)
    {
        var body = await RequestJson.ReadAsync(request, cancellationToken);
        if (body.Result is not Ok<JsonNode> { Value: { } node })
        {
            return body.Result;
        }

        var errors = new Dictionary<string, List<string>>();
        var newEvent = parser.Parse(node, "", errors);
        if (newEvent is null)
        {
            return Problems.Validation(errors);
        }

        return await appender.AppendAsync([newEvent], cancellationToken) switch
        {
            AppendOutcome.Stored { AllDuplicates: true } stored => TypedResults.Ok(EventJson.ToJson(stored.Events[0])),
            AppendOutcome.Stored stored => TypedResults.Created(StreamLocation(stored.Events[0]), EventJson.ToJson(stored.Events[0])),
            var failure => Failure(failure, batch: false),
        };
    }

    private static async Task<IResult> AppendBatchAsync(HttpRequest request, AppendRequestParser parser, EventAppender appender, CancellationToken cancellationToken)
    {
        var body = await RequestJson.ReadAsync(request, cancellationToken);
        if (body.Result is not Ok<JsonNode> { Value: { } node })
        {
            return body.Result;
        }

        if (node is not JsonObject obj || !obj.TryGetPropertyValue("events", out var items) || items is not JsonArray array)
        {
            return Problems.Validation("events", "is required: an array of 1 to 1000 events");
        }

        if (array.Count is 0 or > MaxBatchSize)
        {
            return Problems.Validation("events", $"must hold 1 to {MaxBatchSize} events (got {array.Count})");
        }

        var errors = new Dictionary<string, List<string>>();
        var events = new List<NewEvent>(array.Count);
        for (var i = 0; i < array.Count; i++)
        {
            if (parser.Parse(array[i], $"events[{i}].", errors) is { } parsed)
            {
                events.Add(parsed);
            }
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        return await appender.AppendAsync(events, cancellationToken) switch
        {
            AppendOutcome.Stored stored => stored.AllDuplicates
                ? TypedResults.Ok(BatchJson(stored.Events))
                : TypedResults.Created((string?)null, BatchJson(stored.Events)),
            var failure => Failure(failure, batch: true),
        };
    }

    private static async Task<IResult> ReadStreamAsync(string aggregateId, HttpRequest request, EventReader reader, CancellationToken cancellationToken)
    {
        var query = new QueryReader(request.Query);
        var id = query.RouteUuid("aggregateId", aggregateId);
        var fromVersion = query.Integer("fromVersion", 1, long.MaxValue);
        var limit = query.Limit();
        var direction = query.Choice<ReadDirection>("direction") ?? ReadDirection.Forward;
        if (query.HasErrors)
        {
            return Problems.Validation(query.Errors);
        }

        var page = await reader.ReadStreamAsync(id, fromVersion, limit, direction, cancellationToken);
        if (page is null)
        {
            return Problems.Problem(StatusCodes.Status404NotFound, "Aggregate not found", $"aggregate {aggregateId} has no events");
        }

        return TypedResults.Ok(new JsonObject
        {
            ["aggregateId"] = page.Stream.AggregateId.ToString(),
            ["aggregateType"] = page.Stream.AggregateType,
            ["currentVersion"] = page.Stream.CurrentVersion,
            ["events"] = new JsonArray([.. page.Events.Select(e => (JsonNode)EventJson.ToJson(e))]),
            ["nextFromVersion"] = page.NextFromVersion,
        });
    }

    private static async Task<IResult> QueryEventsAsync(HttpRequest request, EventReader reader, CancellationToken cancellationToken)
    {
        var query = new QueryReader(request.Query);
        var filter = new EventFilter(
            query.Matching("aggregateType", EventNames.AggregateType()),
            query.Matching("eventType", EventNames.EventType()),
            query.Uuid("correlationId"),
            query.Timestamp("from"),
            query.Timestamp("to"),
            query.Integer("afterPosition", 0, long.MaxValue) ?? 0,
            query.Limit());
        if (query.HasErrors)
        {
            return Problems.Validation(query.Errors);
        }

        var page = await reader.QueryAsync(filter, cancellationToken);
        return TypedResults.Ok(new JsonObject
        {
            ["events"] = new JsonArray([.. page.Events.Select(e => (JsonNode)EventJson.ToJson(e))]),
            ["nextAfterPosition"] = page.NextAfterPosition,
        });
    }

    private static async Task<IResult> ListAggregatesAsync(string aggregateType, HttpRequest request, EventReader reader, CancellationToken cancellationToken)
    {
        var query = new QueryReader(request.Query);
        query.RouteMatching("aggregateType", aggregateType, EventNames.AggregateType());
        var after = query.Uuid("after");
        var limit = query.Limit();
        if (query.HasErrors)
        {
            return Problems.Validation(query.Errors);
        }

        var page = await reader.ListAggregatesAsync(aggregateType, after, limit, cancellationToken);
        return TypedResults.Ok(new JsonObject
        {
            ["aggregates"] = new JsonArray([.. page.Aggregates.Select(a => (JsonNode)new JsonObject
            {
                ["aggregateId"] = a.AggregateId.ToString(),
                ["aggregateType"] = a.AggregateType,
                ["currentVersion"] = a.CurrentVersion,
                ["createdAt"] = EventJson.Timestamp(a.CreatedAt),
                ["updatedAt"] = EventJson.Timestamp(a.UpdatedAt),
            })]),
            ["nextAfter"] = page.NextAfter?.ToString(),
        });
    }

    private static string StreamLocation(StoredEvent e) => $"/api/v1/events/stream/{e.AggregateId}";

    private static JsonObject BatchJson(IReadOnlyList<StoredEvent> events) =>
        new() { ["events"] = new JsonArray([.. events.Select(e => (JsonNode)EventJson.ToJson(e))]) };

    private static IResult Failure(AppendOutcome outcome, bool batch)
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
                return new RetryAfter(Problems.Problem(StatusCodes.Status503ServiceUnavailable, "Store unavailable", unavailable.Detail), seconds: 5);

            default:
                throw new InvalidOperationException($"unexpected outcome {outcome}");
        }
    }

    /// <summary>A problem response with a Retry-After header.</summary>
    private sealed class RetryAfter(IResult inner, int seconds) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return inner.ExecuteAsync(httpContext);
        }
    }
}
