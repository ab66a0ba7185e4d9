using System.Diagnostics;
using System.Text.Json;
using EventSourcing.Domain.Aggregates;
using EventSourcing.EventStore.Reading;
using EventSourcing.EventStore.Snapshots;

namespace EventSourcing.EventStore.Aggregates;

public sealed record AggregateState(Guid AggregateId, string AggregateType, long Version, JsonElement State, int EventsApplied, long? FromSnapshot);

public sealed record RebuildResult(AggregateState Aggregate, TimeSpan Duration, bool SnapshotCreated);

/// <summary>
/// An aggregate's state: the latest snapshot (when it is not past the version asked for) plus the events after it,
/// so the state reflects every acknowledged append whatever the processor's lag (read-your-writes).
/// </summary>
public sealed class AggregateStateReader(EventReader reader, SnapshotStore snapshots, DomainCatalog catalog, TimeProvider timeProvider)
{
    /// <summary>Null when the aggregate has no events or is of another type.</summary>
    public async Task<AggregateState?> LoadAsync(string aggregateType, Guid aggregateId, long? atVersion, CancellationToken cancellationToken)
    {
        var stream = await reader.FindStreamAsync(aggregateId, cancellationToken);
        if (stream is null || stream.AggregateType != aggregateType)
        {
            return null;
        }

        var upTo = Math.Min(atVersion ?? stream.CurrentVersion, stream.CurrentVersion);
        var snapshot = await snapshots.FindAsync(aggregateId, cancellationToken, upTo);
        return await FoldAsync(aggregateType, aggregateId, snapshot, upTo, cancellationToken);
    }

    /// <summary>Folds every event from the first, ignoring snapshots; optionally stores the result as the snapshot.</summary>
    public async Task<RebuildResult?> RebuildAsync(string aggregateType, Guid aggregateId, bool createSnapshot, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var stream = await reader.FindStreamAsync(aggregateId, cancellationToken);
        if (stream is null || stream.AggregateType != aggregateType)
        {
            return null;
        }

        var aggregate = await FoldAsync(aggregateType, aggregateId, null, stream.CurrentVersion, cancellationToken);
        var duration = Stopwatch.GetElapsedTime(started);
        if (createSnapshot)
        {
            await SnapshotAsync(aggregate, cancellationToken);
        }

        return new RebuildResult(aggregate, duration, createSnapshot);
    }

    /// <summary>Takes a snapshot at the aggregate's current version.</summary>
    public async Task<Snapshot?> CreateSnapshotAsync(string aggregateType, Guid aggregateId, CancellationToken cancellationToken) =>
        await LoadAsync(aggregateType, aggregateId, null, cancellationToken) is { } aggregate
            ? await SnapshotAsync(aggregate, cancellationToken)
            : null;

    private Task<Snapshot> SnapshotAsync(AggregateState aggregate, CancellationToken cancellationToken) =>
        snapshots.SaveAsync(new Snapshot(aggregate.AggregateId, aggregate.AggregateType, aggregate.Version, aggregate.State, timeProvider.GetUtcNow()), cancellationToken);

    private async Task<AggregateState> FoldAsync(string aggregateType, Guid aggregateId, Snapshot? snapshot, long upTo, CancellationToken cancellationToken)
    {
        var events = await reader.ReadVersionsAsync(aggregateId, (snapshot?.Version ?? 0) + 1, upTo, cancellationToken);
        var state = catalog.For(aggregateType).Fold(aggregateId, snapshot?.State, events);
        return new AggregateState(aggregateId, aggregateType, upTo, state, events.Count, snapshot?.Version);
    }

    /// <summary>
    /// The current state from a state known at some version (a cached snapshot) and the events after it, read in one
    /// query: everything acknowledged before the call is in it. Null when there are none (the known state is current),
    /// so a caller holding the state as JSON text only parses it when it must.
    /// </summary>
    public async Task<AggregateState?> CatchUpAsync(string aggregateType, Guid aggregateId, long knownVersion, Func<JsonElement> knownState, CancellationToken cancellationToken)
    {
        var events = await reader.ReadVersionsAsync(aggregateId, knownVersion + 1, long.MaxValue, cancellationToken);
        return events.Count == 0
            ? null
            : new AggregateState(aggregateId, aggregateType, events[^1].AggregateVersion, catalog.For(aggregateType).Fold(aggregateId, knownState(), events), events.Count, knownVersion);
    }
}
