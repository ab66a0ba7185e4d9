using EventSourcing.EventStore.Processing;
using EventSourcing.EventStore.Reading;
using Npgsql;

namespace EventSourcing.Processor.Processing;

/// <summary>Re-processes failed (and re-queued) events once their backoff has passed.</summary>
public sealed class RetryWorker(ProcessingStatusStore statuses, EventReader reader, ProcessingPipeline pipeline, TimeProvider timeProvider,
    ILogger<RetryWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(500), timeProvider);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                var due = await statuses.DueForRetryAsync(timeProvider.GetUtcNow(), 200, stoppingToken);
                if (due.Count > 0)
                {
                    logger.LogInformation("Retrying {Count} event(s)", due.Count);
                    await pipeline.RunAsync(await reader.FindEventsAsync(due, stoppingToken), stoppingToken);
                }
            }
            catch (NpgsqlException ex)
            {
                logger.LogWarning("Retry pass failed: {Message}", ex.Message);
            }
        }
    }
}
