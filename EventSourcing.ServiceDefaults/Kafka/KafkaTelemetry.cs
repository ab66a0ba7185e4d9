using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text;
using Confluent.Kafka;
using OpenTelemetry;
using OpenTelemetry.Context.Propagation;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Tracing and metrics for Kafka messages, following the OpenTelemetry messaging conventions: the producer injects
/// the W3C trace context into the message headers and the consumer continues that trace.
/// </summary>
public static class KafkaTelemetry
{
    public const string SourceName = "EventSourcing.Kafka";

    public static readonly ActivitySource Source = new(SourceName);
    private static readonly Meter Meter = new(SourceName);
    private static readonly Counter<long> Produced = Meter.CreateCounter<long>("kafka.messages.produced", description: "Messages acknowledged by the broker");
    private static readonly Counter<long> ProduceErrors = Meter.CreateCounter<long>("kafka.produce.errors", description: "Messages the broker did not acknowledge");
    private static readonly Counter<long> Consumed = Meter.CreateCounter<long>("kafka.messages.consumed", description: "Messages handed to the application");

    // W3C trace context and baggage, always: the contract promises a traceparent header whether or not an
    // OpenTelemetry SDK (which would set Propagators.DefaultTextMapPropagator) runs in the process.
    private static readonly TextMapPropagator Propagator =
        new CompositeTextMapPropagator([new TraceContextPropagator(), new BaggagePropagator()]);

    /// <summary>Produces with a publish span; the message carries the current trace unless it already names one.</summary>
    public static async Task<DeliveryResult<TKey, TValue>> ProduceTracedAsync<TKey, TValue>(
        this IProducer<TKey, TValue> producer, string topic, Message<TKey, TValue> message, CancellationToken cancellationToken = default)
    {
        using var activity = Source.StartActivity($"{topic} publish", ActivityKind.Producer);
        activity?.SetTag("messaging.system", "kafka");
        activity?.SetTag("messaging.destination.name", topic);
        InjectTraceContext(message, activity);
        try
        {
            var result = await producer.ProduceAsync(topic, message, cancellationToken);
            Produced.Add(1, new KeyValuePair<string, object?>("topic", topic));
            activity?.SetTag("messaging.kafka.destination.partition", result.Partition.Value);
            activity?.SetTag("messaging.kafka.message.offset", result.Offset.Value);
            return result;
        }
        catch (Exception ex)
        {
            ProduceErrors.Add(1, new KeyValuePair<string, object?>("topic", topic));
            activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
            throw;
        }
    }

    /// <summary>Counts and traces a produce that the caller issued with the callback API (used for batching).</summary>
    public static void RecordDelivery(string topic, bool success) =>
        (success ? Produced : ProduceErrors).Add(1, new KeyValuePair<string, object?>("topic", topic));

    /// <summary>Starts the consumer's process span, a child of the producer's trace carried in the headers.</summary>
    public static Activity? StartProcessActivity<TKey, TValue>(this ConsumeResult<TKey, TValue> result, string? operation = null)
    {
        Consumed.Add(1, new KeyValuePair<string, object?>("topic", result.Topic));
        var parent = Propagator.Extract(default, result.Message.Headers, ReadHeader);
        var activity = Source.StartActivity(operation ?? $"{result.Topic} process", ActivityKind.Consumer, parent.ActivityContext);
        activity?.SetTag("messaging.system", "kafka");
        activity?.SetTag("messaging.destination.name", result.Topic);
        activity?.SetTag("messaging.kafka.destination.partition", result.Partition.Value);
        activity?.SetTag("messaging.kafka.message.offset", result.Offset.Value);
        return activity;
    }

    public static void InjectTraceContext<TKey, TValue>(Message<TKey, TValue> message, Activity? activity)
    {
        message.Headers ??= [];
        if (activity is null || message.Headers.TryGetLastBytes("traceparent", out _))
        {
            return;
        }

        Propagator.Inject(new PropagationContext(activity.Context, Baggage.Current), message.Headers,
            (headers, key, value) => headers.Add(key, Encoding.UTF8.GetBytes(value)));
    }

    private static IEnumerable<string> ReadHeader(Headers? headers, string key) =>
        headers is not null && headers.TryGetLastBytes(key, out var bytes) ? [Encoding.UTF8.GetString(bytes)] : [];
}
