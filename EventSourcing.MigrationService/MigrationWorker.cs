using System.Diagnostics;
using EventSourcing.EventStore.Schema;

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
            var applied = await migrator.MigrateWhenReachableAsync(stoppingToken);
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
}
