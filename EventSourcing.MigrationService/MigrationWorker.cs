using System.Diagnostics;
using Npgsql;

namespace EventSourcing.MigrationService;

/// <summary>Runs the migrations once, then stops the process: exit code 0 on success, 1 on failure.</summary>
public sealed class MigrationWorker(
    IConfiguration configuration,
    IHostApplicationLifetime lifetime,
    ILogger<MigrationWorker> logger) : BackgroundService
{
    public const string ActivitySourceName = "EventSourcing.Migrations";
    private static readonly ActivitySource Source = new(ActivitySourceName);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var activity = Source.StartActivity("Migrating event store schema");
        try
        {
            var connectionString = configuration.GetConnectionString("eventstore")
                ?? throw new InvalidOperationException("ConnectionStrings:eventstore is not set.");
            var migrator = new SchemaMigrator(connectionString, logger);
            var applied = await RetryWhileUnreachableAsync(() => migrator.MigrateAsync(stoppingToken), stoppingToken);
            logger.LogInformation("Schema is up to date; applied {Count} migration(s) now: {Scripts}",
                applied.Count, applied.Count == 0 ? "none" : string.Join(", ", applied));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogCritical(ex, "Migration failed");
            activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
            Environment.ExitCode = 1;
        }

        lifetime.StopApplication();
    }

    // An external database may still be starting; give it half a minute before failing the deployment.
    private async Task<T> RetryWhileUnreachableAsync<T>(Func<Task<T>> action, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await action();
            }
            catch (NpgsqlException ex) when (ex.IsTransient && attempt < 10)
            {
                logger.LogWarning("Database not reachable yet (attempt {Attempt}): {Message}", attempt, ex.Message);
                await Task.Delay(TimeSpan.FromSeconds(3), cancellationToken);
            }
        }
    }
}
