using Npgsql;

namespace EventSourcing.EventStore.Checkpoints;

/// <summary>
/// Durable progress through the store's global order (event_store.checkpoints): the last position a reader has
/// finished with, by reader name. Read on a caller's connection so it can share the caller's session or transaction.
/// </summary>
public static class CheckpointStore
{
    /// <summary>The outbox relay: every event up to this position is acknowledged by Kafka.</summary>
    public const string OutboxRelay = "kafka-outbox-relay";

    /// <summary>The checkpoint, created at 0 on first use.</summary>
    public static async Task<long> ReadAsync(NpgsqlConnection connection, string name, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "INSERT INTO event_store.checkpoints (name, position) VALUES (@name, 0) ON CONFLICT (name) DO UPDATE SET name = EXCLUDED.name RETURNING position",
            connection);
        command.Parameters.AddWithValue("name", name);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public static async Task SaveAsync(NpgsqlConnection connection, string name, long position, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "UPDATE event_store.checkpoints SET position = @position, updated_at = now() WHERE name = @name", connection);
        command.Parameters.AddWithValue("name", name);
        command.Parameters.AddWithValue("position", position);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
