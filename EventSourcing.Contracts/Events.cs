using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace EventSourcing.Contracts;

/// <summary>An event to append. Only the aggregate, its type, the event type and the payload are required.</summary>
/// <param name="AggregateId">The aggregate (stream) the event belongs to.</param>
/// <param name="AggregateType">The aggregate's type; it never changes once the aggregate exists.</param>
/// <param name="EventType">The event's type, as the domain catalog names it (e.g. PlayerLevelUp).</param>
/// <param name="Payload">The event's data: a JSON object, validated against the catalog for registered aggregate types.</param>
/// <param name="EventVersion">The schema version of the payload (1 when absent).</param>
/// <param name="Metadata">Free JSON object about the event (source, game mode...).</param>
/// <param name="EventId">An idempotency key: sending the same id with the same content again returns the stored event (200).</param>
/// <param name="ExpectedVersion">
/// The aggregate's current version must equal it (0 or more; 0: the aggregate must not exist yet), else 409.
/// </param>
public sealed record AppendEventRequest(
    Guid AggregateId,
    [property: RegularExpression("^[a-z][a-z0-9_]{0,99}$")] string AggregateType,
    [property: RegularExpression("^[A-Za-z][A-Za-z0-9_.]{0,199}$")] string EventType,
    JsonElement Payload,
    [property: Range(1, int.MaxValue)] int? EventVersion = null,
    JsonElement? Metadata = null,
    Guid? EventId = null,
    Guid? CausationId = null,
    Guid? CorrelationId = null,
    long? ExpectedVersion = null);

/// <summary>1 to 1000 events, any aggregates, appended all or nothing.</summary>
public sealed record AppendBatchRequest([property: MinLength(1), MaxLength(1000)] IReadOnlyList<AppendEventRequest> Events);

/// <summary>An event as the store holds it: the seed's event JSON plus its global position.</summary>
/// <param name="AggregateVersion">The aggregate's version this event made (1, 2, ...).</param>
/// <param name="Position">The event's place in the store's global order (gap-free on read, in commit order).</param>
public sealed record EventResponse(
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
    long Position);

/// <summary>The stored events of a batch, in request order.</summary>
public sealed record BatchResponse(IReadOnlyList<EventResponse> Events);

/// <summary>A page of one aggregate's events.</summary>
/// <param name="NextFromVersion">The fromVersion of the next page in the same direction; null on the last page.</param>
public sealed record StreamResponse(Guid AggregateId, string AggregateType, long CurrentVersion, IReadOnlyList<EventResponse> Events, long? NextFromVersion);

/// <summary>A page of events in global order.</summary>
/// <param name="NextAfterPosition">The afterPosition of the next page; null when there is none yet.</param>
public sealed record EventPageResponse(IReadOnlyList<EventResponse> Events, long? NextAfterPosition);

/// <summary>Which way a stream is read.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ReadDirection>))]
public enum ReadDirection
{
    /// <summary>Oldest first.</summary>
    [JsonStringEnumMemberName("forward")]
    Forward,

    /// <summary>Newest first.</summary>
    [JsonStringEnumMemberName("backward")]
    Backward,
}
