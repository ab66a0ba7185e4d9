using System.Text.Json;
using EventSourcing.Domain.Events;
using Npgsql;

namespace EventSourcing.EventStore.Reading;

/// <summary>The one way an event row is selected and read back, shared by appends, reads and the outbox relay.</summary>
public static class EventRows
{
    public const string Columns =
        "event_id, aggregate_id, aggregate_type, aggregate_version, event_type, event_version, occurred_at, " +
        "payload::text, metadata::text, causation_id, correlation_id, position, traceparent";

    public static StoredEvent Read(NpgsqlDataReader reader) => new(
        reader.GetGuid(0),
        reader.GetGuid(1),
        reader.GetString(2),
        reader.GetInt64(3),
        reader.GetString(4),
        reader.GetInt32(5),
        reader.GetFieldValue<DateTimeOffset>(6),
        JsonElement.Parse(reader.GetString(7)),
        reader.IsDBNull(8) ? EventJson.EmptyObject : JsonElement.Parse(reader.GetString(8)),
        reader.IsDBNull(9) ? null : reader.GetGuid(9),
        reader.IsDBNull(10) ? null : reader.GetGuid(10),
        reader.GetInt64(11),
        reader.IsDBNull(12) ? null : reader.GetString(12));

    public static Task<List<StoredEvent>> ReadAllAsync(NpgsqlCommand command, CancellationToken cancellationToken) =>
        command.ReadAllAsync(Read, cancellationToken);
}
