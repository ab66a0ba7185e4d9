using System.Text.Json;
using Confluent.Kafka;
using EventSourcing.Domain.Events;

namespace EventSourcing.Processor.Processing;

/// <summary>
/// The consumer group on events.*: polls a batch, processes it (lanes per aggregate), and only then commits the
/// offsets, so a crash re-delivers instead of losing; the projector's version check turns re-delivery into no-op.
/// </summary>
public sealed class KafkaEventConsumer(
    IConsumer<string, byte[]> consumer,
    ProcessingPipeline pipeline,
    ProcessorState state,
    ProcessingProgress progress,
    ILogger<KafkaEventConsumer> logger) : BackgroundService
{
    private const int MaxBatch = 1000;
    private static readonly TimeSpan BatchWindow = TimeSpan.FromMilliseconds(20);

    /// <summary>
    /// The consume loop owns a dedicated thread: librdkafka's Consume blocks (up to the poll timeout), and blocking a
    /// thread-pool thread for it would starve the worker lanes on a 2-core machine. The lanes run on the pool.
    /// </summary>
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.Factory.StartNew(() => ConsumeLoop(stoppingToken), stoppingToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private void ConsumeLoop(CancellationToken stoppingToken)
    {
        // The pattern includes the dead-letter topic, which is filtered out below.
        consumer.Subscribe(EventTopics.SubscriptionPattern);
        progress.LoopStarted();
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var batch = Poll(stoppingToken);
                progress.Polled();
                if (batch.Count > 0)
                {
                    var events = batch.Where(r => r.Topic != EventTopics.DeadLetter).Select(Parse).OfType<StoredEvent>().ToList();
                    progress.BatchStarted(events.Count);
                    RunUntilDoneAsync(events, stoppingToken).GetAwaiter().GetResult();
                    progress.BatchDone();
                    Commit(batch);
                }

                state.ConsumerLag = Lag();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            logger.LogCritical(ex, "The Kafka consume loop stopped");
            throw;
        }
        finally
        {
            progress.LoopStopped();
            consumer.Close();
        }
    }

    /// <summary>
    /// Event failures are recorded by the projector; what still escapes (the database away) is retried here with
    /// the offsets uncommitted, so the batch is neither lost nor skipped.
    /// </summary>
    private async Task RunUntilDoneAsync(List<StoredEvent> events, CancellationToken stoppingToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await pipeline.RunAsync(events, stoppingToken);
                return;
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogError(ex, "Processing a batch of {Count} event(s) failed (attempt {Attempt}); retrying", events.Count, attempt);
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(30, attempt)), stoppingToken);
            }
        }
    }

    /// <summary>
    /// A failed commit (the broker restarted, the group rebalanced) must not stop the consumer: the batch is
    /// delivered again and the projector's version check skips what it already applied.
    /// </summary>
    private void Commit(List<ConsumeResult<string, byte[]>> batch)
    {
        try
        {
            consumer.Commit(batch.GroupBy(r => r.TopicPartition).Select(g => new TopicPartitionOffset(g.Key, g.Max(r => r.Offset.Value) + 1)));
        }
        catch (KafkaException ex)
        {
            logger.LogWarning("Offset commit failed ({Reason}); the batch will be re-delivered and skipped", ex.Error.Reason);
        }
    }

    private List<ConsumeResult<string, byte[]>> Poll(CancellationToken stoppingToken)
    {
        var batch = new List<ConsumeResult<string, byte[]>>();
        ConsumeResult<string, byte[]>? first;
        try
        {
            first = consumer.Consume(TimeSpan.FromMilliseconds(200));
        }
        catch (ConsumeException ex) when (!ex.Error.IsFatal)
        {
            logger.LogWarning("Consume failed ({Reason}); retrying", ex.Error.Reason);
            return batch;
        }

        if (first is null || first.IsPartitionEOF)
        {
            return batch;
        }

        batch.Add(first);
        var deadline = DateTime.UtcNow + BatchWindow;
        while (batch.Count < MaxBatch && !stoppingToken.IsCancellationRequested)
        {
            var left = deadline - DateTime.UtcNow;
            var next = left > TimeSpan.Zero ? consumer.Consume(left) : consumer.Consume(TimeSpan.Zero);
            if (next is null)
            {
                break;
            }

            batch.Add(next);
        }

        return batch;
    }

    private StoredEvent? Parse(ConsumeResult<string, byte[]> result)
    {
        try
        {
            // The append's trace travels in the header; processing links back to it.
            var traceParent = result.Message.Headers?.TryGetLastBytes("traceparent", out var header) == true ? System.Text.Encoding.UTF8.GetString(header) : null;
            return EventJson.Parse(result.Message.Value) with { TraceParent = traceParent };
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException or NullReferenceException)
        {
            // Not an event of ours (someone else wrote to the topic): skip it rather than stall the partition.
            logger.LogError("Skipping unreadable message {Topic}/{Partition}@{Offset}: {Message}", result.Topic, result.Partition.Value, result.Offset.Value, ex.Message);
            return null;
        }
    }

    private long Lag()
    {
        long lag = 0;
        foreach (var partition in consumer.Assignment)
        {
            var watermarks = consumer.GetWatermarkOffsets(partition);
            var position = consumer.Position(partition);
            if (watermarks.High.Value >= 0 && position.Value >= 0)
            {
                lag += Math.Max(0, watermarks.High.Value - position.Value);
            }
        }

        return lag;
    }
}

/// <summary>What this processor instance reports about itself.</summary>
public sealed class ProcessorState
{
    public string InstanceId { get; } = $"{Environment.MachineName}-{Environment.ProcessId}";

    public long ConsumerLag { get; set; }
}
