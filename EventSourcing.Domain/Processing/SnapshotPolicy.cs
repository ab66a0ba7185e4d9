namespace EventSourcing.Domain.Processing;

/// <summary>
/// When the processor snapshots an aggregate (the seed's strategy): every <see cref="Interval"/> versions, checked
/// when a batch of its events crosses a multiple of the interval (batches may skip over the multiple itself); and
/// by time: an aggregate with events newer than its latest snapshot, that snapshot (or, without one, the aggregate)
/// older than <see cref="MaxAge"/>, gets a new one (SNAPSHOT_MAX_AGE; zero turns it off).
/// </summary>
public sealed record SnapshotPolicy(int Interval, TimeSpan MaxAge = default)
{
    /// <summary>True when the versions first..last of a processed batch include a multiple of the interval.</summary>
    public bool IsDue(long firstVersion, long lastVersion) =>
        Interval > 0 && lastVersion / Interval != (firstVersion - 1) / Interval;

    public bool TimeBased => MaxAge > TimeSpan.Zero;

    /// <summary>How often the time-based check runs: often enough that a snapshot is at most about 1.5 × the age old.</summary>
    public TimeSpan CheckEvery => TimeSpan.FromTicks(Math.Clamp(MaxAge.Ticks / 2, TimeSpan.FromSeconds(1).Ticks, TimeSpan.FromMinutes(1).Ticks));
}
