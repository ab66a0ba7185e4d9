using System.Text.Json.Nodes;
using EventSourcing.Api.Http;
using EventSourcing.Api.Security;
using EventSourcing.Caching;
using EventSourcing.Domain.Events;
using EventSourcing.EventStore.ReadModels;

namespace EventSourcing.Api.ReadModels;

/// <summary>Read models: one document by id (through the cache), or a page of a model's documents.</summary>
public static class ReadModelsApi
{
    public static IEndpointRouteBuilder MapReadModelsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/events/read-models/{modelName}").WithTags("Read models");
        api.MapGet("", ListAsync).RequireAuthorization(Scopes.Read).WithSummary("A page of a read model's documents, by id");
        api.MapGet("/{id}", GetAsync).RequireAuthorization(Scopes.Read).WithSummary("One read-model document");
        return app;
    }

    private static async Task<IResult> GetAsync(string modelName, string id, CachedReadModels readModels, CancellationToken cancellationToken)
    {
        if (!EventNames.AggregateType().IsMatch(modelName) || id.Length is 0 or > 255)
        {
            return Problems.Validation(id.Length is 0 or > 255 ? "id" : "modelName", "is not a valid name");
        }

        return await readModels.GetAsync(modelName, id, cancellationToken) is { } document
            ? TypedResults.Text(document, JsonText.ContentType)
            : Problems.Problem(StatusCodes.Status404NotFound, "Read model not found", $"no {modelName} document '{id}'");
    }

    private static async Task<IResult> ListAsync(string modelName, HttpRequest request, ReadModelStore store, CancellationToken cancellationToken)
    {
        var query = new QueryReader(request.Query);
        if (!EventNames.AggregateType().IsMatch(modelName))
        {
            query.Error("modelName", "is not a valid name");
        }

        var limit = query.Limit();
        var after = request.Query["after"].Count == 1 ? request.Query["after"][0] : null;
        if (query.HasErrors)
        {
            return Problems.Validation(query.Errors);
        }

        var (documents, next) = await store.ListAsync(modelName, after, limit, cancellationToken);
        return TypedResults.Ok(new JsonObject
        {
            ["readModels"] = new JsonArray([.. documents.Select(d => (JsonNode)ReadModelCache.ToJson(d))]),
            ["nextAfter"] = next,
        });
    }
}
