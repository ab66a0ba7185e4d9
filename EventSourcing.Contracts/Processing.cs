namespace EventSourcing.Contracts;

/// <summary>Where the stored events are in processing.</summary>
/// <param name="Pending">Not yet published, published but not yet consumed, or queued again.</param>
/// <param name="OldestPendingAgeSeconds">Age of the oldest event not processed yet (an estimate).</param>
/// <param name="Workers">Worker lanes across the running processor instances.</param>
public sealed record ProcessingStatusResponse(
    long Pending, long Processing, long Processed, long Failed, long DeadLettered, long ConsumerLag, long RelayBacklog, double OldestPendingAgeSeconds, long Workers);

/// <summary>An event queued again for processing.</summary>
public sealed record RetryResponse(Guid EventId, string Status);

/// <summary>Every dead-lettered event queued again.</summary>
/// <param name="Requeued">How many were queued.</param>
public sealed record RetryAllResponse(int Requeued);

/// <summary>Events stored on one UTC day.</summary>
/// <param name="Day">yyyy-MM-dd</param>
public sealed record EventsPerDay(string Day, long Count);

/// <summary>Append-to-processed latency of the events processed in a window, in milliseconds.</summary>
public sealed record ProcessingLatencyResponse(long Count, double AvgMs, double P50Ms, double P95Ms, double P99Ms, double MaxMs);

/// <summary>Aggregates of one type: how many, events per aggregate, and the average snapshot state size.</summary>
public sealed record AggregateSize(string AggregateType, long Aggregates, double AvgEvents, long MaxEvents, double AvgStateBytes);

/// <summary>How many aggregates of a type have between <see cref="MinEvents"/> and <see cref="MaxEvents"/> events.</summary>
/// <param name="MinEvents">The bucket's lower bound, a power of two (1, 2, 4, 8, ...).</param>
/// <param name="MaxEvents">The bucket's upper bound (inclusive): twice the lower bound, less one.</param>
public sealed record AggregateSizeBucket(string AggregateType, long MinEvents, long MaxEvents, long Aggregates);

/// <summary>An event whose processing failed: waiting for its next retry (failed) or given up on (dead_lettered).</summary>
/// <param name="Status">failed or dead_lettered.</param>
/// <param name="Error">What the last attempt failed with.</param>
public sealed record FailedEvent(
    Guid EventId, Guid AggregateId, string AggregateType, long AggregateVersion, string EventType, string Status, int Attempts, string? Error,
    DateTimeOffset? LastAttempt, DateTimeOffset? NextRetry);

/// <summary>Failed and dead-lettered events, oldest attempt first.</summary>
public sealed record FailedEventListResponse(IReadOnlyList<FailedEvent> Events);
