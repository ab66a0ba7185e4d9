using System.Runtime.CompilerServices;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace EventSourcing.EventStore.Schema;

/// <summary>
/// The seed's "event store integrity" check, run on a timer (the health check only reads the last result, so /ready
/// stays cheap): the schema is at the latest migration this build carries, the append-only triggers are in place, and
/// a bounded sample of streams (the aggregates of the latest appends, and a random sample of all) have a stored current
/// version equal to their last event's version.
/// </summary>
public sealed class EventStoreIntegrity(NpgsqlDataSource dataSource, TimeProvider timeProvider, ILogger<EventStoreIntegrity> logger, TimeSpan interval)
    : BackgroundService, IHealthCheck
{
    public const string Name = "event-store-integrity";

    /// <summary>About this many streams each way (latest appends, random), so a check costs the same at any size.</summary>
    public const int SampleSize = 100;

    private static readonly string[] AppendOnlyTriggers = ["events_are_immutable", "events_are_not_truncated"];

    private volatile StrongBox<HealthCheckResult>? _last;

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(_last?.Value ?? HealthCheckResult.Degraded("the first integrity check has not finished yet"));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(interval, timeProvider);
        do
        {
            try
            {
                _last = new(await CheckAsync(stoppingToken));
            }
            catch (NpgsqlException ex)
            {
                _last = new(HealthCheckResult.Unhealthy("the integrity check could not reach the store: " + ex.Message));
                logger.LogWarning("Event store integrity check failed to run: {Message}", ex.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public async Task<HealthCheckResult> CheckAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var problems = new List<string>();

        var applied = await ListAsync(connection, "SELECT scriptname FROM event_store.schema_migrations", cancellationToken);
        var missing = SchemaMigrator.ScriptNames.Except(applied).ToList();
        if (missing.Count > 0)
        {
            problems.Add($"schema behind this build: {missing.Count} migration(s) not applied ({string.Join(", ", missing.Select(m => m.Split('.')[^2]))})");
        }

        var triggers = await ListAsync(connection,
            "SELECT tgname FROM pg_trigger WHERE tgrelid = 'event_store.events'::regclass AND NOT tgisinternal AND tgenabled <> 'D'", cancellationToken);
        foreach (var trigger in AppendOnlyTriggers.Except(triggers))
        {
            problems.Add($"append-only trigger {trigger} missing or disabled");
        }

        var (sampled, mismatched) = await SampleStreamsAsync(connection, cancellationToken);
        if (mismatched.Count > 0)
        {
            problems.Add($"{mismatched.Count} of {sampled} sampled stream(s) disagree with their events: {string.Join("; ", mismatched.Take(5))}");
        }

        var data = new Dictionary<string, object> { ["migrations"] = applied.Count, ["streamsSampled"] = sampled, ["checkedAt"] = timeProvider.GetUtcNow() };
        if (problems.Count == 0)
        {
            return HealthCheckResult.Healthy($"schema at {applied.Count} migrations, append-only, {sampled} stream(s) consistent", data);
        }

        logger.LogError("Event store integrity: {Problems}", string.Join(" | ", problems));
        return HealthCheckResult.Unhealthy(string.Join("; ", problems), data: data);
    }

    /// <summary>Streams of the latest appends and a random few: current_version against the last event (one index probe each).</summary>
    private static async Task<(int Sampled, List<string> Mismatched)> SampleStreamsAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            """
            WITH total AS (SELECT greatest(reltuples, 1) AS n FROM pg_class WHERE oid = 'event_store.streams'::regclass),
                 recent AS (SELECT DISTINCT aggregate_id FROM (SELECT aggregate_id FROM event_store.events ORDER BY position DESC LIMIT @size) e),
                 random AS (SELECT aggregate_id FROM event_store.streams TABLESAMPLE SYSTEM ((SELECT least(100, 100.0 * @size / n) FROM total)) LIMIT @size),
                 sample AS (SELECT aggregate_id FROM recent UNION SELECT aggregate_id FROM random)
            SELECT s.aggregate_id, s.current_version,
                   (SELECT e.aggregate_version FROM event_store.events e WHERE e.aggregate_id = s.aggregate_id ORDER BY e.aggregate_version DESC LIMIT 1)
            FROM event_store.streams s JOIN sample USING (aggregate_id)
            """, connection);
        command.Parameters.AddWithValue("size", SampleSize);
        var sampled = 0;
        var mismatched = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            sampled++;
            var stored = reader.GetInt64(1);
            long? last = reader.IsDBNull(2) ? null : reader.GetInt64(2);
            if (last != stored)
            {
                mismatched.Add($"{reader.GetGuid(0)} is at version {stored}, its last event at {last?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}");
            }
        }

        return (sampled, mismatched);
    }

    private static async Task<List<string>> ListAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ReadAllAsync(reader => reader.GetString(0), cancellationToken);
    }
}
