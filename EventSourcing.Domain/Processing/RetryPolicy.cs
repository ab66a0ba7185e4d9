namespace EventSourcing.Domain.Processing;

/// <summary>
/// How failed processing is retried: exponential backoff (the first delay, doubled after each failure, at most five
/// minutes), and dead-lettering after <see cref="MaxAttempts"/> failed attempts.
/// </summary>
public sealed record RetryPolicy(int MaxAttempts, TimeSpan FirstDelay)
{
    public static readonly TimeSpan MaxDelay = TimeSpan.FromMinutes(5);

    public static readonly RetryPolicy Default = new(5, TimeSpan.FromSeconds(1));

    /// <summary>The wait before the next attempt after <paramref name="failures"/> failed attempts (1, 2, …).</summary>
    public TimeSpan DelayAfter(int failures) =>
        TimeSpan.FromTicks(Math.Min(FirstDelay.Ticks * (1L << Math.Clamp(failures - 1, 0, 20)), MaxDelay.Ticks));

    /// <summary>After this many failed attempts the event is dead-lettered instead of retried.</summary>
    public bool IsExhausted(int failures) => failures >= MaxAttempts;

    /// <summary>The delay after each number of failures, 1 to <see cref="MaxAttempts"/> (index 0 is after the first failure).</summary>
    public TimeSpan[] Schedule() => [.. Enumerable.Range(1, Math.Max(1, MaxAttempts)).Select(DelayAfter)];
}
