using System.Collections.Concurrent;
using EventSourcing.Domain.Processing;
using EventSourcing.EventStore.Aggregates;
using EventSourcing.EventStore.Snapshots;
using Npgsql;

namespace EventSourcing.Processor.Processing;

/// <summary>
/// Time-based snapshots (the seed's strategy, SNAPSHOT_MAX_AGE): the aggregates this instance processed since their
/// last snapshot are candidates; on a timer, those whose latest snapshot is older than the age get a new one. Kept in
/// memory: an instance only snapshots aggregates of the partitions it consumes, and after a restart an aggregate
/// becomes a candidate again with its next event.
/// </summary>
public sealed class TimedSnapshots(
    SnapshotPolicy policy,
    SnapshotStore snapshots,
    AggregateStateReader states,
    TimeProvider timeProvider,
    ILogger<TimedSnapshots> logger) : BackgroundService
{
    private const int PerQuery = 1000;

    private readonly ConcurrentDictionary<Guid, byte> _candidates = new();

    public int Candidates => _candidates.Count;

    /// <summary>Aggregates that now have events after their latest snapshot.</summary>
    public void Processed(IEnumerable<Guid> aggregateIds)
    {
        if (policy.TimeBased)
        {
            foreach (var id in aggregateIds)
            {
                _candidates.TryAdd(id, 0);
            }
        }
    }

    /// <summary>An aggregate snapshotted at its current version (by the interval rule) is no candidate until its next event.</summary>
    public void Snapshotted(Guid aggregateId) => _candidates.TryRemove(aggregateId, out _);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!policy.TimeBased)
        {
            return;
        }

        using var timer = new PeriodicTimer(policy.CheckEvery, timeProvider);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await SnapshotDueAsync(stoppingToken);
            }
            catch (NpgsqlException ex)
            {
                logger.LogWarning("Time-based snapshots skipped this round: {Message}", ex.Message);
            }
        }
    }

    public async Task SnapshotDueAsync(CancellationToken cancellationToken)
    {
        var cutoff = timeProvider.GetUtcNow() - policy.MaxAge;
        foreach (var chunk in _candidates.Keys.Chunk(PerQuery))
        {
            var (due, settled) = await snapshots.DueByAgeAsync(chunk, cutoff, cancellationToken);
            foreach (var id in settled)
            {
                _candidates.TryRemove(id, out _);
            }

            foreach (var (id, type) in due)
            {
                if (await states.CreateSnapshotAsync(type, id, cancellationToken) is not null)
                {
                    _candidates.TryRemove(id, out _);
                }
            }

            if (due.Count > 0)
            {
                logger.LogDebug("Time-based snapshots: {Count} aggregate(s) older than {Age}", due.Count, policy.MaxAge);
            }
        }
    }
}
