using EventSourcing.Core.Events;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace EventSourcing.Core.ReadModels.Replay;

/// <summary>The ids a swap took out of service and put into service (for cache invalidation).</summary>
public sealed record ReplaySwap(IReadOnlyList<string> RemovedIds, IReadOnlyList<string> InstalledIds);

/// <summary>
/// Rebuilds one read model from the full history, blue/green: documents are folded into staging rows (the live rows
/// keep serving and the processor keeps updating them), caught up with what was appended meanwhile, then swapped in
/// after a last catch-up, in one transaction that holds read_models in EXCLUSIVE mode: readers are not blocked and
/// see the old model or the new one; processor writes wait for the swap (a moment), so none lands on the old rows
/// after it and every one committed before it is in the store the last catch-up reads.
/// </summary>
public sealed class ReadModelReplayer(NpgsqlDataSource dataSource, TimeProvider timeProvider, ILogger<ReadModelReplayer> logger)
{
    private const int AggregatesPerPage = 500;

    /// <summary>Events of the aggregate types (the total a replay of them will fold).</summary>
    public async Task<long> CountEventsAsync(IEnumerable<string> aggregateTypes, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT COALESCE(sum(current_version), 0)::bigint FROM event_store.streams WHERE aggregate_type = ANY(@types)");
        command.Parameters.AddWithValue("types", aggregateTypes.Distinct().ToArray());
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task<ReplaySwap> RebuildAsync(Guid replayId, IReadModelProjection projection, ReplayProgress progress, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var staging = new Staging(connection, replayId, projection.ModelName);
        var failed = new HashSet<Guid>();
        await staging.ClearAsync(cancellationToken);

        // Blue keeps serving while green is folded from every event up to the head, aggregate by aggregate.
        var head = await HeadAsync(connection, cancellationToken);
        var after = Guid.Empty;
        while (await AggregatesAsync(connection, projection.AggregateType, after, cancellationToken) is { Length: > 0 } page)
        {
            after = page[^1];
            var events = await EventsOfAsync(connection, page, head, cancellationToken);
            await ApplyAsync(staging, projection, [], events, failed, progress, cancellationToken);
        }

        // What was appended meanwhile, twice outside the lock so the locked catch-up is short.
        for (var pass = 0; pass < 2; pass++)
        {
            head = await CatchUpAsync(staging, projection, head, failed, progress, cancellationToken);
        }

        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await staging.LockLiveModelsAsync(cancellationToken);
        await CatchUpAsync(staging, projection, head, failed, progress, cancellationToken);
        var swap = await staging.SwapAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        logger.LogInformation("Replay {ReplayId}: {Model} swapped in ({Documents} documents replace {Old}; {Failed} aggregate(s) stopped at an event they could not apply)",
            replayId, projection.ModelName, swap.InstalledIds.Count, swap.RemovedIds.Count, failed.Count);
        return swap;
    }

    /// <summary>The last committed position: positions become visible in commit order, so everything up to it is readable.</summary>
    private static async Task<long> HeadAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT last_position FROM event_store.global_position", connection);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private static async Task<Guid[]> AggregatesAsync(NpgsqlConnection connection, string aggregateType, Guid after, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "SELECT aggregate_id FROM event_store.streams WHERE aggregate_type = @type AND aggregate_id > @after ORDER BY aggregate_id LIMIT @limit", connection);
        command.Parameters.AddWithValue("type", aggregateType);
        command.Parameters.AddWithValue("after", after);
        command.Parameters.AddWithValue("limit", AggregatesPerPage);
        var ids = new List<Guid>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(reader.GetGuid(0));
        }

