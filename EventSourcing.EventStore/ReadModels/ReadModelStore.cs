using System.Text.Json.Nodes;
using EventSourcing.Domain.ReadModels;
using Npgsql;
using NpgsqlTypes;

namespace EventSourcing.EventStore.ReadModels;

/// <summary>Read models in event_store.read_models: one row per (model, aggregate), keyed for queries by its id.</summary>
public sealed class ReadModelStore(NpgsqlDataSource dataSource)
{
    internal const string Columns = "id, model_name, data::text, version, updated_at";

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
    public static async Task<ReadModelDocument?> LockForAggregateAsync(NpgsqlConnection connection, string modelName, Guid aggregateId, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            $"SELECT {Columns} FROM event_store.read_models WHERE model_name = @model AND aggregate_id = @aggregate FOR UPDATE", connection);
        command.Parameters.AddWithValue("model", modelName);
        command.Parameters.AddWithValue("aggregate", aggregateId);
        var rows = await ReadAsync(command, cancellationToken);
        return rows.Count == 0 ? null : rows[0];
    }

    /// <summary>The documents of many aggregates, locked in id order (no deadlock between lanes), by aggregate id.</summary>
    public static async Task<Dictionary<Guid, ReadModelDocument>> LockForAggregatesAsync(NpgsqlConnection connection, string modelName, Guid[] aggregateIds, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            $"SELECT {Columns}, aggregate_id FROM event_store.read_models WHERE model_name = @model AND aggregate_id = ANY(@aggregates) ORDER BY aggregate_id FOR UPDATE",
            connection);
        command.Parameters.AddWithValue("model", modelName);
        command.Parameters.AddWithValue("aggregates", aggregateIds);
        // Not prepared, unlike the upsert below: a generic plan made while read_models is empty is a sequential scan.
        return await ReadByAggregateAsync(command, cancellationToken);
    }

    /// <summary>Rows of <see cref="Columns"/> followed by aggregate_id, by aggregate id.</summary>
    internal static async Task<Dictionary<Guid, ReadModelDocument>> ReadByAggregateAsync(NpgsqlCommand command, CancellationToken cancellationToken) =>
        (await command.ReadAllAsync(reader => (Aggregate: reader.GetGuid(5), Document: ReadDocument(reader)), cancellationToken))
            .ToDictionary(row => row.Aggregate, row => row.Document);

    public static Task SaveAsync(NpgsqlConnection connection, Guid aggregateId, ReadModelDocument document, CancellationToken cancellationToken) =>
        SaveManyAsync(connection, [(aggregateId, document)], cancellationToken);

    /// <summary>Upserts documents of one model in one statement.</summary>
    public static async Task SaveManyAsync(NpgsqlConnection connection, IReadOnlyList<(Guid AggregateId, ReadModelDocument Document)> documents, CancellationToken cancellationToken)
    {
        if (documents.Count == 0)
        {
            return;
        }

        await using var command = new NpgsqlCommand(
            """
            INSERT INTO event_store.read_models (id, model_name, aggregate_id, data, version, updated_at)
            SELECT * FROM unnest(@id, @model, @aggregate, @data, @version, @updated_at)
            ON CONFLICT (model_name, aggregate_id) DO UPDATE
                SET id = EXCLUDED.id, data = EXCLUDED.data, version = EXCLUDED.version, updated_at = EXCLUDED.updated_at
            """, connection);
        command.Parameters.AddWithValue("model", documents.Select(d => d.Document.ModelName).ToArray());
        BindDocuments(command, documents);
        await command.PrepareAsync(cancellationToken);
        try
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (PostgresException ex) when (ex is { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: "read_models_pkey" })
        {
            // The id comes from the events (a sessionId, a playerId): another aggregate already claimed it.
            throw new ReadModelIdTakenException(documents, ex);
        }
    }

    /// <summary>The documents as the arrays @aggregate, @id, @data (jsonb), @version, @updated_at of an unnest upsert.</summary>
    internal static void BindDocuments(NpgsqlCommand command, IReadOnlyList<(Guid AggregateId, ReadModelDocument Document)> documents)
    {
        command.Parameters.AddWithValue("aggregate", documents.Select(d => d.AggregateId).ToArray());
        command.Parameters.AddWithValue("id", documents.Select(d => d.Document.Id).ToArray());
        command.Parameters.Add(new NpgsqlParameter("data", NpgsqlDbType.Array | NpgsqlDbType.Jsonb) { Value = documents.Select(d => d.Document.Data.ToJsonString()).ToArray() });
        command.Parameters.AddWithValue("version", documents.Select(d => d.Document.Version).ToArray());
        command.Parameters.AddWithValue("updated_at", documents.Select(d => d.Document.UpdatedAt).ToArray());
    }

    private static Task<List<ReadModelDocument>> ReadAsync(NpgsqlCommand command, CancellationToken cancellationToken) =>
        command.ReadAllAsync(ReadDocument, cancellationToken);

    private static ReadModelDocument ReadDocument(NpgsqlDataReader reader) =>
        new(reader.GetString(0), reader.GetString(1), JsonNode.Parse(reader.GetString(2))!.AsObject(), reader.GetInt64(3), reader.GetFieldValue<DateTimeOffset>(4));
}

/// <summary>A document's id already belongs to another aggregate's document of the same model.</summary>
public sealed class ReadModelIdTakenException(IReadOnlyList<(Guid AggregateId, ReadModelDocument Document)> documents, Exception inner)
    : InvalidOperationException(Describe(documents), inner)
{
    private static string Describe(IReadOnlyList<(Guid AggregateId, ReadModelDocument Document)> documents) =>
        documents is [var (aggregateId, document)]
            ? $"The {document.ModelName} read model '{document.Id}' already belongs to another aggregate: aggregate {aggregateId} cannot take its id"
            : $"One of {documents.Count} {documents[0].Document.ModelName} read model ids already belongs to another aggregate";
}
