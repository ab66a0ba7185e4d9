using System.Text.Json;

namespace EventSourcing.Contracts;

/// <summary>One read-model document (the seed's read model JSON).</summary>
/// <param name="Version">The aggregate version of the last event applied to it.</param>
public sealed record ReadModelResponse(string Id, string ModelName, JsonElement Data, long Version, DateTimeOffset UpdatedAt);

/// <summary>A page of one read model's documents, by id.</summary>
public sealed record ReadModelListResponse(IReadOnlyList<ReadModelResponse> ReadModels, string? NextAfter);

/// <summary>A blue/green replay of one or more read models.</summary>
/// <param name="Status">queued, running, completed, failed, or stalled (its worker stopped; another takes it over).</param>
/// <param name="Progress">eventsDone / eventsTotal, from 0 to 1.</param>
public sealed record ReplayResponse(
    Guid ReplayId,
    IReadOnlyList<string> Models,
    string Status,
    string? CurrentModel,
    int ModelsDone,
    long EventsDone,
    long EventsTotal,
    double Progress,
    double EventsPerSecond,
    double? EtaSeconds,
    long DocumentsWritten,
    long FailedAggregates,
    string? Error,
    DateTimeOffset RequestedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt);

/// <summary>The most recent replays.</summary>
public sealed record ReplayListResponse(IReadOnlyList<ReplayResponse> Replays);
