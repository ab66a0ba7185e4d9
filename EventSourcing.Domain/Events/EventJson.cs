using System.Text.Json;
using EventSourcing.Contracts;

namespace EventSourcing.Domain.Events;

/// <summary>The contract's event JSON, shared by the API's responses and the Kafka messages (source-generated).</summary>
public static class EventJson
{
    /// <summary>An empty JSON object (the metadata of an event sent without any).</summary>
    public static readonly JsonElement EmptyObject = JsonElement.Parse("{}");

    public static EventResponse ToResponse(StoredEvent e) => new(
        e.EventId, e.AggregateId, e.AggregateType, e.AggregateVersion, e.EventType, e.EventVersion, e.OccurredAt,
        e.Payload, e.Metadata, e.CausationId, e.CorrelationId, e.Position);

    public static byte[] ToUtf8(StoredEvent e) => JsonSerializer.SerializeToUtf8Bytes(ToResponse(e), ContractJson.Default.EventResponse);

    /// <summary>Reads the contract's event JSON back (as published on Kafka) into a stored event.</summary>
    public static StoredEvent Parse(ReadOnlySpan<byte> utf8)
    {
        var e = JsonSerializer.Deserialize(utf8, ContractJson.Default.EventResponse)
            ?? throw new JsonException("an event message must be a JSON object");
        if (e.AggregateType is null || e.EventType is null || e.Payload.ValueKind != JsonValueKind.Object || e.EventId == Guid.Empty || e.AggregateVersion < 1)
        {
            throw new JsonException("not an event of the contract: eventId, aggregateType, aggregateVersion, eventType and a payload object are required");
        }

        return new StoredEvent(e.EventId, e.AggregateId, e.AggregateType, e.AggregateVersion, e.EventType, e.EventVersion, e.OccurredAt,
            e.Payload, e.Metadata.ValueKind == JsonValueKind.Object ? e.Metadata : EmptyObject, e.CausationId, e.CorrelationId, e.Position);
    }

    public static string Timestamp(DateTimeOffset value) => UtcTimestampConverter.Format(value);
}
