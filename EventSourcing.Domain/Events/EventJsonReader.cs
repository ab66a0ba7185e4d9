using System.Globalization;
using System.Text.Json.Nodes;

namespace EventSourcing.Domain.Events;

/// <summary>Reads the contract's event JSON back (as published on Kafka) into a stored event.</summary>
public static class EventJsonReader
{
    public static StoredEvent Parse(ReadOnlySpan<byte> utf8)
    {
        var json = JsonNode.Parse(utf8)!.AsObject();
        return new StoredEvent(
            Guid.Parse(json["eventId"]!.GetValue<string>()),
            Guid.Parse(json["aggregateId"]!.GetValue<string>()),
            json["aggregateType"]!.GetValue<string>(),
            json["aggregateVersion"]!.GetValue<long>(),
            json["eventType"]!.GetValue<string>(),
            json["eventVersion"]!.GetValue<int>(),
            DateTimeOffset.Parse(json["occurredAt"]!.GetValue<string>(), CultureInfo.InvariantCulture),
            json["payload"]!.AsObject(),
            json["metadata"] as JsonObject ?? [],
            json["causationId"] is JsonValue causation ? Guid.Parse(causation.GetValue<string>()) : null,
            json["correlationId"] is JsonValue correlation ? Guid.Parse(correlation.GetValue<string>()) : null,
            json["position"]!.GetValue<long>());
    }
}
