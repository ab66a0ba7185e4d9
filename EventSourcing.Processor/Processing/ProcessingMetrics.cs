using System.Diagnostics.Metrics;

namespace EventSourcing.Processor.Processing;

/// <summary>The seed's processing metrics, owned by the processor.</summary>
public sealed class ProcessingMetrics : IDisposable
{
    public const string MeterName = "EventSourcing.Processing";

    private static readonly double[] Buckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly Meter _meter;
    private readonly Counter<long> _processed;
    private readonly Counter<long> _errors;
    private readonly Counter<long> _readModelsUpdated;
    private readonly Histogram<double> _duration;

    public ProcessingMetrics(IMeterFactory meterFactory)
    {
        _meter = meterFactory.Create(MeterName);
        _processed = _meter.CreateCounter<long>("event_sourcing_events_processed", "{event}", "Events processed by the processor");
        _errors = _meter.CreateCounter<long>("event_sourcing_processing_errors", "{event}", "Event processing failures (each attempt)");
        _readModelsUpdated = _meter.CreateCounter<long>("event_sourcing_read_models_updated", "{document}", "Read model documents written");
        _duration = _meter.CreateHistogram("event_sourcing_processing_duration", "s", "Time to process one aggregate's events of a poll",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = Buckets });
        _meter.CreateObservableGauge("event_sourcing_active_aggregates", () => ActiveAggregates, "{aggregate}", "Aggregates with an event in the last 5 minutes");
        _meter.CreateObservableGauge("event_sourcing_pending_events", () => PendingEvents, "{event}", "Stored events not yet processed");
    }

    /// <summary>Values refreshed by the status reporter every few seconds, read when metrics are scraped.</summary>
    public long ActiveAggregates { get; set; }

    public long PendingEvents { get; set; }

    public void Processed(int events, int documents, TimeSpan duration)
    {
        _processed.Add(events);
        _readModelsUpdated.Add(documents);
        _duration.Record(duration.TotalSeconds);
    }

    public void Failed(int events) => _errors.Add(events);

    public void Dispose() => _meter.Dispose();
}
