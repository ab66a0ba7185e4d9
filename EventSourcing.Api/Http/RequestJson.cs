using System.Text.Json;
using System.Text.Json.Nodes;
using EventSourcing.Domain.Appending;
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
            if (node is null)
            {
                return Problems.Validation("body", "must not be null");
            }

            // Strings are transcoded lazily: check every one now, so that invalid UTF-8, NULs and lone surrogates
            // (which PostgreSQL's jsonb refuses) are a 400 here and never a failure later.
            return StorableJson.FindProblem(node) is { } problem ? Problems.Validation("body", problem) : TypedResults.Ok(node);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return Problems.Problem(StatusCodes.Status413PayloadTooLarge, "Payload too large", ex.Message);
        }
        catch (JsonException ex)
        {
            return Problems.Validation("body", "is not valid JSON: " + ex.Message);
        }
        catch (InvalidOperationException)
        {
            return Problems.Validation("body", "contains text that is not valid UTF-8");
        }
        catch (ArgumentException)
        {
            // Members are read into a dictionary on first use: a repeated name surfaces here.
            return Problems.Validation("body", StorableJson.RepeatedMember);
        }
    }
}
