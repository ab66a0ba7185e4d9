using System.Collections.Concurrent;

namespace EventSourcing.Core.Processing;

/// <summary>
/// The aggregates this processor instance processed an event of in the last five minutes (the seed's
/// event_sourcing_active_aggregates; instances own disjoint partitions, so their gauges add up). Kept in memory:
/// counting recently updated streams in PostgreSQL every few seconds would scan every aggregate.
/// </summary>
public sealed class ActiveAggregates(TimeProvider timeProvider)
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(5);

    private readonly ConcurrentDictionary<Guid, long> _lastSeen = new();

    public void Seen(IEnumerable<Guid> aggregateIds)
    {
        var now = timeProvider.GetTimestamp();
        foreach (var id in aggregateIds)
        {
            _lastSeen[id] = now;
        }
    }

    /// <summary>Forgets aggregates not seen within the window; returns how many are left.</summary>
    public long Count()
    {
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
