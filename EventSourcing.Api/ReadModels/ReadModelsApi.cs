using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using EventSourcing.Api.Http;
using EventSourcing.Api.Security;
using EventSourcing.Core.ReadModels;

namespace EventSourcing.Api.ReadModels;

/// <summary>Read models: one document by id (through the cache), or a page of a model's documents.</summary>
public static partial class ReadModelsApi
{
    [GeneratedRegex("^[a-z][a-z0-9_]{0,99}$", RegexOptions.CultureInvariant)]
    private static partial Regex ModelNamePattern();

    public static IEndpointRouteBuilder MapReadModelsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/events/read-models/{modelName}").WithTags("Read models");
        api.MapGet("", ListAsync).RequireAuthorization(Scopes.Read).WithSummary("A page of a read model's documents, by id");
        api.MapGet("/{id}", GetAsync).RequireAuthorization(Scopes.Read).WithSummary("One read-model document");
        return app;
    }

    private static async Task<IResult> GetAsync(string modelName, string id, CachedReadModels readModels, CancellationToken cancellationToken)
    {
        if (!ModelNamePattern().IsMatch(modelName) || id.Length is 0 or > 255)
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
        if (!ModelNamePattern().IsMatch(modelName))
        {
            EventSourcing.Core.Events.AppendRequestParser.Add(query.Errors, "modelName", "is not a valid name");
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
