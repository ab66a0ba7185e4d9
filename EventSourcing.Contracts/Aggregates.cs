using System.Text.Json;

namespace EventSourcing.Contracts;

/// <summary>One aggregate of a type, without its state.</summary>
public sealed record AggregateSummary(Guid AggregateId, string AggregateType, long CurrentVersion, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

/// <summary>A page of the aggregates of one type, by id.</summary>
public sealed record AggregateListResponse(IReadOnlyList<AggregateSummary> Aggregates, Guid? NextAfter);

/// <summary>An aggregate's state at a version (the seed's aggregate JSON).</summary>
public sealed record AggregateStateResponse(Guid AggregateId, string AggregateType, long CurrentVersion, JsonElement State);

/// <summary>An aggregate folded again from its first event.</summary>
public sealed record RebuildResponse(
    Guid AggregateId, string AggregateType, long CurrentVersion, JsonElement State, int EventsApplied, double DurationMs, bool SnapshotCreated);

/// <summary>An aggregate's state stored at a version.</summary>
public sealed record SnapshotResponse(Guid AggregateId, string AggregateType, long Version, JsonElement State, DateTimeOffset CreatedAt);
