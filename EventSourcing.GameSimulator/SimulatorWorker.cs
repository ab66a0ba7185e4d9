using EventSourcing.Client;

namespace EventSourcing.GameSimulator;

/// <summary>
/// Runs the game: <see cref="SimulatorOptions.Servers"/> servers playing scenes at about the configured event rate,
/// and one log line a minute with what happened since the last one.
/// </summary>
public sealed class SimulatorWorker(EventSourcingClient client, SimulatorOptions options, TimeProvider timeProvider, ILogger<SimulatorWorker> logger)
    : BackgroundService
{
    public GameWorld World { get; } = new();

    public SimulatorStats Stats { get; } = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        logger.LogInformation("Game simulator: {Servers} servers at about {Rate} events/s", options.Servers, options.EventsPerSecond);
        var servers = Enumerable.Range(0, options.Servers)
            .Select(i => PlayAsync(new GameServer(client, World, Stats, new Random(options.Seed + i)), stoppingToken));
        await Task.WhenAll([.. servers, ReportAsync(stoppingToken)]);
    }

    /// <summary>One server's loop: a scene, then a pause that keeps all servers together near the configured rate.</summary>
    public async Task PlayAsync(GameServer server, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var events = 1;
            try
            {
                events = Math.Max(1, await server.PlayAsync(cancellationToken));
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is EventSourcingApiException or HttpRequestException or TimeoutException)
            {
                Stats.Error();
                logger.LogWarning("A scene failed: {Message}", ex.Message);
            }

            try
            {
                await Task.Delay(TimeSpan.FromSeconds(events * options.Servers / options.EventsPerSecond), timeProvider, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task ReportAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(1), timeProvider);
        var (events, conflicts, errors) = (0L, 0L, 0L);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                logger.LogInformation("Game simulator, last minute: {Events} events sent, {Conflicts} conflicts retried, {Errors} errors",
                    Stats.Events - events, Stats.Conflicts - conflicts, Stats.Errors - errors);
                (events, conflicts, errors) = (Stats.Events, Stats.Conflicts, Stats.Errors);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
