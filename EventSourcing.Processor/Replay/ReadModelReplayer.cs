using EventSourcing.Domain.Events;
using EventSourcing.Domain.ReadModels;
using EventSourcing.EventStore.Reading;
using EventSourcing.EventStore.Replays;
using Npgsql;

namespace EventSourcing.Processor.Replay;

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

    public async Task<ReplaySwap> RebuildAsync(Guid replayId, IReadModelProjection projection, ReplayProgress progress, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var staging = new ReplayStaging(connection, replayId, projection.ModelName);
        var failed = new HashSet<Guid>();
        await staging.ClearAsync(cancellationToken);

        // Blue keeps serving while green is folded from every event up to the head, aggregate by aggregate.
        var head = await EventReader.HeadAsync(connection, cancellationToken);
        var after = Guid.Empty;
        while (await EventReader.AggregateIdsAsync(connection, projection.AggregateType, after, AggregatesPerPage, cancellationToken) is { Length: > 0 } page)
        {
            after = page[^1];
            var events = await EventReader.EventsOfAsync(connection, page, head, cancellationToken);
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
        progress.Failed(swap.Refused);
        logger.LogInformation(
            "Replay {ReplayId}: {Model} swapped in ({Documents} documents replace {Old}; {Failed} aggregate(s) stopped at an event they could not apply; {Refused} left out: their id belongs to another aggregate)",
            replayId, projection.ModelName, swap.InstalledIds.Count, swap.RemovedIds.Count, failed.Count, swap.Refused);
        return swap;
    }

    /// <summary>Applies the events of the model's type after <paramref name="head"/>; returns the new head.</summary>
    private async Task<long> CatchUpAsync(ReplayStaging staging, IReadModelProjection projection, long head, HashSet<Guid> failed, ReplayProgress progress,
        CancellationToken cancellationToken)
    {
        var newHead = await EventReader.HeadAsync(staging.Connection, cancellationToken);
        var events = await EventReader.EventsOfTypeAsync(staging.Connection, projection.AggregateType, head, newHead, cancellationToken);
        if (events.Count > 0)
        {
            var current = await staging.LoadAsync([.. events.Select(e => e.AggregateId).Distinct()], cancellationToken);
            await ApplyAsync(staging, projection, current, events, failed, progress, cancellationToken);
        }

        return newHead;
    }

    private async Task ApplyAsync(ReplayStaging staging, IReadModelProjection projection, Dictionary<Guid, ReadModelDocument> current, List<StoredEvent> events,
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
            var fresh = before.Unapplied(aggregate);
            if (fresh.Count > 0 && Fold(projection, aggregate.Key, before, fresh, now, failed, progress) is { } document)
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
        DateTimeOffset now, HashSet<Guid> failed, ReplayProgress progress)
    {
        try
        {
            return projection.ApplyAll(aggregateId, current, events, now);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            failed.Add(aggregateId);
            progress.Failed();
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
}
