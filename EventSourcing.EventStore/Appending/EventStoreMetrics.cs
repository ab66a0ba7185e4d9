using System.Diagnostics.Metrics;
using EventSourcing.Domain.Appending;
using EventSourcing.Domain.Events;

namespace EventSourcing.EventStore.Appending;

/// <summary>The seed's event store metrics (Prometheus names as the seed writes them).</summary>
public sealed class EventStoreMetrics : IDisposable
{
    public const string MeterName = "EventSourcing.EventStore";

    private static readonly double[] LatencyBuckets = [0.001, 0.0025, 0.005, 0.0075, 0.01, 0.015, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 1, 2.5, 5];

    private readonly Meter _meter;
    private readonly Counter<long> _appended;
    private readonly Histogram<double> _appendLatency;

    public EventStoreMetrics(IMeterFactory meterFactory)
    {
        _meter = meterFactory.Create(MeterName);
        _appended = _meter.CreateCounter<long>("event_sourcing_events_appended", "{event}", "Events appended to the store");
        _appendLatency = _meter.CreateHistogram("event_sourcing_event_append_latency", "s", "Time from an append request queueing to its commit",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets });
    }

    public Meter Meter => _meter;

    public void Appended(IReadOnlyList<StoredEvent> events)
    {
        foreach (var group in events.GroupBy(e => e.AggregateType))
        {
            _appended.Add(group.LongCount(), new KeyValuePair<string, object?>("aggregate_type", group.Key));
        }
    }

    public void AppendLatency(TimeSpan elapsed, AppendOutcome outcome) =>
        _appendLatency.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("outcome", outcome.GetType().Name.ToLowerInvariant()));

    public void Dispose() => _meter.Dispose();
}
