using System.Globalization;
using System.Reflection;
using DbUp;
using DbUp.Engine.Output;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace EventSourcing.EventStore.Schema;

/// <summary>
/// Applies the embedded SQL migrations with DbUp, journaled in event_store.schema_migrations. A session advisory
/// lock makes two runners queue instead of racing; a run with nothing new to apply changes nothing.
/// </summary>
public sealed class SchemaMigrator(string connectionString, ILogger logger)
{
    public const string Schema = "event_store";

    // Any constant works; it only has to be the same in every runner.
    private const long MigrationLockKey = 0x45_76_53_74_4D_69_67; // "EvStMig"

    /// <summary>
    /// Migrates, waiting up to half a minute for a database that is still starting (a deployment's managed server,
    /// a container that came up with us) before failing.
    /// </summary>
    public async Task<IReadOnlyList<string>> MigrateWhenReachableAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await MigrateAsync(cancellationToken);
            }
            catch (NpgsqlException ex) when (ex.IsTransient && attempt < 10)
            {
                logger.LogWarning("Database not reachable yet (attempt {Attempt}): {Message}", attempt, ex.Message);
                await Task.Delay(TimeSpan.FromSeconds(3), cancellationToken);
            }
        }
    }

    /// <summary>The migrations this build carries, by the names the journal records.</summary>
    public static IReadOnlyList<string> ScriptNames { get; } =
        [.. Assembly.GetExecutingAssembly().GetManifestResourceNames().Where(IsScript).Order(StringComparer.Ordinal)];

    private static bool IsScript(string resourceName) => resourceName.EndsWith(".sql", StringComparison.Ordinal);

    public async Task<IReadOnlyList<string>> MigrateAsync(CancellationToken cancellationToken)
    {
        EnsureDatabase.For.PostgresqlDatabase(connectionString, new DbUpLogger(logger));

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await ExecuteAsync(connection, $"SELECT pg_advisory_lock({MigrationLockKey})", cancellationToken);
        try
        {
            await ExecuteAsync(connection, $"CREATE SCHEMA IF NOT EXISTS {Schema}", cancellationToken);
            var upgrader = DeployChanges.To
                .PostgresqlDatabase(connectionString)
                .WithScriptsEmbeddedInAssembly(Assembly.GetExecutingAssembly(), IsScript)
                .JournalToPostgresqlTable(Schema, "schema_migrations")
                .WithTransactionPerScript()
                .LogTo(new DbUpLogger(logger))
                .Build();

            var result = upgrader.PerformUpgrade();
            if (!result.Successful)
            {
                throw new InvalidOperationException($"Migration {result.ErrorScript?.Name} failed", result.Error);
            }

            return [.. result.Scripts.Select(s => s.Name)];
        }
        finally
        {
            await ExecuteAsync(connection, $"SELECT pg_advisory_unlock({MigrationLockKey})", CancellationToken.None);
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    // DbUp formats with string.Format placeholders; hand the finished text to the structured logger.
    private sealed class DbUpLogger(ILogger logger) : IUpgradeLog
    {
        public void LogTrace(string format, params object[] args) => Log(LogLevel.Trace, null, format, args);
        public void LogDebug(string format, params object[] args) => Log(LogLevel.Debug, null, format, args);
        public void LogInformation(string format, params object[] args) => Log(LogLevel.Information, null, format, args);
        public void LogWarning(string format, params object[] args) => Log(LogLevel.Warning, null, format, args);
        public void LogError(string format, params object[] args) => Log(LogLevel.Error, null, format, args);
        public void LogError(Exception ex, string format, params object[] args) => Log(LogLevel.Error, ex, format, args);

        private void Log(LogLevel level, Exception? ex, string format, object[] args) =>
            logger.Log(level, ex, "{DbUp}", args.Length == 0 ? format : string.Format(CultureInfo.InvariantCulture, format, args));
    }
}
