using System.Diagnostics;
using System.Text.Json.Nodes;
using Npgsql;
using Xunit.Abstractions;

namespace EventSourcing.Tests.Foundation;

/// <summary>The seed's monitoring: its ten metric series from the first second, and its health checks.</summary>
[Collection(GraphCollection.Name)]
public sealed class MetricsAndHealthTests(GraphFixture graph, ITestOutputHelper output)
{
    public static readonly TheoryData<string, string[]> SeedSeries = new()
    {
        {
            "api", ["event_sourcing_events_appended_total", "event_sourcing_event_append_latency_seconds", "event_sourcing_snapshots_created_total",
                "event_sourcing_snapshot_creation_duration_seconds"]
        },
        {
            "processor", ["event_sourcing_events_processed_total", "event_sourcing_processing_errors_total", "event_sourcing_snapshots_created_total",
                "event_sourcing_read_models_updated_total", "event_sourcing_active_aggregates", "event_sourcing_pending_events",
                "event_sourcing_processing_duration_seconds", "event_sourcing_snapshot_creation_duration_seconds"]
        },
    };

    [Theory]
    [MemberData(nameof(SeedSeries))]
    public void Every_seed_series_is_on_its_process_from_the_first_scrape(string service, string[] families)
    {
        var metrics = graph.InitialMetrics[service];
        foreach (var family in families)
        {
            Assert.Contains($"# TYPE {family} ", metrics, StringComparison.Ordinal);
        }

        // Nothing had reached the graph yet: every counter at 0, every histogram with a zero count.
        var samples = metrics.Split('\n')
            .Where(line => families.Any(f => (f.EndsWith("_total", StringComparison.Ordinal) && line.StartsWith(f, StringComparison.Ordinal))
                || line.StartsWith(f + "_count", StringComparison.Ordinal)))
            .ToList();
        Assert.NotEmpty(samples);
        foreach (var sample in samples)
        {
            output.WriteLine(sample);
            Assert.Equal(0, double.Parse(sample.Split(' ')[^1], System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    [Theory]
    [InlineData("api")]
    [InlineData("processor")]
    public async Task Promtool_finds_no_problem_in_our_metric_families(string service)
    {
        using var http = ApiClient.Create(graph);
        Assert.Equal(HttpStatusCode.Created, (await http.AppendAsync(ApiClient.Event(Guid.NewGuid()))).StatusCode);
        var now = await graph.ScrapeMetricsAsync(service, _ => true);
        foreach (var (when, text) in new[] { ("at start", graph.InitialMetrics[service]), ("now", now) })
        {
            var problems = (await PromtoolAsync(text)).Where(line => line.StartsWith("event_sourcing_", StringComparison.Ordinal)).ToList();
            Assert.True(problems.Count == 0, $"{service} {when}: {string.Join("\n", problems)}");
        }
    }

    [Fact]
    public async Task The_processor_is_unready_while_its_lanes_cannot_make_progress_and_ready_again_after()
    {
        using var http = ApiClient.Create(graph);
        await using var blocker = new NpgsqlConnection(await graph.ConnectionStringAsync("eventstore"));
        await blocker.OpenAsync();
        var id = Guid.NewGuid();
        await using (var transaction = await blocker.BeginTransactionAsync())
        {
            // Every lane writes read models; holding the table against writes stops them mid-batch.
            await using (var block = new NpgsqlCommand("LOCK TABLE event_store.read_models IN EXCLUSIVE MODE", blocker, transaction))
            {
                await block.ExecuteNonQueryAsync();
            }

            Assert.Equal(HttpStatusCode.Created, (await http.AppendAsync(ApiClient.Event(id))).StatusCode);
            var stalled = await WaitForCheckAsync("processor", "processing-workers", "Unhealthy", TimeSpan.FromSeconds(30));
            Assert.Contains("no lane has made progress", stalled["description"]!.GetValue<string>(), StringComparison.Ordinal);
            await transaction.RollbackAsync();
        }

        await WaitForCheckAsync("processor", "processing-workers", "Healthy", TimeSpan.FromSeconds(30));
        await Processing.ProcessingTests.WaitForReadModelAsync(http, "player_summary", id.ToString(), 1, TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task The_api_checks_the_store_s_integrity_and_names_a_stream_that_disagrees_with_its_events()
    {
        var healthy = await WaitForCheckAsync("api", "event-store-integrity", "Healthy", TimeSpan.FromSeconds(30));
        Assert.Contains("append-only", healthy["description"]!.GetValue<string>(), StringComparison.Ordinal);

        using var http = ApiClient.Create(graph);
        var id = Guid.NewGuid();
        Assert.Equal(HttpStatusCode.Created, (await http.AppendAsync(ApiClient.Event(id))).StatusCode);
        await using var store = new NpgsqlConnection(await graph.ConnectionStringAsync("eventstore"));
        await store.OpenAsync();
        await SetVersionAsync(store, id, 7);
        try
        {
            var broken = await WaitForCheckAsync("api", "event-store-integrity", "Unhealthy", TimeSpan.FromSeconds(30));
            Assert.Contains($"{id} is at version 7, its last event at 1", broken["description"]!.GetValue<string>(), StringComparison.Ordinal);
        }
        finally
        {
            await SetVersionAsync(store, id, 1);
        }

        await WaitForCheckAsync("api", "event-store-integrity", "Healthy", TimeSpan.FromSeconds(30));
    }

    private static async Task SetVersionAsync(NpgsqlConnection store, Guid id, long version)
    {
        await using var command = new NpgsqlCommand("UPDATE event_store.streams SET current_version = @v WHERE aggregate_id = @id", store);
        command.Parameters.AddWithValue("v", version);
        command.Parameters.AddWithValue("id", id);
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
    }

    /// <summary>The named entry of the service's /ready report once it has the status, or a failed assertion.</summary>
    private async Task<JsonObject> WaitForCheckAsync(string service, string check, string status, TimeSpan timeout)
    {
        using var http = graph.CreateHttpClient(service);
        var deadline = Stopwatch.StartNew();
        JsonObject? entry = null;
        while (deadline.Elapsed < timeout)
        {
            var report = JsonNode.Parse(await (await http.GetAsync(new Uri("/ready", UriKind.Relative))).Content.ReadAsStringAsync())!;
            entry = report["checks"]?[check]?.AsObject();
            if (entry?["status"]?.GetValue<string>() == status)
            {
                return entry;
            }

            await Task.Delay(200);
        }

        Assert.Fail($"{service} /ready: {check} did not become {status} within {timeout}; last: {entry?.ToJsonString() ?? "absent"}");
        return null!;
    }

    private static async Task<List<string>> PromtoolAsync(string metrics)
    {
        var start = new ProcessStartInfo("promtool", "check metrics") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("promtool did not start (apt-get install prometheus)");
        await process.StandardInput.WriteAsync(metrics);
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return [.. (await stdout + await stderr).Split('\n', StringSplitOptions.RemoveEmptyEntries)];
    }
}
