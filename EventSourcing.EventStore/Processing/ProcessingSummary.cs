namespace EventSourcing.EventStore.Processing;

/// <summary>
/// Where the stored events are in the pipeline, computed from counters and small sets only, so it costs the same at
/// ten events or ten million: not yet published (relay backlog = head - relay checkpoint), published but not yet
/// consumed (the consumer group's lag as Kafka counts it; the processor instances' own reports when Kafka does not
/// answer), and the few with an unfinished outcome (pending, failed, dead-lettered, read through the status index).
/// Everything else is processed.
/// </summary>
public sealed record ProcessingSummary(
    long Stored,
    long RelayBacklog,
    long ConsumerLag,
    long Workers,
    long Requeued,
    long Processing,
    long Failed,
    long DeadLettered,
    TimeSpan OldestPendingAge)
{
    /// <summary>Waiting to be processed for the first time, or queued again by the retry endpoint.</summary>
    public long Pending => RelayBacklog + ConsumerLag + Requeued;

    public long Processed => Math.Max(0, Stored - Pending - Processing - Failed - DeadLettered);
}
