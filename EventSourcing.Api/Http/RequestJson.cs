using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;

namespace EventSourcing.Api.Http;

/// <summary>
/// Reads a JSON body in one pass into a read-only document (no object per value, pooled memory), so that every way a
/// body can be wrong gets a precise 400 or 413. The caller disposes it once parsed (the parser copies what it keeps).
/// </summary>
public static class RequestJson
{
    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 64, CommentHandling = JsonCommentHandling.Disallow };

    public static async Task<(JsonDocument? Body, ProblemHttpResult? Problem)> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        try
        {
            var document = await JsonDocument.ParseAsync(request.Body, Options, cancellationToken);
            if (document.RootElement.ValueKind != JsonValueKind.Null)
            {
                return (document, null);
            }

            document.Dispose();
            return (null, Problems.Validation("body", "must not be null"));
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, Problems.Problem(StatusCodes.Status413PayloadTooLarge, "Payload too large", ex.Message));
        }
        catch (JsonException ex)
        {
            return (null, Problems.Validation("body", "is not valid JSON: " + ex.Message));
        }
    }
}