        return [.. ids];
    }

    private static async Task<List<StoredEvent>> EventsOfAsync(NpgsqlConnection connection, Guid[] aggregateIds, long head, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            $"SELECT {EventRows.Columns} FROM event_store.events WHERE aggregate_id = ANY(@ids) AND position <= @head ORDER BY aggregate_id, aggregate_version",
            connection);
        command.Parameters.AddWithValue("ids", aggregateIds);
        command.Parameters.AddWithValue("head", head);
        return await EventRows.ReadAllAsync(command, cancellationToken);
    }

    /// <summary>Applies the events of the model's type after <paramref name="head"/>; returns the new head.</summary>
    private async Task<long> CatchUpAsync(Staging staging, IReadModelProjection projection, long head, HashSet<Guid> failed, ReplayProgress progress,
        CancellationToken cancellationToken)
    {
        var newHead = await HeadAsync(staging.Connection, cancellationToken);
        await using var command = new NpgsqlCommand(
            $"SELECT {EventRows.Columns} FROM event_store.events WHERE aggregate_type = @type AND position > @from AND position <= @to ORDER BY position",
            staging.Connection);
        command.Parameters.AddWithValue("type", projection.AggregateType);
        command.Parameters.AddWithValue("from", head);
        command.Parameters.AddWithValue("to", newHead);
        var events = await EventRows.ReadAllAsync(command, cancellationToken);
        if (events.Count > 0)
        {
            var current = await staging.LoadAsync([.. events.Select(e => e.AggregateId).Distinct()], cancellationToken);
            await ApplyAsync(staging, projection, current, events, failed, progress, cancellationToken);
        }

        return newHead;
    }

    private async Task ApplyAsync(Staging staging, IReadModelProjection projection, Dictionary<Guid, ReadModelDocument> current, List<StoredEvent> events,
        HashSet<Guid> failed, ReplayProgress progress, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var documents = new List<(Guid AggregateId, ReadModelDocument Document)>();
        foreach (var aggregate in events.GroupBy(e => e.AggregateId))
        {
            if (failed.Contains(aggregate.Key))
            {
                continue;
            }

            var before = current.GetValueOrDefault(aggregate.Key);
            var fresh = aggregate.Where(e => e.AggregateVersion > (before?.Version ?? 0)).OrderBy(e => e.AggregateVersion).ToList();
            if (fresh.Count > 0 && Fold(projection, aggregate.Key, before, fresh, now, failed) is { } document)
            {
                documents.Add((aggregate.Key, document));
            }
        }

        await staging.SaveAsync(documents, cancellationToken);
        progress.Applied(events.Count, documents.Count);
    }

    /// <summary>
    /// The document after the events; on an event it cannot apply (or a document past the size cap) the aggregate stops at
    /// the last event that worked, as the processor's document does, and is left out of later catch-ups.
    /// </summary>
    private ReadModelDocument? Fold(IReadModelProjection projection, Guid aggregateId, ReadModelDocument? current, List<StoredEvent> events,
        DateTimeOffset now, HashSet<Guid> failed)
    {
        try
        {
            return projection.ApplyAll(aggregateId, current, events, now);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            failed.Add(aggregateId);
            var document = current;
            foreach (var e in events.TakeWhile(e => e.AggregateVersion == (document?.Version ?? 0) + 1))
            {
                try
                {
                    document = projection.ApplyAll(aggregateId, document, [e], now);
                }
                catch (Exception stop) when (stop is not OperationCanceledException)
                {
                    logger.LogWarning("Replay of {Model}: aggregate {AggregateId} stops before v{Version}: {Message}",
                        projection.ModelName, aggregateId, e.AggregateVersion, stop.Message);
                    break;
                }
            }

            return document == current ? null : document;
        }
    }

    /// <summary>The green rows of one model in one replay.</summary>
    private sealed class Staging(NpgsqlConnection connection, Guid replayId, string modelName)
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
            await using var insert = new NpgsqlCommand(
                """
                WITH green AS (
                    DELETE FROM event_store.read_model_staging WHERE replay_id = @replay AND model_name = @model
                    RETURNING id, model_name, aggregate_id, data, version, updated_at)
                INSERT INTO event_store.read_models (id, model_name, aggregate_id, data, version, updated_at)
                SELECT id, model_name, aggregate_id, data, version, updated_at FROM green
                RETURNING id
                """, connection);
            Bind(insert);
            var installed = await IdsAsync(insert, cancellationToken);
            return new ReplaySwap(removed, installed);
        }

        private void Bind(NpgsqlCommand command)
        {
            command.Parameters.AddWithValue("replay", replayId);
            command.Parameters.AddWithValue("model", modelName);
        }

        private static async Task<List<string>> IdsAsync(NpgsqlCommand command, CancellationToken cancellationToken)
        {
            var ids = new List<string>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                ids.Add(reader.GetString(0));
            }

            return ids;
        }
    }
}
