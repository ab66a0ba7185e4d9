using System.Diagnostics;
using EventSourcing.Domain.ReadModels;
using EventSourcing.EventStore.Reading;
using EventSourcing.EventStore.Replays;
using EventSourcing.Processor.Processing;
using Npgsql;

namespace EventSourcing.Processor.Replay;

/// <summary>
/// Runs the replays the API queues (one at a time per instance): each model is rebuilt blue/green, its cache entries
/// dropped after the swap, and the progress (events done / total, rate, ETA) written every second and logged.
/// </summary>
public sealed class ReplayWorker(
    ReplayStore replays,
    ReadModelReplayer replayer,
    EventReader reader,
    IEnumerable<IReadModelProjection> projections,
    ReadModelCacheUpdater cache,
    ProcessorState state,
    TimeProvider timeProvider,
    ILogger<ReplayWorker> logger) : BackgroundService
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan LogInterval = TimeSpan.FromSeconds(5);

    /// <summary>A reader that loaded an old document just before the swap may cache it just after: drop again later.</summary>
    private static readonly TimeSpan SecondInvalidation = TimeSpan.FromSeconds(2);

    private readonly Dictionary<string, IReadModelProjection> _byName = projections.ToDictionary(p => p.ModelName);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(PollInterval, timeProvider);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                while (await replays.ClaimAsync(state.InstanceId, stoppingToken) is { } replay)
                {
                    await RunAsync(replay, stoppingToken);
                }
            }
            catch (NpgsqlException ex)
            {
                logger.LogWarning("Replay poll failed: {Message}", ex.Message);
            }
        }
    }

    private async Task RunAsync(ReplayStatus replay, CancellationToken stoppingToken)
    {
        var models = replay.ModelNames.Select(name => _byName[name]).ToList();
        var progress = new ReplayProgress { EventsTotal = await reader.CountEventsAsync(models.Select(m => m.AggregateType), stoppingToken) };
        logger.LogInformation("Replay {ReplayId} of {Models} started: {Total} events", replay.ReplayId, string.Join(", ", replay.ModelNames), progress.EventsTotal);
        using var heartbeat = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var reporting = ReportLoopAsync(replay.ReplayId, progress, heartbeat.Token);
        string status = "completed";
        string? error = null;
        try
        {
            foreach (var model in models)
            {
                progress.CurrentModel = model.ModelName;
                var swap = await replayer.RebuildAsync(replay.ReplayId, model, progress, stoppingToken);
                progress.ModelsDone++;
                var stale = swap.RemovedIds.Concat(swap.InstalledIds).ToList();
                await cache.InvalidateAsync(model.ModelName, stale);
                _ = InvalidateLaterAsync(model.ModelName, stale, stoppingToken);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            (status, error) = ("failed", ex.Message);
            logger.LogError(ex, "Replay {ReplayId} failed on {Model}", replay.ReplayId, progress.CurrentModel);
        }
        finally
        {
            await heartbeat.CancelAsync();
            await reporting;
        }

        // Stopping mid-replay leaves it running with a stale heartbeat: the next instance up takes it over.
        if (!stoppingToken.IsCancellationRequested)
        {
            await replays.ReportAsync(replay.ReplayId, progress, status, error, CancellationToken.None);
            logger.LogInformation("Replay {ReplayId} {Status}: {Done} events, {Documents} documents, {Failed} aggregate(s) stopped early",
                replay.ReplayId, status, progress.EventsDone, progress.DocumentsWritten, progress.FailedAggregates);
        }
    }

    private async Task ReportLoopAsync(Guid replayId, ReplayProgress progress, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var lastLog = started;
        using var timer = new PeriodicTimer(PollInterval, timeProvider);
        try
        {
            do
            {
                await replays.ReportAsync(replayId, progress, "running", null, cancellationToken);
                if (Stopwatch.GetElapsedTime(lastLog) >= LogInterval)
                {
                    lastLog = Stopwatch.GetTimestamp();
                    var rate = progress.EventsDone / Math.Max(Stopwatch.GetElapsedTime(started).TotalSeconds, 0.001);
                    var eta = ReplayProgress.EtaSeconds(progress.EventsTotal, progress.EventsDone, rate);
                    logger.LogInformation("Replay {ReplayId}: {Model} {Done}/{Total} events, {Rate:F0}/s, ETA {Eta}",
                        replayId, progress.CurrentModel, progress.EventsDone, progress.EventsTotal, rate, eta is { } s ? TimeSpan.FromSeconds(s).ToString(@"hh\:mm\:ss") : "unknown");
                }
            }
            while (await timer.WaitForNextTickAsync(cancellationToken));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (NpgsqlException ex)
        {
            logger.LogWarning("Replay {ReplayId} progress report failed: {Message}", replayId, ex.Message);
        }
    }

    private async Task InvalidateLaterAsync(string modelName, List<string> ids, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(SecondInvalidation, timeProvider, cancellationToken);
            await cache.InvalidateAsync(modelName, ids);
        }
        catch (OperationCanceledException)
        {
        }
    }
}
