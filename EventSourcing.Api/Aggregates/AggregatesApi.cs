using System.Text.Json.Nodes;
using EventSourcing.Api.Http;
using EventSourcing.Api.Security;
using EventSourcing.Core.Aggregates;
using EventSourcing.Core.Events;

namespace EventSourcing.Api.Aggregates;

/// <summary>Aggregate state, folded from the aggregate's events.</summary>
public static class AggregatesApi
{
    public static IEndpointRouteBuilder MapAggregatesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/events/aggregates").WithTags("Aggregates");
        api.MapGet("/{aggregateType}/{aggregateId}", GetStateAsync).RequireAuthorization(Scopes.Read)
            .WithSummary("An aggregate's current state (or its state at ?atVersion=n)");
        return app;
    }

    private static async Task<IResult> GetStateAsync(string aggregateType, string aggregateId, HttpRequest request,
        AggregateStateReader states, CancellationToken cancellationToken)
    {
        var query = new QueryReader(request.Query);
        if (!AppendRequestParser.AggregateTypePattern().IsMatch(aggregateType))
        {
            AppendRequestParser.Add(query.Errors, "aggregateType", "must match ^[a-z][a-z0-9_]{0,99}$");
        }

        if (!Guid.TryParseExact(aggregateId, "D", out var id))
        {
            AppendRequestParser.Add(query.Errors, "aggregateId", "must be a UUID");
        }

        var atVersion = query.Integer("atVersion", 1, long.MaxValue);
        if (query.HasErrors)
        {
            return Problems.Validation(query.Errors);
        }

        var aggregate = await states.LoadAsync(aggregateType, id, atVersion, cancellationToken);
        if (aggregate is null)
        {
            return Problems.Problem(StatusCodes.Status404NotFound, "Aggregate not found", $"no '{aggregateType}' aggregate {aggregateId}");
        }

        if (atVersion is { } wanted && wanted > aggregate.Version)
        {
            return Problems.Validation("atVersion", $"must be at most the current version {aggregate.Version}");
        }

        return TypedResults.Ok(new JsonObject
        {
            ["aggregateId"] = aggregate.AggregateId.ToString(),
            ["aggregateType"] = aggregate.AggregateType,
            ["currentVersion"] = aggregate.Version,
            ["state"] = aggregate.State,
        });
    }
}
