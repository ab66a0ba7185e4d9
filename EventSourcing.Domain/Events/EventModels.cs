using System.Text.Json;

namespace EventSourcing.Domain.Events;

/// <summary>An event as a client asks to append it, already validated (payload and metadata are JSON objects).</summary>
public sealed record NewEvent(
    Guid EventId,
    bool EventIdGiven,
    Guid AggregateId,
    string AggregateType,
    string EventType,
    int EventVersion,
    JsonElement Payload,
    JsonElement Metadata,
    Guid? CausationId,
    Guid? CorrelationId,
    long? ExpectedVersion)
{
    /// <summary>Same content as a stored event (what makes a re-sent eventId an idempotent retry, not a conflict).</summary>
    public bool SameContentAs(StoredEvent stored) =>
        stored.AggregateId == AggregateId
        && stored.AggregateType == AggregateType
        && stored.EventType == EventType
        && stored.EventVersion == EventVersion
        && stored.CausationId == CausationId
        && stored.CorrelationId == CorrelationId
        && JsonElement.DeepEquals(stored.Payload, Payload)
        && JsonElement.DeepEquals(stored.Metadata, Metadata);
}

/// <summary>An event as the store holds it: the contract's event JSON plus its global position.</summary>
public sealed record StoredEvent(
    Guid EventId,
    Guid AggregateId,
    string AggregateType,
    long AggregateVersion,
    string EventType,
    int EventVersion,
    DateTimeOffset OccurredAt,
    JsonElement Payload,
    JsonElement Metadata,
    Guid? CausationId,
    Guid? CorrelationId,
    long Position,
    string? TraceParent = null);

/// <summary>One aggregate's row in the streams table.</summary>
public sealed record StreamInfo(Guid AggregateId, string AggregateType, long CurrentVersion, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

public static class StoredEventOrder
{
    /// <summary>One aggregate's events in version order, each version once (deliveries may repeat and reorder them).</summary>
    public static List<StoredEvent> InVersionOrder(this IEnumerable<StoredEvent> events) =>
        [.. events.DistinctBy(e => e.AggregateVersion).OrderBy(e => e.AggregateVersion)];
}
