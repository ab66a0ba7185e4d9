using EventSourcing.Core.Events;
using Npgsql;

namespace EventSourcing.Processor.Processing;

/// <summary>Re-processes failed (and re-queued) events once their backoff has passed.</summary>
public sealed class RetryWorker(NpgsqlDataSource dataSource, EventReader reader, ProcessingPipeline pipeline, TimeProvider timeProvider,
    ILogger<RetryWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(500), timeProvider);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                var due = await DueAsync(stoppingToken);
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

    private async Task<List<Guid>> DueAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT event_id FROM event_store.processing_status WHERE status IN ('failed', 'pending') AND next_retry <= @now ORDER BY next_retry LIMIT 200");
        command.Parameters.AddWithValue("now", timeProvider.GetUtcNow());
        var ids = new List<Guid>();
        await using var rows = await command.ExecuteReaderAsync(cancellationToken);
        while (await rows.ReadAsync(cancellationToken))
        {
            ids.Add(rows.GetGuid(0));
        }

        return ids;
    }
}
