using EventSourcing.Api.Http;
using EventSourcing.Api.Security;
using EventSourcing.Contracts;
using EventSourcing.EventStore.Aggregates;
using EventSourcing.EventStore.Snapshots;
using Microsoft.AspNetCore.Http.HttpResults;

namespace EventSourcing.Api.Aggregates;

/// <summary>Aggregate state (snapshot + the events after it), rebuilds and snapshots.</summary>
public static class AggregatesApi
{
    private static readonly ApiParameter[] Route = [ApiParameters.AggregateType, ApiParameters.AggregateId];

    public static IEndpointRouteBuilder MapAggregatesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/events/aggregates/{aggregateType}/{aggregateId}").WithTags(ApiTags.Aggregates);
        api.MapGet("", GetStateAsync).RequireAuthorization(Scopes.Read)
            .WithName("getAggregate")
            .WithSummary("An aggregate's state")
            .WithDescription("""
                The current state reflects every event acknowledged before the request began, whatever the processor's lag
                (a hot snapshot plus the events after it). `atVersion` gives the state as of that version.
                """)
            .WithParameters([.. Route, ApiParameters.AtVersion])
            .ProducesProblems(400, 404);
        api.MapPost("/rebuild", RebuildAsync).RequireAuthorization(Scopes.Admin)
            .WithName("rebuildAggregate")
            .WithSummary("Fold every event again")
            .WithDescription("Folds the aggregate from its first event, ignoring snapshots; `snapshot=true` stores the result as its snapshot.")
            .WithParameters([.. Route, ApiParameters.CreateSnapshot])
            .ProducesProblems(400, 404);
        api.MapGet("/snapshot", GetSnapshotAsync).RequireAuthorization(Scopes.Read)
            .WithName("getSnapshot")
            .WithSummary("The latest snapshot")
            .WithDescription("The newest of the snapshots kept (SNAPSHOT_RETENTION) for the aggregate.")
            .WithParameters(Route)
            .ProducesProblems(400, 404);
        api.MapPost("/snapshot", CreateSnapshotAsync).RequireAuthorization(Scopes.Admin)
            .WithName("createSnapshot")
            .WithSummary("Take a snapshot at the current version")
            .WithDescription("Stores the aggregate's current state as a snapshot (a version already snapshotted is kept as it is).")
            .WithParameters(Route)
            .ProducesProblems(400, 404);
        return app;
    }

    private static async Task<Results<JsonText<AggregateStateResponse>, Ok<AggregateStateResponse>, ProblemHttpResult>> GetStateAsync(
        string aggregateType, string aggregateId, HttpRequest request, CachedAggregateStates cached, AggregateStateReader states,
        CancellationToken cancellationToken)
    {
        var (query, id) = ParseRoute(aggregateType, aggregateId, request);
        var atVersion = query.Integer(ApiParameters.AtVersion);
        if (query.HasErrors)
        {
            return Problems.Validation(query.Errors);
        }

        if (atVersion is null)
        {
            return await cached.CurrentJsonAsync(aggregateType, id, cancellationToken) is { } json
                ? new JsonText<AggregateStateResponse>(json)
                : NotFound(aggregateType, aggregateId);
        }

        var aggregate = await states.LoadAsync(aggregateType, id, atVersion, cancellationToken);
        if (aggregate is null)
        {
            return NotFound(aggregateType, aggregateId);
        }

        return atVersion > aggregate.Version
            ? Problems.Validation("atVersion", $"must be at most the current version {aggregate.Version}")
            : TypedResults.Ok(CachedAggregateStates.ToResponse(aggregate));
    }

    private static async Task<Results<Ok<RebuildResponse>, ProblemHttpResult>> RebuildAsync(string aggregateType, string aggregateId,
        HttpRequest request, AggregateStateReader states, CancellationToken cancellationToken)
    {
        var (query, id) = ParseRoute(aggregateType, aggregateId, request);
        var snapshot = query.Boolean(ApiParameters.CreateSnapshot) ?? false;
        if (query.HasErrors)
        {
            return Problems.Validation(query.Errors);
        }

        if (await states.RebuildAsync(aggregateType, id, snapshot, cancellationToken) is not { } rebuilt)
        {
            return NotFound(aggregateType, aggregateId);
        }

        var aggregate = rebuilt.Aggregate;
        return TypedResults.Ok(new RebuildResponse(aggregate.AggregateId, aggregate.AggregateType, aggregate.Version, aggregate.State,
            aggregate.EventsApplied, Math.Round(rebuilt.Duration.TotalMilliseconds, 3), rebuilt.SnapshotCreated));
    }

    private static async Task<Results<Ok<SnapshotResponse>, ProblemHttpResult>> GetSnapshotAsync(string aggregateType, string aggregateId,
        HttpRequest request, SnapshotStore snapshots, CancellationToken cancellationToken)
    {
        var (query, id) = ParseRoute(aggregateType, aggregateId, request);
        if (query.HasErrors)
        {
            return Problems.Validation(query.Errors);
        }

        var snapshot = await snapshots.FindAsync(id, cancellationToken);
        return snapshot is null || snapshot.AggregateType != aggregateType
            ? Problems.Problem(StatusCodes.Status404NotFound, "Snapshot not found", $"no snapshot of '{aggregateType}' aggregate {aggregateId}")
            : TypedResults.Ok(ToResponse(snapshot));
    }

    private static async Task<Results<Created<SnapshotResponse>, ProblemHttpResult>> CreateSnapshotAsync(string aggregateType, string aggregateId,
        HttpRequest request, AggregateStateReader states, CancellationToken cancellationToken)
    {
        var (query, id) = ParseRoute(aggregateType, aggregateId, request);
        if (query.HasErrors)
        {
            return Problems.Validation(query.Errors);
        }

        return await states.CreateSnapshotAsync(aggregateType, id, cancellationToken) is { } snapshot
            ? TypedResults.Created($"/api/v1/events/aggregates/{aggregateType}/{aggregateId}/snapshot", ToResponse(snapshot))
            : NotFound(aggregateType, aggregateId);
    }

    /// <summary>The request's query, with the route's type and id checked (their errors join the query's).</summary>
    private static (QueryReader Query, Guid Id) ParseRoute(string aggregateType, string aggregateId, HttpRequest request)
    {
        var query = new QueryReader(request.Query);
        query.RouteMatching(ApiParameters.AggregateType, aggregateType);
        return (query, query.RouteUuid(ApiParameters.AggregateId, aggregateId));
    }

    private static ProblemHttpResult NotFound(string aggregateType, string aggregateId) =>
        Problems.Problem(StatusCodes.Status404NotFound, "Aggregate not found", $"no '{aggregateType}' aggregate {aggregateId}");

    private static SnapshotResponse ToResponse(Snapshot snapshot) =>
        new(snapshot.AggregateId, snapshot.AggregateType, snapshot.Version, snapshot.State, snapshot.CreatedAt);
}
