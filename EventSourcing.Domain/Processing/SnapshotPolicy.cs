namespace EventSourcing.Domain.Processing;

/// <summary>
/// When the processor snapshots an aggregate (the seed's strategy): every <see cref="Interval"/> versions, checked
/// when a batch of its events crosses a multiple of the interval (batches may skip over the multiple itself).
/// </summary>
public sealed record SnapshotPolicy(int Interval)
{
    /// <summary>True when the versions (first, last] of a processed batch include a multiple of the interval.</summary>
    public bool IsDue(long firstVersion, long lastVersion) =>
        Interval > 0 && lastVersion / Interval != (firstVersion - 1) / Interval;
}
