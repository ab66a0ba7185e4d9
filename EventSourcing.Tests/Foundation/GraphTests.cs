using System.Text;
using Confluent.Kafka;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Xunit.Abstractions;

namespace EventSourcing.Tests.Foundation;

[Collection(GraphCollection.Name)]
public sealed class GraphTests(GraphFixture graph, ITestOutputHelper output)
{
    [Fact]
    public void Every_resource_becomes_healthy_and_the_migrations_exit_cleanly()
    {
        output.WriteLine($"graph healthy after {graph.StartDuration.TotalSeconds:F1} s");
        Assert.Equal(0, graph.MigrationsExitCode);
        Assert.All(GraphFixture.LongRunningResources, name => Assert.True(graph.ProcessIds.ContainsKey(name), $"{name} has no process id"));
    }

    [Fact]
    public async Task The_migration_created_the_event_store_schema()
    {
        await using var connection = new NpgsqlConnection(await graph.ConnectionStringAsync("eventstore"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'event_store' ORDER BY table_name", connection);
        var tables = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }

        Assert.Equal(
            [
                "aggregate_snapshots", "checkpoints", "event_counts_daily", "events", "global_position", "processing_latency", "processing_status", "processor_instances", "read_model_replays",
                "read_model_staging", "read_models", "schema_migrations", "streams",
            ],
            tables);

        await using var indexes = new NpgsqlCommand(
            "SELECT count(*) FROM pg_indexes WHERE schemaname = 'event_store' AND indexname IN ('idx_events_aggregate', 'idx_events_payload_gin', 'idx_events_metadata_gin', 'idx_events_position')",
            connection);
        Assert.Equal(4L, await indexes.ExecuteScalarAsync());

        // Large states and payloads are compressed with lz4 (Debian's PostgreSQL has it).
        await using var compression = new NpgsqlCommand(
            """
            SELECT string_agg(c.relname || '.' || a.attname || '=' || a.attcompression::text, ',' ORDER BY c.relname)
            FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'event_store' AND (c.relname, a.attname) IN (('aggregate_snapshots', 'state'), ('events', 'payload'))
            """, connection);
        Assert.Equal("aggregate_snapshots.state=l,events.payload=l", await compression.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Events_rows_are_append_only()
    {
        await using var connection = new NpgsqlConnection(await graph.ConnectionStringAsync("eventstore"));
        await connection.OpenAsync();
        // Each attempt runs in a transaction that is rolled back whatever happens: if the guard ever regressed, the
        // statement would still change nothing that other tests (or a developer's data) rely on.
        foreach (var sql in new[]
        {
            "UPDATE event_store.events SET event_type = 'Tampered' WHERE position = (SELECT min(position) FROM event_store.events)",
            "DELETE FROM event_store.events WHERE position = (SELECT min(position) FROM event_store.events)",
            "TRUNCATE event_store.events CASCADE",
        })
        {
            await using var transaction = await connection.BeginTransactionAsync();
            await using var command = new NpgsqlCommand(sql, connection, transaction);
            var error = await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync());
            Assert.Contains("append-only", error.MessageText, StringComparison.Ordinal);
            await transaction.RollbackAsync();
        }
    }

    [Theory]
    [InlineData("api")]
    [InlineData("processor")]
    public async Task Health_readiness_and_metrics_answer_without_a_token(string resource)
    {
        using var http = graph.CreateHttpClient(resource);

        var health = await http.GetAsync(new Uri("/health", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);

        var ready = await http.GetAsync(new Uri("/ready", UriKind.Relative));
        var readyBody = await ready.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Contains("\"PostgreSql\":{\"status\":\"Healthy\"", readyBody, StringComparison.Ordinal);
        Assert.Contains("Redis\":{\"status\":\"Healthy\"", readyBody, StringComparison.Ordinal);
        Assert.Contains("\"kafka-", readyBody, StringComparison.Ordinal);

        var metrics = await http.GetAsync(new Uri("/metrics", UriKind.Relative));
        var metricsBody = await metrics.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        Assert.Contains("# TYPE ", metricsBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_message_produced_through_the_kafka_integration_reaches_a_consumer_group_with_its_trace()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:kafka"] = await graph.ConnectionStringAsync("kafka"),
        });
        var group = "graph-test-" + Guid.NewGuid().ToString("N");
        builder.AddKafkaProducer<string, byte[]>("kafka");
        builder.AddKafkaConsumer<string, byte[]>("kafka", c =>
        {
            c.GroupId = group;
            c.SessionTimeoutMs = 6000;
            c.FetchWaitMaxMs = 10;
            c.AutoOffsetReset = AutoOffsetReset.Earliest;
        });
        using var host = builder.Build();
        var producer = host.Services.GetRequiredService<IProducer<string, byte[]>>();
        var consumer = host.Services.GetRequiredService<IConsumer<string, byte[]>>();

        const string topic = "events.guild";
        consumer.Subscribe(topic);
        // What an OpenTelemetry SDK does in the services: listen to the integration's spans.
        var published = new List<System.Diagnostics.Activity>();
        using var listener = new System.Diagnostics.ActivityListener
        {
            ShouldListenTo = source => source.Name == KafkaTelemetry.SourceName,
            Sample = (ref System.Diagnostics.ActivityCreationOptions<System.Diagnostics.ActivityContext> _) => System.Diagnostics.ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = published.Add,
        };
        System.Diagnostics.ActivitySource.AddActivityListener(listener);
        using var parent = new System.Diagnostics.Activity("test-append").SetIdFormat(System.Diagnostics.ActivityIdFormat.W3C).Start();
        var key = Guid.NewGuid().ToString();
        // No trace header of our own: the integration must add it.
        var message = new Message<string, byte[]> { Key = key, Value = Encoding.UTF8.GetBytes("{\"hello\":\"kafka\"}") };
        var delivered = await producer.ProduceTracedAsync(topic, message);
        Assert.Equal(PersistenceStatus.Persisted, delivered.Status);
        var publish = Assert.Single(published, a => a.DisplayName == $"{topic} publish");
        Assert.Equal(parent.TraceId, publish.TraceId);

        ConsumeResult<string, byte[]>? received = null;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (received is null && DateTime.UtcNow < deadline)
        {
            var result = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (result?.Message.Key == key)
            {
                received = result;
            }
        }

        Assert.NotNull(received);
        Assert.Equal("{\"hello\":\"kafka\"}", Encoding.UTF8.GetString(received.Message.Value));
        Assert.True(received.Message.Headers.TryGetLastBytes("traceparent", out var traceparent));
        // W3C traceparent: version-traceid-spanid-flags, the span being the publish span the integration started.
        Assert.Equal($"00-{parent.TraceId}-{publish.SpanId}-01", Encoding.UTF8.GetString(traceparent));
        consumer.Commit(received);
        consumer.Close();
    }
}
