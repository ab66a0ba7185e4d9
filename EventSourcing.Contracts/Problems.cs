namespace EventSourcing.Contracts;

/// <summary>An RFC 9457 problem (application/problem+json): every 4xx and 5xx answer.</summary>
public record Problem(string Type, string Title, int Status, string Detail);

/// <summary>A 400: the fields that are wrong, each with what is wrong with it.</summary>
/// <param name="Errors">Field name (batch items as events[i].field) to messages.</param>
public sealed record ValidationProblem(string Type, string Title, int Status, string Detail, IReadOnlyDictionary<string, string[]> Errors)
    : Problem(Type, Title, Status, Detail);

/// <summary>A 409: a version, aggregate type or event id conflict; nothing was written.</summary>
/// <param name="CurrentVersion">The aggregate's version now (version and type conflicts).</param>
/// <param name="ExpectedVersion">The version the request expected (version conflicts).</param>
/// <param name="Index">The batch item that conflicted (batch appends).</param>
public sealed record ConflictProblem(string Type, string Title, int Status, string Detail, long? CurrentVersion, long? ExpectedVersion, int? Index)
    : Problem(Type, Title, Status, Detail);
