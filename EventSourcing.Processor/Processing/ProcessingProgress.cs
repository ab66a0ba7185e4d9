using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace EventSourcing.Processor.Processing;

/// <summary>
/// What the consume loop and its lanes last did, for the seed's "processing workers" health check: the loop marks each
/// poll and each batch it starts and finishes, the lanes each aggregate batch they complete.
/// </summary>
public sealed class ProcessingProgress(TimeProvider timeProvider)
{
    private long _lastPoll;
    private long _lastProgress;
    private long _batchStarted;
    private int _inFlight;
    private volatile bool _loopRunning;

    public bool LoopRunning => _loopRunning;

    public void LoopStarted()
    {
        _loopRunning = true;
        Polled();
    }

    public void LoopStopped() => _loopRunning = false;

    public void Polled() => Interlocked.Exchange(ref _lastPoll, timeProvider.GetTimestamp());

    public void BatchStarted(int events)
    {
        Interlocked.Exchange(ref _batchStarted, timeProvider.GetTimestamp());
        Interlocked.Exchange(ref _lastProgress, timeProvider.GetTimestamp());
        Interlocked.Exchange(ref _inFlight, events);
    }

    /// <summary>A lane finished its share of the batch (whatever the outcome: a failure recorded is progress too).</summary>
    public void LaneDone() => Interlocked.Exchange(ref _lastProgress, timeProvider.GetTimestamp());

    public void BatchDone() => Interlocked.Exchange(ref _inFlight, 0);

    public int InFlight => Volatile.Read(ref _inFlight);

    public TimeSpan SinceLastPoll => timeProvider.GetElapsedTime(Interlocked.Read(ref _lastPoll));

    public TimeSpan SinceLastProgress => timeProvider.GetElapsedTime(Interlocked.Read(ref _lastProgress));

    public TimeSpan BatchAge => timeProvider.GetElapsedTime(Interlocked.Read(ref _batchStarted));
}

/// <summary>
/// The seed's "processing workers" check: Unhealthy when the consume loop is not running, when it has not polled for
/// longer than the limit while idle, or when a batch has work in flight and no lane has finished anything for longer
/// than the limit (<c>Processing:StallAfterSeconds</c>, 60 by default: a lane finishes in milliseconds).
/// </summary>
public sealed class ProcessingWorkersHealthCheck(ProcessingProgress progress, ProcessorOptions options, TimeSpan stallAfter) : IHealthCheck
{
    public const string Name = "processing-workers";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var data = new Dictionary<string, object>
        {
            ["workers"] = options.Workers,
            ["eventsInFlight"] = progress.InFlight,
            ["secondsSinceProgress"] = Math.Round(progress.SinceLastProgress.TotalSeconds, 1),
        };
        if (!progress.LoopRunning)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("the Kafka consume loop is not running", data: data));
        }

        if (progress.InFlight > 0 && progress.SinceLastProgress > stallAfter)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy(
                $"no lane has made progress for {progress.SinceLastProgress.TotalSeconds:F0} s with {progress.InFlight} event(s) in flight", data: data));
        }

        if (progress.InFlight == 0 && progress.SinceLastPoll > stallAfter)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy($"the consume loop has not polled for {progress.SinceLastPoll.TotalSeconds:F0} s", data: data));
        }

        return Task.FromResult(HealthCheckResult.Healthy($"{options.Workers} lanes; consume loop polling", data));
    }
}
