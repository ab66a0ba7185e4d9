using EventSourcing.Api.Http;
using EventSourcing.Api.Security;
using EventSourcing.Caching;
using EventSourcing.Contracts;
using EventSourcing.EventStore.ReadModels;
using Microsoft.AspNetCore.Http.HttpResults;

namespace EventSourcing.Api.ReadModels;

/// <summary>Read models: one document by id (through the cache), or a page of a model's documents.</summary>
public static class ReadModelsApi
{
    public static IEndpointRouteBuilder MapReadModelsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/events/read-models/{modelName}").WithTags(ApiTags.ReadModels);
        api.MapGet("", ListAsync).RequireAuthorization(Scopes.Read)
            .WithName("listReadModels")
            .WithSummary("A page of a read model's documents, by id")
            .WithParameters(ApiParameters.ModelName, ApiParameters.AfterDocument, ApiParameters.Limit)
            .ProducesProblems(400);
        api.MapGet("/{id}", GetAsync).RequireAuthorization(Scopes.Read)
            .WithName("getReadModel")
            .WithSummary("One read-model document")
            .WithDescription("""
                The document as the processor last wrote it (eventually consistent with the events: see `version`), served from Redis
                when cached. player_summary documents are keyed by playerId once the player's PlayerCreated event is known.
                """)
            .WithParameters(ApiParameters.ModelName, ApiParameters.DocumentId)
            .ProducesProblems(400, 404);
        return app;
    }

    private static async Task<Results<JsonText<ReadModelResponse>, ProblemHttpResult>> GetAsync(string modelName, string id, CachedReadModels readModels,
        CancellationToken cancellationToken)
    {
        if (!ApiParameters.ModelName.Pattern!.IsMatch(modelName) || id.Length is 0 or > 255)
        {
            return Problems.Validation(id.Length is 0 or > 255 ? "id" : "modelName", "is not a valid name");
        }

        return await readModels.GetAsync(modelName, id, cancellationToken) is { } document
            ? new JsonText<ReadModelResponse>(document)
            : Problems.Problem(StatusCodes.Status404NotFound, "Read model not found", $"no {modelName} document '{id}'");
    }

    private static async Task<Results<Ok<ReadModelListResponse>, ProblemHttpResult>> ListAsync(string modelName, HttpRequest request,
        ReadModelStore store, CancellationToken cancellationToken)
    {
        var query = new QueryReader(request.Query);
        if (!ApiParameters.ModelName.Pattern!.IsMatch(modelName))
        {
            query.Error("modelName", "is not a valid name");
        }

        var limit = query.Limit();
        var after = query.Text(ApiParameters.AfterDocument);
        if (query.HasErrors)
        {
            return Problems.Validation(query.Errors);
        }

        var (documents, next) = await store.ListAsync(modelName, after, limit, cancellationToken);
        return TypedResults.Ok(new ReadModelListResponse([.. documents.Select(ReadModelCache.ToResponse)], next));
    }
}
