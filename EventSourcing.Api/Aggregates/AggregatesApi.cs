using System.Text.Json.Nodes;
using EventSourcing.Api.Http;
using EventSourcing.Api.Security;
using EventSourcing.Domain.Events;
using EventSourcing.EventStore.Aggregates;
using EventSourcing.EventStore.Snapshots;
using Microsoft.AspNetCore.Http.HttpResults;

namespace EventSourcing.Api.Aggregates;

/// <summary>Aggregate state (snapshot + the events after it), rebuilds and snapshots.</summary>
public static class AggregatesApi
{
    public static IEndpointRouteBuilder MapAggregatesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/events/aggregates/{aggregateType}/{aggregateId}").WithTags("Aggregates");
        api.MapGet("", GetStateAsync).RequireAuthorization(Scopes.Read)
            .WithSummary("An aggregate's current state (or its state at ?atVersion=n)");
        api.MapPost("/rebuild", RebuildAsync).RequireAuthorization(Scopes.Admin)
            .WithSummary("Fold every event again (?snapshot=true stores the result as the snapshot)");
        api.MapGet("/snapshot", GetSnapshotAsync).RequireAuthorization(Scopes.Read)
            .WithSummary("The latest snapshot");
        api.MapPost("/snapshot", CreateSnapshotAsync).RequireAuthorization(Scopes.Admin)
            .WithSummary("Take a snapshot at the current version");
        return app;
    }

    private static async Task<IResult> GetStateAsync(string aggregateType, string aggregateId, HttpRequest request,
        CachedAggregateStates cached, AggregateStateReader states, CancellationToken cancellationToken)
    {
        var query = new QueryReader(request.Query);
        var id = ParseRoute(aggregateType, aggregateId, query);
        var atVersion = query.Integer("atVersion", 1, long.MaxValue);
        if (query.HasErrors)
        {
            return Problems.Validation(query.Errors);
        }

        if (atVersion is null)
        {
            return await cached.CurrentJsonAsync(aggregateType, id, cancellationToken) is { } json
                ? TypedResults.Text(json, JsonText.ContentType)
                : NotFound(aggregateType, aggregateId);
        }

        var aggregate = await states.LoadAsync(aggregateType, id, atVersion, cancellationToken);
        if (aggregate is null)
        {
            return NotFound(aggregateType, aggregateId);
        }

        return atVersion > aggregate.Version
            ? Problems.Validation("atVersion", $"must be at most the current version {aggregate.Version}")
            : TypedResults.Ok(CachedAggregateStates.ToJson(aggregate));
    }

    private static async Task<IResult> RebuildAsync(string aggregateType, string aggregateId, HttpRequest request,
        AggregateStateReader states, CancellationToken cancellationToken)
    {
        var query = new QueryReader(request.Query);
        var id = ParseRoute(aggregateType, aggregateId, query);
        var snapshot = query.Boolean("snapshot") ?? false;
        if (query.HasErrors)
        {
            return Problems.Validation(query.Errors);
        }

        if (await states.RebuildAsync(aggregateType, id, snapshot, cancellationToken) is not { } rebuilt)
        {
            return NotFound(aggregateType, aggregateId);
        }

        var body = CachedAggregateStates.ToJson(rebuilt.Aggregate);
        body["eventsApplied"] = rebuilt.Aggregate.EventsApplied;
        body["durationMs"] = Math.Round(rebuilt.Duration.TotalMilliseconds, 3);
        body["snapshotCreated"] = rebuilt.SnapshotCreated;
        return TypedResults.Ok(body);
    }

    private static async Task<IResult> GetSnapshotAsync(string aggregateType, string aggregateId, HttpRequest request,
        SnapshotStore snapshots, CancellationToken cancellationToken)
    {
        var query = new QueryReader(request.Query);
        var id = ParseRoute(aggregateType, aggregateId, query);
        if (query.HasErrors)
        {
            return Problems.Validation(query.Errors);
        }

        var snapshot = await snapshots.FindAsync(id, cancellationToken);
        return snapshot is null || snapshot.AggregateType != aggregateType
            ? Problems.Problem(StatusCodes.Status404NotFound, "Snapshot not found", $"no snapshot of '{aggregateType}' aggregate {aggregateId}")
            : TypedResults.Ok(SnapshotJson(snapshot));
    }

    private static async Task<IResult> CreateSnapshotAsync(string aggregateType, string aggregateId, HttpRequest request,
        AggregateStateReader states, CancellationToken cancellationToken)
    {
        var query = new QueryReader(request.Query);
        var id = ParseRoute(aggregateType, aggregateId, query);
        if (query.HasErrors)
        {
            return Problems.Validation(query.Errors);
        }

        return await states.CreateSnapshotAsync(aggregateType, id, cancellationToken) is { } snapshot
            ? TypedResults.Created($"/api/v1/events/aggregates/{aggregateType}/{aggregateId}/snapshot", SnapshotJson(snapshot))
            : NotFound(aggregateType, aggregateId);
    }

    private static Guid ParseRoute(string aggregateType, string aggregateId, QueryReader query)
    {
        query.RouteMatching("aggregateType", aggregateType, EventNames.AggregateType());
        return query.RouteUuid("aggregateId", aggregateId);
    }

    private static ProblemHttpResult NotFound(string aggregateType, string aggregateId) =>
        Problems.Problem(StatusCodes.Status404NotFound, "Aggregate not found", $"no '{aggregateType}' aggregate {aggregateId}");

    private static JsonObject SnapshotJson(Snapshot snapshot) => new()
    {
        ["aggregateId"] = snapshot.AggregateId.ToString(),
        ["aggregateType"] = snapshot.AggregateType,
        ["version"] = snapshot.Version,
        ["state"] = snapshot.State.DeepClone(),
        ["createdAt"] = EventJson.Timestamp(snapshot.CreatedAt),
    };
}
