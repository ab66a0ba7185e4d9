using System.Diagnostics;
using EventSourcing.Domain.Events;
using EventSourcing.Domain.Processing;
using EventSourcing.Domain.ReadModels;
using EventSourcing.EventStore.Aggregates;
using EventSourcing.EventStore.Processing;
using EventSourcing.EventStore.Reading;
using EventSourcing.EventStore.ReadModels;
using Npgsql;

namespace EventSourcing.Processor.Processing;

/// <summary>What processing one aggregate's events did.</summary>
/// <param name="Removed">Documents that moved to another id (player_summary: from the aggregate id to the playerId).</param>
public sealed record ProjectionOutcome(bool Success, IReadOnlyList<ReadModelDocument> Updated, IReadOnlyList<(string ModelName, string Id)> Removed,
    IReadOnlyList<StoredEvent> DeadLettered, string? Error);

/// <summary>
/// Applies one aggregate's events to every read model of its type, in one transaction with the processing outcome.
/// Exactly-once effect over at-least-once delivery: each document remembers the last version applied, skips what it
/// has seen, and fills a gap (v7 while it holds v5) from the store before applying.
/// </summary>
public sealed class EventProjector(
    NpgsqlDataSource dataSource,
    IEnumerable<IReadModelProjection> projections,
    AggregateStateReader states,
    ProcessingStatusStore statuses,
    SnapshotPolicy snapshotPolicy,
    TimedSnapshots timedSnapshots,
    ProcessingMetrics metrics,
    TimeProvider timeProvider,
    ILogger<EventProjector> logger)
{
    private readonly ILookup<string, IReadModelProjection> _byType = projections.ToLookup(p => p.AggregateType);

    /// <summary>
    /// Processes several aggregates' events in one transaction (one commit per lane and poll, not per event); each
    /// aggregate runs under its own savepoint, so a poison aggregate fails alone and its neighbours still commit.
    /// </summary>
    /// <param name="aggregates">Per aggregate, its events in any order, duplicates allowed.</param>
    public async Task<List<ProjectionOutcome>> ProcessAsync(IReadOnlyList<IReadOnlyList<StoredEvent>> aggregates, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var ordered = aggregates.Select(a => a.InVersionOrder()).ToList();
        var now = timeProvider.GetUtcNow();
        var (applied, failed) = await TryAllAtOnceAsync(ordered, now, cancellationToken) is { } fast
            ? (fast, [])
            : await OneByOneAsync(ordered, now, cancellationToken);

        var outcomes = new List<ProjectionOutcome>();
        foreach (var done in applied)
        {
            await SnapshotIfDueAsync(done.Events, cancellationToken);
            outcomes.Add(new ProjectionOutcome(true, done.Updated, done.Removed, [], null));
        }

        foreach (var (events, error) in failed)
        {
            metrics.Failed(events.Count);
            var dead = await statuses.RecordFailureAsync(events[0].AggregateId, events, error, timeProvider.GetUtcNow(), cancellationToken);
            outcomes.Add(new ProjectionOutcome(false, [], [], [.. events.Where(e => dead.Contains(e.EventId))], error));
        }

        metrics.Processed(applied.Sum(a => a.Events.Count), applied.Sum(a => a.Updated.Count), Stopwatch.GetElapsedTime(started));
        return outcomes;
    }

    /// <summary>
    /// The common case, in a handful of statements whatever the number of aggregates: lock every document of the
    /// batch with one query per model, apply in memory, upsert them with one statement per model. Null when any
    /// aggregate fails (nothing is kept); the caller then isolates it.
    /// </summary>
    private async Task<List<Applied>?> TryAllAtOnceAsync(List<List<StoredEvent>> aggregates, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var results = aggregates.ToDictionary(a => a[0].AggregateId, a => new Applied(a));
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            foreach (var projection in aggregates.Select(a => a[0].AggregateType).Distinct().SelectMany(type => _byType[type]))
            {
                var mine = aggregates.Where(a => a[0].AggregateType == projection.AggregateType).ToList();
                var current = await ReadModelStore.LockForAggregatesAsync(connection, projection.ModelName, [.. mine.Select(a => a[0].AggregateId)], cancellationToken);
                var documents = new List<(Guid AggregateId, ReadModelDocument Document)>();
                foreach (var events in mine)
                {
                    var aggregateId = events[0].AggregateId;
                    var before = current.GetValueOrDefault(aggregateId);
                    if (await ProjectAsync(connection, projection, aggregateId, before, events, now, cancellationToken) is { } document)
                    {
                        documents.Add((aggregateId, document));
                        results[aggregateId].Add(before, document);
                    }
                }

                await ReadModelStore.SaveManyAsync(connection, documents, cancellationToken);
            }

            await ProcessingStatusStore.RecordProcessedAsync(connection, [.. aggregates.SelectMany(a => a)], now, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return [.. results.Values];
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.LogDebug(ex, "A batch of {Count} aggregate(s) failed; processing them one by one", aggregates.Count);
            return null;
        }
    }

    /// <summary>The slow path: each aggregate under its own savepoint, so a poison aggregate fails alone.</summary>
    private async Task<(List<Applied> Applied, List<(List<StoredEvent> Events, string Error)> Failed)> OneByOneAsync(
        List<List<StoredEvent>> ordered, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var applied = new List<Applied>();
        var failed = new List<(List<StoredEvent> Events, string Error)>();
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
        {
            foreach (var events in ordered)
            {
                await transaction.SaveAsync("aggregate", cancellationToken);
                try
                {
                    var done = await ApplyAsync(connection, events, now, cancellationToken);
                    await transaction.ReleaseAsync("aggregate", cancellationToken);
                    applied.Add(done);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    await transaction.RollbackAsync("aggregate", cancellationToken);
                    logger.LogWarning(ex, "Processing {Count} event(s) of aggregate {AggregateId} failed", events.Count, events[0].AggregateId);
                    failed.Add((events, ex.Message));
                }
            }

            await ProcessingStatusStore.RecordProcessedAsync(connection, [.. applied.SelectMany(a => a.Events)], now, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        return (applied, failed);
    }

    private async Task<Applied> ApplyAsync(NpgsqlConnection connection, List<StoredEvent> events, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var aggregateId = events[0].AggregateId;
        var done = new Applied(events);
        foreach (var projection in _byType[events[0].AggregateType])
        {
            var current = await ReadModelStore.LockForAggregateAsync(connection, projection.ModelName, aggregateId, cancellationToken);
            if (await ProjectAsync(connection, projection, aggregateId, current, events, now, cancellationToken) is not { } document)
            {
                continue;
            }

            await ReadModelStore.SaveAsync(connection, aggregateId, document, cancellationToken);
            done.Add(current, document);
        }

        return done;
    }

    /// <summary>The document after the events it has not seen yet (null: it has seen them all, a re-delivery).</summary>
    private static async Task<ReadModelDocument?> ProjectAsync(NpgsqlConnection connection, IReadModelProjection projection, Guid aggregateId, ReadModelDocument? current,
        List<StoredEvent> events, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var fresh = current.Unapplied(events);
        if (fresh.Count == 0)
        {
            return null;
        }

        if (current.GapBefore(fresh) is { } gap)
        {
            fresh.InsertRange(0, await EventReader.ReadVersionsAsync(connection, aggregateId, gap.From, gap.To, cancellationToken));
        }

        return projection.ApplyAll(aggregateId, current, fresh, now);
    }

    /// <summary>
    /// A snapshot when the batch crosses a multiple of SNAPSHOT_INTERVAL, never on the append path; otherwise the
    /// aggregate is a candidate for a time-based one.
    /// </summary>
    private async Task SnapshotIfDueAsync(List<StoredEvent> events, CancellationToken cancellationToken)
    {
        var aggregateId = events[0].AggregateId;
        if (snapshotPolicy.IsDue(events[0].AggregateVersion, events[^1].AggregateVersion)
            && await states.CreateSnapshotAsync(events[0].AggregateType, aggregateId, cancellationToken) is { } snapshot
            && snapshot.Version >= events[^1].AggregateVersion)
        {
            timedSnapshots.Snapshotted(aggregateId);
            return;
        }

        timedSnapshots.Processed([aggregateId]);
    }

    /// <summary>What one aggregate's events did to its read models.</summary>
    private sealed class Applied(List<StoredEvent> events)
    {
        public List<StoredEvent> Events { get; } = events;

        public List<ReadModelDocument> Updated { get; } = [];

        public List<(string ModelName, string Id)> Removed { get; } = [];

        /// <summary>A document written; if it moved to another id, its old id is dropped from the cache.</summary>
        public void Add(ReadModelDocument? before, ReadModelDocument document)
        {
            Updated.Add(document);
            if (before is not null && before.Id != document.Id)
            {
                Removed.Add((document.ModelName, before.Id));
            }
        }
    }
}
