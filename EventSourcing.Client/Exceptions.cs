using EventSourcing.Contracts;

namespace EventSourcing.Client;

/// <summary>A problem (RFC 9457) the API answered with.</summary>
public class EventSourcingApiException(int status, Problem? problem, string message)
    : Exception(message)
{
    public int Status { get; } = status;

    /// <summary>The problem details as the API wrote them (null when the body was not a problem).</summary>
    public Problem? Problem { get; } = problem;
}

/// <summary>409 on an expected version: the aggregate is at <see cref="ActualVersion"/>, not <see cref="ExpectedVersion"/>.</summary>
public sealed class ConcurrencyConflictException(ConflictProblem problem)
    : EventSourcingApiException(409, problem, problem.Detail)
{
    public long ExpectedVersion { get; } = problem.ExpectedVersion ?? 0;

    public long ActualVersion { get; } = problem.CurrentVersion ?? 0;
}

/// <summary>400: the request's fields that are wrong, each with what is wrong (batch items as events[i].field).</summary>
public sealed class EventValidationException(ValidationProblem problem)
    : EventSourcingApiException(400, problem, $"{problem.Detail} {string.Join("; ", problem.Errors.Select(e => $"{e.Key}: {string.Join(", ", e.Value)}"))}")
{
    public IReadOnlyDictionary<string, string[]> Errors { get; } = problem.Errors;
}
