using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;
using Confluent.Kafka;
using EventSourcing.Domain.Events;
using EventSourcing.EventStore.Appending;
using EventSourcing.EventStore.Checkpoints;
using EventSourcing.EventStore.Reading;
using Npgsql;

namespace EventSourcing.Api.Outbox;

/// <summary>
/// The transactional outbox: the events table itself is the outbox. One relay across all replicas (a PostgreSQL
/// session advisory lock; when its holder dies the lock goes with the session and another replica takes over) tails
/// the store by position and publishes each event to <c>events.{aggregateType}</c>, keyed by aggregate id, then
/// moves a durable checkpoint. A crash between publish and checkpoint re-publishes (at-least-once); per-aggregate
/// order holds because one key always maps to one partition and the producer is idempotent.
/// </summary>
public sealed class KafkaOutboxRelay : BackgroundService
{
    public const string MeterName = "EventSourcing.Outbox";
    /// <summary>The session advisory lock the active relay holds (pg_locks shows which instance relays).</summary>
    public const long RelayLockKey = 0x45_76_53_74_52_6C_79; // "EvStRly"
    private const int BatchSize = 2000;

    private readonly NpgsqlDataSource _dataSource;
    private readonly IProducer<string, byte[]> _producer;
    private readonly ILogger<KafkaOutboxRelay> _logger;
    private readonly Meter _meter;
    private readonly Counter<long> _published;
    private long _checkpoint = -1;
    private long _head = -1;

    public KafkaOutboxRelay(NpgsqlDataSource dataSource, IProducer<string, byte[]> producer, IMeterFactory meterFactory, ILogger<KafkaOutboxRelay> logger)
    {
        _dataSource = dataSource;
        _producer = producer;
        _logger = logger;
        _meter = meterFactory.Create(MeterName);
        _published = _meter.CreateCounter<long>("event_sourcing_outbox_published", "{event}", "Events published to Kafka by the outbox relay");
        _meter.CreateObservableGauge("event_sourcing_outbox_backlog", () => _checkpoint < 0 ? 0 : Math.Max(0, _head - _checkpoint),
            "{event}", "Stored events not yet published to Kafka (as seen by the active relay)");
        _meter.CreateObservableGauge("event_sourcing_outbox_checkpoint", () => _checkpoint, "{position}", "Last position published to Kafka");
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await _dataSource.OpenConnectionAsync(stoppingToken);
                if (!await TryLockAsync(connection, stoppingToken))
                {
                    // Another replica relays; stand by and try again (fail-over when its session ends).
                    await Task.Delay(TimeSpan.FromSeconds(5), stoppingToken);
                    continue;
                }

                _logger.LogInformation("Outbox relay active");
                await RelayAsync(connection, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                _logger.LogWarning(ex, "Outbox relay interrupted; resuming from its checkpoint");
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
            }
        }
    }

    private static async Task<bool> TryLockAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"SELECT pg_try_advisory_lock({RelayLockKey})", connection);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private async Task RelayAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using (var listen = new NpgsqlCommand($"LISTEN {AppendNotifications.Channel}", connection))
        {
            await listen.ExecuteNonQueryAsync(cancellationToken);
        }

        connection.Notification += (_, e) =>
        {
            if (long.TryParse(e.Payload, NumberStyles.Integer, CultureInfo.InvariantCulture, out var head))
            {
                Interlocked.Exchange(ref _head, Math.Max(head, Interlocked.Read(ref _head)));
            }
        };

        _checkpoint = await CheckpointStore.ReadAsync(connection, CheckpointStore.OutboxRelay, cancellationToken);
        while (!cancellationToken.IsCancellationRequested)
        {
            var events = await ReadBatchAsync(connection, _checkpoint, cancellationToken);
            if (events.Count == 0)
            {
                // Woken by the append's NOTIFY; the timeout is only a safety net.
                await connection.WaitAsync(TimeSpan.FromSeconds(1), cancellationToken);
                continue;
            }

            _head = Math.Max(_head, events[^1].Position);
            var published = await PublishAsync(events, cancellationToken);
            if (published > _checkpoint)
            {
                await CheckpointStore.SaveAsync(connection, CheckpointStore.OutboxRelay, published, cancellationToken);
                _checkpoint = published;
            }

            if (published < events[^1].Position)
            {
                // Kafka refused some: back off, then re-publish from the first unacknowledged event.
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            }
        }
    }

    /// <summary>Publishes a batch; returns the highest position below which every event was acknowledged.</summary>
    private async Task<long> PublishAsync(List<StoredEvent> events, CancellationToken cancellationToken)
    {
        var deliveries = new Task<DeliveryResult<string, byte[]>>[events.Count];
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i];
            var message = new Message<string, byte[]> { Key = e.AggregateId.ToString(), Value = EventJson.ToUtf8(e), Headers = Headers(e) };
            deliveries[i] = _producer.ProduceAsync(EventTopics.For(e.AggregateType), message, cancellationToken);
        }

        var acknowledged = _checkpoint;
        for (var i = 0; i < deliveries.Length; i++)
        {
            try
            {
                await deliveries[i];
                KafkaTelemetry.RecordDelivery(EventTopics.For(events[i].AggregateType), success: true);
            }
            catch (ProduceException<string, byte[]> ex)
            {
                KafkaTelemetry.RecordDelivery(EventTopics.For(events[i].AggregateType), success: false);
                _logger.LogWarning("Kafka did not acknowledge event {Position}: {Reason}", events[i].Position, ex.Error.Reason);
                // Wait for the rest so that nothing is in flight when we re-publish.
                await Task.WhenAll(deliveries.Skip(i + 1).Select(d => d.ContinueWith(_ => { }, TaskScheduler.Default)));
                break;
            }

            acknowledged = events[i].Position;
        }

        _published.Add(acknowledged - _checkpoint);
        return acknowledged;
    }

    private static Headers Headers(StoredEvent e)
    {
        var headers = new Headers
        {
            { "eventId", Encoding.UTF8.GetBytes(e.EventId.ToString()) },
            { "eventType", Encoding.UTF8.GetBytes(e.EventType) },
            { "eventVersion", Encoding.UTF8.GetBytes(e.EventVersion.ToString(CultureInfo.InvariantCulture)) },
        };
        if (e.CorrelationId is { } correlation)
        {
            headers.Add("correlationId", Encoding.UTF8.GetBytes(correlation.ToString()));
        }

        if (e.CausationId is { } causation)
        {
            headers.Add("causationId", Encoding.UTF8.GetBytes(causation.ToString()));
        }

        // The append request's trace: consumers continue it.
        if (e.TraceParent is { } traceParent)
        {
            headers.Add("traceparent", Encoding.UTF8.GetBytes(traceParent));
        }

        return headers;
    }

    private static async Task<List<StoredEvent>> ReadBatchAsync(NpgsqlConnection connection, long after, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            $"SELECT {EventRows.Columns} FROM event_store.events WHERE position > @after ORDER BY position LIMIT {BatchSize}", connection);
        command.Parameters.AddWithValue("after", after);
        return await EventRows.ReadAllAsync(command, cancellationToken);
    }

    public override void Dispose()
    {
        _meter.Dispose();
        base.Dispose();
    }
}
