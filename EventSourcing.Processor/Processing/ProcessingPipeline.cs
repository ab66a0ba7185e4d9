using System.Diagnostics;
using System.Text;
using Confluent.Kafka;
using EventSourcing.Domain.Events;

namespace EventSourcing.Processor.Processing;

/// <summary>
/// Runs a set of events through the projector with PROCESSING_WORKERS lanes: an aggregate always maps to one lane,
/// so two events of one aggregate are never processed at once, while different aggregates proceed in parallel.
/// Afterwards updated documents are written through to the cache and dead-lettered events go to events.dlq.
/// </summary>
public sealed class ProcessingPipeline(
    EventProjector projector,
    IProducer<string, byte[]> producer,
    ReadModelCacheUpdater cache,
    ActiveAggregates active,
    ProcessingProgress progress,
    ProcessorOptions options,
    ILogger<ProcessingPipeline> logger)
{
    private const int MinAggregatesPerLane = 32;

    public async Task RunAsync(IEnumerable<StoredEvent> events, CancellationToken cancellationToken)
    {
        var byAggregate = events.GroupBy(e => e.AggregateId).ToList();
        active.Seen(byAggregate.Select(a => a.Key));
        // A lane is a transaction of a handful of statements whatever its size: a small poll runs in fewer lanes
        // instead of ten near-empty transactions. Polls run one after the other, so any split keeps one aggregate
        // in one lane at a time.
        var laneCount = (uint)Math.Clamp((byAggregate.Count + MinAggregatesPerLane - 1) / MinAggregatesPerLane, 1, options.Workers);
        var lanes = byAggregate.GroupBy(g => (int)((uint)g.Key.GetHashCode() % laneCount));
        await Task.WhenAll(lanes.Select(lane => Task.Run(async () =>
        {
            var aggregates = lane.Select(a => (IReadOnlyList<StoredEvent>)[.. a]).ToList();
            using var activity = StartActivity([.. aggregates.SelectMany(a => a)]);
            var outcomes = await projector.ProcessAsync(aggregates, cancellationToken);
            activity?.SetStatus(outcomes.All(o => o.Success) ? ActivityStatusCode.Ok : ActivityStatusCode.Error);
            progress.LaneDone();
            await cache.StoreAsync([.. outcomes.SelectMany(o => o.Updated)], outcomes.SelectMany(o => o.Removed));
            foreach (var outcome in outcomes)
            {
                foreach (var dead in outcome.DeadLettered)
                {
                    await DeadLetterAsync(dead, outcome.Error, cancellationToken);
                }
            }
        }, cancellationToken)));
    }

    /// <summary>One span per lane and poll: child of the first event's append trace, linked to the others'.</summary>
    private static Activity? StartActivity(List<StoredEvent> events)
    {
        var contexts = events
            .Select(e => ActivityContext.TryParse(e.TraceParent, null, out var context) ? context : default)
            .Where(c => c != default)
            .ToList();
        var activity = KafkaTelemetry.Source.StartActivity(
            "process events", ActivityKind.Consumer, contexts.FirstOrDefault(), links: contexts.Skip(1).Take(32).Select(c => new ActivityLink(c)));
        activity?.SetTag("event.count", events.Count);
        return activity;
    }

    private async Task DeadLetterAsync(StoredEvent e, string? error, CancellationToken cancellationToken)
    {
        var message = new Message<string, byte[]>
        {
            Key = e.AggregateId.ToString(),
            Value = EventJson.ToUtf8(e),
            Headers = new Headers
            {
                { "eventId", Encoding.UTF8.GetBytes(e.EventId.ToString()) },
                { "eventType", Encoding.UTF8.GetBytes(e.EventType) },
                { "error", Encoding.UTF8.GetBytes(error ?? "") },
            },
        };
        try
        {
            await producer.ProduceTracedAsync(EventTopics.DeadLetter, message, cancellationToken);
        }
        catch (ProduceException<string, byte[]> ex)
        {
            // The status row already says dead_lettered; the topic copy is for consumers that watch it.
            logger.LogError("Could not publish dead-lettered event {EventId} to {Topic}: {Reason}", e.EventId, EventTopics.DeadLetter, ex.Error.Reason);
        }
    }
}

public sealed record ProcessorOptions(int Workers, string ConsumerGroup);
