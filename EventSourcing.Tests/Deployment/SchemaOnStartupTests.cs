using EventSourcing.EventStore.Schema;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace EventSourcing.Tests.Deployment;

/// <summary>
/// What a deployment relies on instead of the run-mode migration runner: each service brings an empty database to the
/// latest schema before it starts work, and replicas doing so at once do it once.
/// </summary>
[Collection(GraphCollection.Name)]
public sealed class SchemaOnStartupTests(GraphFixture graph)
{
    [Fact]
    public async Task Services_started_at_once_on_an_empty_database_migrate_it_once_to_the_schema_the_runner_gives()
    {
        var runnerDatabase = await graph.ConnectionStringAsync("eventstore");
        var empty = new NpgsqlConnectionStringBuilder(runnerDatabase) { Database = "deployed_" + Guid.NewGuid().ToString("N")[..8] };
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:eventstore"] = empty.ConnectionString,
            [SchemaOnStartup.MigrateOnStartupKey] = "true",
        }).Build();
        try
        {
            await Task.WhenAll(Enumerable.Range(0, 3).Select(_ =>
                new SchemaOnStartup(configuration, NullLogger<SchemaOnStartup>.Instance).StartAsync(CancellationToken.None)));

            var expected = await AppliedScriptsAsync(runnerDatabase);
            Assert.NotEmpty(expected);
            Assert.Equal(expected, await AppliedScriptsAsync(empty.ConnectionString));
        }
        finally
        {
            await using var admin = new NpgsqlConnection(runnerDatabase);
            await admin.OpenAsync();
            NpgsqlConnection.ClearAllPools();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {empty.Database} WITH (FORCE)", admin);
            await drop.ExecuteNonQueryAsync();
        }
    }

    [Fact]
    public async Task Without_the_setting_a_service_leaves_the_schema_to_the_runner()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            // Unreachable on purpose: starting must not even try it.
            ["ConnectionStrings:eventstore"] = "Host=127.0.0.1;Port=1;Database=nowhere;Timeout=1",
        }).Build();
        await new SchemaOnStartup(configuration, NullLogger<SchemaOnStartup>.Instance).StartAsync(CancellationToken.None);
    }

    [Fact]
    public void Another_schema_name_is_refused_at_startup()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration["EVENT_STORE_SCHEMA"] = "game_events";
        var error = Assert.Throws<InvalidOperationException>(() => builder.AddEventStoreSchema());
        Assert.Contains("EVENT_STORE_SCHEMA", error.Message, StringComparison.Ordinal);

        var seed = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        seed.Configuration["EVENT_STORE_SCHEMA"] = SchemaMigrator.Schema;
        seed.AddEventStoreSchema();
    }

    private static async Task<List<string>> AppliedScriptsAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT scriptname FROM event_store.schema_migrations ORDER BY scriptname", connection);
        var scripts = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            scripts.Add(reader.GetString(0));
        }

        return scripts;
    }
}
