using System.Text.Json;
using System.Text.Json.Nodes;

namespace EventSourcing.Domain.Events;

/// <summary>The contract's event JSON (camelCase, RFC 3339 UTC, lower-case UUIDs), shared by the API and Kafka.</summary>
public static class EventJson
{
    public static JsonObject ToJson(StoredEvent e) => new()
    {
        ["eventId"] = e.EventId.ToString(),
        ["aggregateId"] = e.AggregateId.ToString(),
        ["aggregateType"] = e.AggregateType,
        ["aggregateVersion"] = e.AggregateVersion,
        ["eventType"] = e.EventType,
        ["eventVersion"] = e.EventVersion,
        ["occurredAt"] = Timestamp(e.OccurredAt),
        ["payload"] = e.Payload.DeepClone(),
        ["metadata"] = e.Metadata.DeepClone(),
        ["causationId"] = e.CausationId?.ToString(),
        ["correlationId"] = e.CorrelationId?.ToString(),
        ["position"] = e.Position,
    };

    public static byte[] ToUtf8(StoredEvent e) => JsonSerializer.SerializeToUtf8Bytes(ToJson(e));

    public static string Timestamp(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFF'Z'", System.Globalization.CultureInfo.InvariantCulture);
}
