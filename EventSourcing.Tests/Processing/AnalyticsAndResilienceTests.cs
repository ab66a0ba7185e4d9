using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using EventSourcing.Client;
using EventSourcing.Contracts;
using Xunit.Abstractions;

namespace EventSourcing.Tests.Processing;

[Collection(GraphCollection.Name)]
public sealed class AnalyticsAndResilienceTests(GraphFixture graph, ITestOutputHelper output)
{
    [Fact]
    public async Task Analytics_count_events_latency_and_sizes()
    {
        var client = graph.Client();
        var type = "analytics_" + Guid.NewGuid().ToString("N")[..8];
        var first = Guid.NewGuid();
        var second = Guid.NewGuid();
        var windowStart = DateTimeOffset.UtcNow.AddSeconds(-1);
        var countBefore = (await client.GetProcessingLatencyAsync(from: windowStart)).Count;
        Assert.True((await client.AppendBatchAsync(
        [
            EventSourcingClient.Event(first, type, "A", new { }), EventSourcingClient.Event(first, type, "B", new { }),
            EventSourcingClient.Event(first, type, "C", new { }), EventSourcingClient.Event(second, type, "A", new { }),
        ])).Created);

        var today = DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var days = await client.GetEventsPerDayAsync(aggregateType: type);
        var count = days.Where(d => d.Day == today).Sum(d => d.Count);
        // Near midnight UTC the events may straddle two days.
        Assert.Equal(4, days.Sum(d => d.Count));
        Assert.InRange(count, 0, 4);

        var mine = Assert.Single(await client.GetAggregateSizesAsync(), s => s.AggregateType == type);
        Assert.Equal(2, mine.Aggregates);
        Assert.Equal(3, mine.MaxEvents);
        Assert.Equal(2.0, mine.AvgEvents);
        // One aggregate of 1 event (bucket 1), one of 3 (bucket 2-3).
        Assert.Equal([(1L, 1L, 1L), (2L, 3L, 1L)], (await client.GetAggregateSizeHistogramAsync(type)).Select(b => (b.MinEvents, b.MaxEvents, b.Aggregates)));

        // Free-form events are processed too (no read model, but an outcome): this test's four show in the latency of a
        // window that starts when they were appended (counted against what the window held before they were).
        ProcessingLatencyResponse latency;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        do
        {
            latency = await client.GetProcessingLatencyAsync(from: windowStart);
        }
        while (latency.Count < countBefore + 4 && DateTime.UtcNow < deadline);

        Assert.True(latency.Count >= countBefore + 4, $"{latency}, {countBefore} before");
        Assert.True(latency.P50Ms <= latency.P95Ms && latency.P95Ms <= latency.P99Ms && latency.P99Ms <= latency.MaxMs, $"{latency}");

        using var http = ApiClient.Create(graph);
        Assert.Equal(HttpStatusCode.BadRequest, (await http.GetAsync("/api/v1/events/analytics/events-per-day?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await http.GetAsync("/api/v1/events/analytics/processing-latency?from=2020-01-01T00:00:00Z&to=2026-01-01T00:00:00Z")).StatusCode);
    }

    [Fact]
    public async Task With_Redis_stopped_reads_stay_correct_and_readiness_says_degraded()
    {
        var id = await AppendProcessedPlayerAsync(level: 7);

        // Raw HTTP while Redis is down: each call's own answer, not one the client's retries got to.
        using var http = ApiClient.Create(graph);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await graph.StopResourceAsync("redis-server", timeout.Token);
        try
        {
            Assert.Equal(HttpStatusCode.Created, (await http.AppendAsync(ApiClient.Event(id, payload: new JsonObject { ["newLevel"] = 8 }))).StatusCode);
            var document = await ProcessingTests.WaitForReadModelAsync(http, "player_summary", id.ToString(), 2, TimeSpan.FromSeconds(30));
            Assert.Equal(8, document["data"]!["level"]!.GetValue<int>());
            var state = await (await http.GetAsync($"/api/v1/events/aggregates/player/{id}")).JsonAsync();
            Assert.Equal(8, state["state"]!["level"]!.GetValue<int>());

            using var anonymous = graph.CreateHttpClient("api");
            var ready = await anonymous.GetAsync("/ready");
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
            Assert.Contains("\"status\":\"Degraded\"", await ready.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            await MeasureReadsAsync(http, id, "Redis stopped");
        }
        finally
        {
            await graph.StartResourceAsync("redis-server", timeout.Token);
        }
    }

    [Fact]
    public async Task With_Redis_frozen_reads_stay_correct_and_the_open_circuit_skips_it()
    {
        var id = await AppendProcessedPlayerAsync(level: 9);
        // Raw HTTP for the measured reads: each one's own latency and status, without client retries.
        using var http = ApiClient.Create(graph);
        var skippedBefore = Lookups(await graph.ScrapeMetricsAsync("api", _ => true), "skipped");

        // A frozen server (SIGSTOP) keeps its connections open and answers nothing: every call would wait for its
        // timeout, unlike a stopped one, which refuses at once.
        Signal("STOP", graph.ProcessIds["redis-server"]);
        try
        {
            await MeasureReadsAsync(http, id, "Redis frozen");
            var metrics = await graph.ScrapeMetricsAsync("api", text => Lookups(text, "skipped") > skippedBefore);
            Assert.True(Lookups(metrics, "skipped") > skippedBefore, "the circuit never opened: no lookup was skipped");
        }
        finally
        {
            Signal("CONT", graph.ProcessIds["redis-server"]);
        }
    }

    /// <summary>Forty read-model GETs, each checked, their latencies written to the test output (BENCHMARKS.md).</summary>
    private async Task MeasureReadsAsync(HttpClient http, Guid id, string condition)
    {
        var latencies = new List<double>();
        for (var i = 0; i < 40; i++)
        {
            var started = Stopwatch.GetTimestamp();
            var response = await http.GetAsync($"/api/v1/events/read-models/player_summary/{id}");
            latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(id.ToString(), (await response.JsonAsync())["id"]!.GetValue<string>());
        }

        latencies.Sort();
        output.WriteLine($"read-model GET with {condition}: n={latencies.Count} p50={latencies[19]:F1} ms p95={latencies[37]:F1} ms " +
            $"max={latencies[^1]:F1} ms, {latencies.Count(l => l > 100)} over 100 ms");
    }

    private static double Lookups(string metrics, string result) => metrics.Split('\n')
        .Where(line => line.StartsWith("event_sourcing_read_model_cache_lookups_total{", StringComparison.Ordinal) && line.Contains($"result=\"{result}\"", StringComparison.Ordinal))
        .Sum(line => double.Parse(line.Split(' ')[^1], System.Globalization.CultureInfo.InvariantCulture));

    private static void Signal(string signal, int pid)
    {
        using var kill = Process.Start("kill", $"-{signal} {pid}");
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
    }

    [Theory]
    [InlineData("api", new[] { "event_sourcing_events_appended_total", "event_sourcing_event_append_latency_seconds_bucket", "event_sourcing_snapshots_created_total" })]
    [InlineData("processor", new[] { "event_sourcing_events_processed_total", "event_sourcing_read_models_updated_total", "event_sourcing_processing_duration_seconds_bucket", "event_sourcing_active_aggregates", "event_sourcing_pending_events" })]
    public async Task The_seed_metrics_are_exposed_under_their_names(string resource, string[] names)
    {
        var client = graph.Client();
        var id = Guid.NewGuid();
        Assert.True((await client.AppendAsync(id, "player", "PlayerLevelUp", new { NewLevel = 25, ExperienceGained = 1500 })).Created);
        await client.CreateSnapshotAsync("player", id);
        await client.WaitForReadModelAsync<JsonElement>("player_summary", id.ToString(), 1);

        var metrics = await graph.ScrapeMetricsAsync(resource, text => names.All(n => text.Contains(n, StringComparison.Ordinal)));
        Assert.All(names, name => Assert.Contains(name, metrics, StringComparison.Ordinal));
    }

    /// <summary>A new player at <paramref name="level"/>, processed (its player_summary at version 1); its aggregate id.</summary>
    private async Task<Guid> AppendProcessedPlayerAsync(int level)
    {
        var client = graph.Client();
        var id = Guid.NewGuid();
        Assert.True((await client.AppendAsync(id, "player", "PlayerLevelUp", new { NewLevel = level })).Created);
        await client.WaitForReadModelAsync<JsonElement>("player_summary", id.ToString(), 1);
        return id;
    }
}
