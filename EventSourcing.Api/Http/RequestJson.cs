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

    /// <summary>
    /// Reads the body and parses its root with <paramref name="parse"/>, which collects field errors; the document is
    /// released afterwards. Null and the problem (413, not JSON, or the field errors) when the body is refused.
    /// </summary>
    public static async Task<(T? Value, ProblemHttpResult? Problem)> ParseAsync<T>(HttpRequest request,
        Func<JsonElement, Dictionary<string, List<string>>, T?> parse, CancellationToken cancellationToken)
        where T : class
    {
        var (document, problem) = await ReadAsync(request, cancellationToken);
        if (document is null)
        {
            return (null, problem);
        }

        using (document)
        {
            var errors = new Dictionary<string, List<string>>();
            var value = parse(document.RootElement, errors);
            return errors.Count == 0 && value is not null ? (value, null) : (null, Problems.Validation(errors));
        }
    }

    private static async Task<(JsonDocument? Body, ProblemHttpResult? Problem)> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
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
