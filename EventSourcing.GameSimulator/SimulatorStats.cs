namespace EventSourcing.GameSimulator;

/// <summary>What the game did, for its log line and for tests.</summary>
public sealed class SimulatorStats
{
    private long _events;
    private long _conflicts;
    private long _errors;

    public long Events => Interlocked.Read(ref _events);
    public long Conflicts => Interlocked.Read(ref _conflicts);
    public long Errors => Interlocked.Read(ref _errors);

    public void Sent(int events) => Interlocked.Add(ref _events, events);
    public void Conflict() => Interlocked.Increment(ref _conflicts);
    public void Error() => Interlocked.Increment(ref _errors);
}
