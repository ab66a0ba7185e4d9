using System.Text.Json.Nodes;
using Npgsql;
using NpgsqlTypes;

namespace EventSourcing.Core.ReadModels;

public sealed record ReadModelDocument(string Id, string ModelName, JsonObject Data, long Version, DateTimeOffset UpdatedAt);

/// <summary>Read models in event_store.read_models: one row per (model, aggregate), keyed for queries by its id.</summary>
public sealed class ReadModelStore(NpgsqlDataSource dataSource)
{
    /// <summary>Larger documents are refused: the seed's budget for state is 50 KB on average.</summary>
    public const int MaxDocumentBytes = 64 * 1024;

    private const string Columns = "id, model_name, data::text, version, updated_at";

    public async Task<ReadModelDocument?> GetAsync(string modelName, string id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM event_store.read_models WHERE model_name = @model AND id = @id");
        command.Parameters.AddWithValue("model", modelName);
        command.Parameters.AddWithValue("id", id);
        var rows = await ReadAsync(command, cancellationToken);
        return rows.Count == 0 ? null : rows[0];
    }

    public async Task<(List<ReadModelDocument> Documents, string? NextAfter)> ListAsync(string modelName, string? after, int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT {Columns} FROM event_store.read_models WHERE model_name = @model AND id > @after ORDER BY id COLLATE \"C\" LIMIT @limit");
        command.Parameters.AddWithValue("model", modelName);
        command.Parameters.AddWithValue("after", after ?? "");
        command.Parameters.AddWithValue("limit", limit + 1);
        var rows = await ReadAsync(command, cancellationToken);
        string? next = null;
        if (rows.Count > limit)
        {
            rows.RemoveAt(limit);
            next = rows[^1].Id;
        }

        return (rows, next);
    }

    /// <summary>The document of one aggregate, locked for the transaction that will update it.</summary>
    internal static async Task<ReadModelDocument?> LockForAggregateAsync(NpgsqlConnection connection, string modelName, Guid aggregateId, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            $"SELECT {Columns} FROM event_store.read_models WHERE model_name = @model AND aggregate_id = @aggregate FOR UPDATE", connection);
        command.Parameters.AddWithValue("model", modelName);
        command.Parameters.AddWithValue("aggregate", aggregateId);
        var rows = await ReadAsync(command, cancellationToken);
        return rows.Count == 0 ? null : rows[0];
    }

    internal static async Task SaveAsync(NpgsqlConnection connection, Guid aggregateId, ReadModelDocument document, CancellationToken cancellationToken)
    {
        var json = document.Data.ToJsonString();
        if (System.Text.Encoding.UTF8.GetByteCount(json) > MaxDocumentBytes)
        {
            throw new InvalidOperationException(
                $"{document.ModelName} document {document.Id} would exceed {MaxDocumentBytes} bytes; refusing to store it");
        }

        await using var command = new NpgsqlCommand(
            """
            INSERT INTO event_store.read_models (id, model_name, aggregate_id, data, version, updated_at)
            VALUES (@id, @model, @aggregate, @data, @version, @updated_at)
            ON CONFLICT (model_name, aggregate_id) DO UPDATE
                SET id = EXCLUDED.id, data = EXCLUDED.data, version = EXCLUDED.version, updated_at = EXCLUDED.updated_at
            """, connection);
        command.Parameters.AddWithValue("id", document.Id);
        command.Parameters.AddWithValue("model", document.ModelName);
        command.Parameters.AddWithValue("aggregate", aggregateId);
        command.Parameters.Add(new NpgsqlParameter("data", NpgsqlDbType.Jsonb) { Value = json });
        command.Parameters.AddWithValue("version", document.Version);
        command.Parameters.AddWithValue("updated_at", document.UpdatedAt);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<List<ReadModelDocument>> ReadAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var rows = new List<ReadModelDocument>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new ReadModelDocument(reader.GetString(0), reader.GetString(1), JsonNode.Parse(reader.GetString(2))!.AsObject(),
                reader.GetInt64(3), reader.GetFieldValue<DateTimeOffset>(4)));
        }

        return rows;
    }
}
