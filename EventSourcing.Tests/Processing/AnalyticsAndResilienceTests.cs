using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using EventSourcing.Tests.Infrastructure;
using Xunit.Abstractions;

namespace EventSourcing.Tests.Processing;

[Collection(GraphCollection.Name)]
public sealed class AnalyticsAndResilienceTests(GraphFixture graph, ITestOutputHelper output)
{
    [Fact]
    public async Task Analytics_count_events_latency_and_sizes()
    {
        using var http = ApiClient.Create(graph);
        var type = "analytics_" + Guid.NewGuid().ToString("N")[..8];
        var first = Guid.NewGuid();
        var second = Guid.NewGuid();
        var windowStart = DateTimeOffset.UtcNow.AddSeconds(-1).ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        var countBefore = (await (await http.GetAsync($"/api/v1/events/analytics/processing-latency?from={Uri.EscapeDataString(windowStart)}")).Content.ReadFromJsonAsync())!["count"]!.GetValue<long>();
        Assert.Equal(HttpStatusCode.Created, (await http.AppendBatchAsync(
            ApiClient.Event(first, type, "A", payload: []), ApiClient.Event(first, type, "B", payload: []), ApiClient.Event(first, type, "C", payload: []),
            ApiClient.Event(second, type, "A", payload: []))).StatusCode);

        var today = DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var perDay = (await http.GetAsync($"/api/v1/events/analytics/events-per-day?aggregateType={type}")).Content.ReadFromJsonAsync();
        var days = (await perDay)!.AsArray();
        var count = days.Where(d => d!["day"]!.GetValue<string>() == today).Sum(d => d!["count"]!.GetValue<long>());
        // Near midnight UTC the events may straddle two days.
        Assert.Equal(4, days.Sum(d => d!["count"]!.GetValue<long>()));
        Assert.InRange(count, 0, 4);

        var sizes = (await (await http.GetAsync("/api/v1/events/analytics/aggregate-sizes")).Content.ReadFromJsonAsync())!.AsArray();
        var mine = sizes.Single(s => s!["aggregateType"]!.GetValue<string>() == type)!;
        Assert.Equal(2, mine["aggregates"]!.GetValue<long>());
        Assert.Equal(3, mine["maxEvents"]!.GetValue<long>());
        Assert.Equal(2.0, mine["avgEvents"]!.GetValue<double>());

        // Free-form events are processed too (no read model, but an outcome): this test's four show in the latency of a
        // window that starts when they were appended (counted against what the window held before they were).
        JsonNode latency;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        do
        {
            latency = (await (await http.GetAsync($"/api/v1/events/analytics/processing-latency?from={Uri.EscapeDataString(windowStart)}")).Content.ReadFromJsonAsync())!;
        }
        while (latency["count"]!.GetValue<long>() < countBefore + 4 && DateTime.UtcNow < deadline);

        Assert.True(latency["count"]!.GetValue<long>() >= countBefore + 4, $"{latency.ToJsonString()}, {countBefore} before");
        var p50 = latency["p50Ms"]!.GetValue<double>();
        var p95 = latency["p95Ms"]!.GetValue<double>();
        var p99 = latency["p99Ms"]!.GetValue<double>();
        Assert.True(p50 <= p95 && p95 <= p99 && p99 <= latency["maxMs"]!.GetValue<double>(), latency.ToJsonString());

        Assert.Equal(HttpStatusCode.BadRequest, (await http.GetAsync("/api/v1/events/analytics/events-per-day?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await http.GetAsync("/api/v1/events/analytics/processing-latency?from=2020-01-01T00:00:00Z&to=2026-01-01T00:00:00Z")).StatusCode);
    }

    [Fact]
    public async Task With_Redis_stopped_reads_stay_correct_and_readiness_says_degraded()
    {
        using var http = ApiClient.Create(graph);
        var id = Guid.NewGuid();
        Assert.Equal(HttpStatusCode.Created, (await http.AppendAsync(ApiClient.Event(id, payload: new JsonObject { ["newLevel"] = 7 }))).StatusCode);
        await ProcessingTests.WaitForReadModelAsync(http, "player_summary", id.ToString(), 1, TimeSpan.FromSeconds(30));

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
        using var http = ApiClient.Create(graph);
        var id = Guid.NewGuid();
        Assert.Equal(HttpStatusCode.Created, (await http.AppendAsync(ApiClient.Event(id, payload: new JsonObject { ["newLevel"] = 9 }))).StatusCode);
        await ProcessingTests.WaitForReadModelAsync(http, "player_summary", id.ToString(), 1, TimeSpan.FromSeconds(30));
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
        using var http = ApiClient.Create(graph);
        var id = Guid.NewGuid();
        Assert.Equal(HttpStatusCode.Created, (await http.AppendAsync(ApiClient.Event(id))).StatusCode);
        await http.PostAsync(new Uri($"/api/v1/events/aggregates/player/{id}/snapshot", UriKind.Relative), null);
        await ProcessingTests.WaitForReadModelAsync(http, "player_summary", id.ToString(), 1, TimeSpan.FromSeconds(30));

        var metrics = await graph.ScrapeMetricsAsync(resource, text => names.All(n => text.Contains(n, StringComparison.Ordinal)));
        Assert.All(names, name => Assert.Contains(name, metrics, StringComparison.Ordinal));
    }
}

internal static class JsonContentExtensions
{
    public static async Task<JsonNode?> ReadFromJsonAsync(this HttpContent content) => JsonNode.Parse(await content.ReadAsStringAsync());
}
