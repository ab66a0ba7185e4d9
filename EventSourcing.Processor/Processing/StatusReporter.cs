using EventSourcing.EventStore.Processing;
using Npgsql;

namespace EventSourcing.Processor.Processing;

/// <summary>
/// Every second: publishes this instance's workers and consumer lag for GET processing/status, and refreshes
/// the pending-events and active-aggregates gauges.
/// </summary>
public sealed class StatusReporter(NpgsqlDataSource dataSource, ProcessingStatusStore statuses, ProcessorState state, ProcessorOptions options, ProcessingMetrics metrics, ActiveAggregates active,
    TimeProvider timeProvider, ILogger<StatusReporter> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), timeProvider);
        do
        {
            try
            {
                await ReportAsync(stoppingToken);
            }
            catch (NpgsqlException ex)
            {
                logger.LogWarning("Status report failed: {Message}", ex.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task ReportAsync(CancellationToken cancellationToken)
    {
        await using (var report = dataSource.CreateCommand(
            """
            INSERT INTO event_store.processor_instances (instance_id, workers, consumer_lag, updated_at) VALUES (@id, @workers, @lag, now())
            ON CONFLICT (instance_id) DO UPDATE SET workers = EXCLUDED.workers, consumer_lag = EXCLUDED.consumer_lag, updated_at = now()
            """))
        {
            report.Parameters.AddWithValue("id", state.InstanceId);
            report.Parameters.AddWithValue("workers", options.Workers);
            report.Parameters.AddWithValue("lag", state.ConsumerLag);
            await report.ExecuteNonQueryAsync(cancellationToken);
        }

        var summary = await statuses.SummaryAsync(consumerLag: null, cancellationToken);
        metrics.PendingEvents = summary.Pending + summary.Failed;
        metrics.ActiveAggregates = active.Count();
    }
}
