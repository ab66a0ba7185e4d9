using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;

namespace EventSourcing.Api.Http;

/// <summary>Reads a JSON body by hand, so that every way a body can be wrong gets a precise 400 or 413.</summary>
public static class RequestJson
{
    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 64, CommentHandling = JsonCommentHandling.Disallow };

    public static async Task<Results<Ok<JsonNode>, ProblemHttpResult, ValidationProblem>> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        try
        {
            var node = await JsonNode.ParseAsync(request.Body, documentOptions: Options, cancellationToken: cancellationToken);
            return node is null ? Problems.Validation("body", "must not be null") : TypedResults.Ok(node);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return Problems.Problem(StatusCodes.Status413PayloadTooLarge, "Payload too large", ex.Message);
        }
        catch (JsonException ex)
        {
            return Problems.Validation("body", "is not valid JSON: " + ex.Message);
        }
        catch (InvalidOperationException ex)
        {
            // Invalid UTF-8 and similar decoding failures surface here.
            return Problems.Validation("body", "could not be read as JSON: " + ex.Message);
        }
    }
}
