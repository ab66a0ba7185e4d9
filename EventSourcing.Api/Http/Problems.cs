using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Contract = EventSourcing.Contracts;

namespace EventSourcing.Api.Http;

/// <summary>RFC 9457 problem details for every error the API returns.</summary>
public static class Problems
{
    public const string ContentType = "application/problem+json";

    public static Task WriteAsync(HttpContext context, int status, string title, string detail)
    {
        context.Response.StatusCode = status;
        return context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = detail, Type = TypeFor(status) },
        }).AsTask();
    }

    public static ProblemHttpResult Problem(int status, string title, string detail, IDictionary<string, object?>? extensions = null) =>
        TypedResults.Problem(detail, statusCode: status, title: title, type: TypeFor(status), extensions: extensions);

    public static ProblemHttpResult Validation(Dictionary<string, List<string>> errors, string detail = "The request has invalid fields.") =>
        TypedResults.Problem(new HttpValidationProblemDetails(errors.ToDictionary(e => e.Key, e => e.Value.ToArray()))
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "Invalid request",
            Detail = detail,
            Type = TypeFor(StatusCodes.Status400BadRequest),
        });

    public static ProblemHttpResult Validation(string field, string message) =>
        Validation(new Dictionary<string, List<string>> { [field] = [message] });

    public static string TypeFor(int status) => status switch
    {
        400 => "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.1",
        401 => "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.2",
        403 => "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.4",
        404 => "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.5",
        409 => "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.10",
        413 => "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.14",
        503 => "https://www.rfc-editor.org/rfc/rfc9110#section-15.6.4",
        _ => "https://www.rfc-editor.org/rfc/rfc9110",
    };

    /// <summary>
    /// Declares the problems an endpoint can answer with (application/problem+json), each with its contract shape:
    /// 400 with field errors, 409 with the versions in conflict, the others plain.
    /// </summary>
    public static TBuilder ProducesProblems<TBuilder>(this TBuilder builder, params int[] statuses)
        where TBuilder : IEndpointConventionBuilder
    {
        foreach (var status in statuses)
        {
            var type = status switch
            {
                StatusCodes.Status400BadRequest => typeof(Contract.ValidationProblem),
                StatusCodes.Status409Conflict => typeof(Contract.ConflictProblem),
                _ => typeof(Contract.Problem),
            };
            builder.WithMetadata(new ProducesResponseTypeMetadata(status, type, [ContentType]));
        }

        return builder;
    }
}
