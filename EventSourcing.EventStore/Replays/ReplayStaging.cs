using EventSourcing.Domain.ReadModels;
using EventSourcing.EventStore.ReadModels;
using Npgsql;

namespace EventSourcing.EventStore.Replays;

/// <summary>The ids a swap took out of service and put into service (for cache invalidation).</summary>
/// <param name="Refused">Green documents left out because another aggregate's document holds the same id.</param>
public sealed record ReplaySwap(IReadOnlyList<string> RemovedIds, IReadOnlyList<string> InstalledIds, int Refused);

/// <summary>
/// The green rows of one model in one replay (event_store.read_model_staging), on the replay's own connection, and the
/// swap that puts them in service.
/// </summary>
public sealed class ReplayStaging(NpgsqlConnection connection, Guid replayId, string modelName)
{
    public NpgsqlConnection Connection => connection;

    public async Task ClearAsync(CancellationToken cancellationToken)
    {
        // Also what an abandoned earlier replay of this model left behind.
        await using var command = new NpgsqlCommand("DELETE FROM event_store.read_model_staging WHERE model_name = @model", connection);
        command.Parameters.AddWithValue("model", modelName);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<Dictionary<Guid, ReadModelDocument>> LoadAsync(Guid[] aggregateIds, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            $"SELECT {ReadModelStore.Columns}, aggregate_id FROM event_store.read_model_staging WHERE replay_id = @replay AND model_name = @model AND aggregate_id = ANY(@ids)",
            connection);
        Bind(command);
        command.Parameters.AddWithValue("ids", aggregateIds);
        return await ReadModelStore.ReadByAggregateAsync(command, cancellationToken);
    }

    public async Task SaveAsync(List<(Guid AggregateId, ReadModelDocument Document)> documents, CancellationToken cancellationToken)
    {
        if (documents.Count == 0)
        {
            return;
        }

        await using var command = new NpgsqlCommand(
            """
            INSERT INTO event_store.read_model_staging (replay_id, model_name, aggregate_id, id, data, version, updated_at)
            SELECT @replay, @model, * FROM unnest(@aggregate, @id, @data, @version, @updated_at)
            ON CONFLICT (replay_id, model_name, aggregate_id) DO UPDATE
                SET id = EXCLUDED.id, data = EXCLUDED.data, version = EXCLUDED.version, updated_at = EXCLUDED.updated_at
            """, connection);
        Bind(command);
        ReadModelStore.BindDocuments(command, documents);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Waits for processor transactions that write read models to finish and holds new ones back until commit
    /// (EXCLUSIVE conflicts with their row locks and writes, not with plain reads).
    /// </summary>
    public async Task LockLiveModelsAsync(CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("LOCK TABLE event_store.read_models IN EXCLUSIVE MODE", connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Blue out, green in (the caller holds the live models' lock and the transaction).</summary>
    public async Task<ReplaySwap> SwapAsync(CancellationToken cancellationToken)
    {
        await using var delete = new NpgsqlCommand("DELETE FROM event_store.read_models WHERE model_name = @model RETURNING id", connection);
        Bind(delete);
        var removed = await IdsAsync(delete, cancellationToken);
        // A document's id comes from its events (a sessionId, a playerId), so two aggregates can claim one id: the
        // stream appended first keeps it, as in the processor, where the later one's events fail on the key.
        await using var insert = new NpgsqlCommand(
            """
            WITH green AS (
                DELETE FROM event_store.read_model_staging WHERE replay_id = @replay AND model_name = @model
                RETURNING id, model_name, aggregate_id, data, version, updated_at),
            owner AS (
                SELECT DISTINCT ON (green.id) green.*
                FROM green LEFT JOIN event_store.events first ON first.aggregate_id = green.aggregate_id AND first.aggregate_version = 1
                ORDER BY green.id, first.position, green.aggregate_id),
            installed AS (
                INSERT INTO event_store.read_models (id, model_name, aggregate_id, data, version, updated_at)
                SELECT id, model_name, aggregate_id, data, version, updated_at FROM owner
                RETURNING id)
            SELECT id, (SELECT count(*) FROM green)::int - (SELECT count(*) FROM installed)::int FROM installed
            """, connection);
        Bind(insert);
        var installed = await insert.ReadAllAsync(reader => (Id: reader.GetString(0), Refused: reader.GetInt32(1)), cancellationToken);
        return new ReplaySwap(removed, [.. installed.Select(row => row.Id)], installed.Count == 0 ? 0 : installed[0].Refused);
    }

    private void Bind(NpgsqlCommand command)
    {
        command.Parameters.AddWithValue("replay", replayId);
        command.Parameters.AddWithValue("model", modelName);
    }

    private static Task<List<string>> IdsAsync(NpgsqlCommand command, CancellationToken cancellationToken) =>
        command.ReadAllAsync(reader => reader.GetString(0), cancellationToken);
}
