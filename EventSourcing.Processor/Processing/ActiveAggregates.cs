using System.Collections.Concurrent;

namespace EventSourcing.Processor.Processing;

/// <summary>
/// The aggregates this processor instance processed an event of in the last five minutes (the seed's
/// event_sourcing_active_aggregates; instances own disjoint partitions, so their gauges add up). Kept in memory:
/// counting recently updated streams in PostgreSQL every few seconds would scan every aggregate.
/// </summary>
public sealed class ActiveAggregates(TimeProvider timeProvider)
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(5);

    /// <summary>Forgetting walks every entry: do it now and then, not on every scrape.</summary>
    private static readonly TimeSpan PruneEvery = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<Guid, long> _lastSeen = new();
    private long _lastPrune;

    public void Seen(IEnumerable<Guid> aggregateIds)
    {
        var now = timeProvider.GetTimestamp();
        foreach (var id in aggregateIds)
        {
            _lastSeen[id] = now;
        }
    }

    /// <summary>How many were seen within the window (give or take the last <see cref="PruneEvery"/>).</summary>
    public long Count()
    {
        if (timeProvider.GetElapsedTime(Interlocked.Read(ref _lastPrune)) < PruneEvery)
        {
            return _lastSeen.Count;
        }

        Interlocked.Exchange(ref _lastPrune, timeProvider.GetTimestamp());
        foreach (var (id, seen) in _lastSeen)
        {
            if (timeProvider.GetElapsedTime(seen) > Window)
            {
                _lastSeen.TryRemove(new KeyValuePair<Guid, long>(id, seen));
            }
        }

        return _lastSeen.Count;
    }
}
