using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using EventSourcing.Api.Security;

// Usage: dotnet run -c Release --project EventSourcing.Benchmarks -- [--url http://localhost:8082] [--seconds 20]
//        [--concurrency 64] [--scenario single|batch|read|all|visible|rebuild|aggregate-get|read-model-get|baseline-get|replay|processing|explorer-page|explorer-browser]
//        [--rate 1000 (paced scenarios, per second; events per second for visible)] [--per-request 1 (visible: events per append request)]
//        [--batch-size 100] [--out benchmark-results] [--explorer http://localhost:8084 (explorer-page)]
// Signs tokens with JWT_SECRET (or the development secret, as the AppHost does when it is unset); --print-token prints one.
var options = Options.Parse(args);
var secret = Environment.GetEnvironmentVariable("JWT_SECRET") ?? JwtSettings.DevelopmentSecret;
var token = DevTokens.Mint(new JwtSettings(Encoding.UTF8.GetBytes(secret), null, null), Scopes.All, TimeSpan.FromHours(2), DateTimeOffset.UtcNow);
if (args.Contains("--print-token"))
{
    // For other clients of the same graph (scripts/bench-ratios.sh gives it to wrk).
    Console.WriteLine(token);
    return;
}

using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = options.Concurrency, PooledConnectionLifetime = TimeSpan.FromMinutes(10) };
using var http = new HttpClient(handler) { BaseAddress = new Uri(options.Url), Timeout = TimeSpan.FromSeconds(30) };
http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

var results = new List<Result>();
var scenarios = options.Scenario switch
{
    "all" => ["single", "batch", "read"],
    "processing" => ["visible", "rebuild", "aggregate-get", "read-model-get"],
    _ => new[] { options.Scenario },
};
foreach (var scenario in scenarios)
{
    var result = scenario switch
    {
        "single" => await Run("single appends", options, (client, _) => Post(client, "/api/v1/events/events", EventBody(Guid.NewGuid())), 1),
        "batch" => await Run($"batch appends ({options.BatchSize}/request)", options,
            (client, _) => Post(client, "/api/v1/events/events/batch", BatchBody(options.BatchSize)),
            options.BatchSize),
        "read" => await RunReads(options),
        "visible" => await RunVisibility(options),
        "rebuild" => await RunRebuild(options),
        "replay" => await RunReplay(),
        "explorer-page" => await RunExplorerPage(options),
        "explorer-browser" => await RunExplorerBrowser(options),
        "aggregate-get" => await RunPaced("aggregate GET", options, await SeedPlayers(), id => $"/api/v1/events/aggregates/player/{id}"),
        // The floor: the liveness endpoint (no auth, no storage) at the same rate, i.e. HTTP + scheduling on this machine.
        "baseline-get" => await RunPaced("liveness GET (floor)", options, [Guid.Empty], _ => "/health"),
        "read-model-get" => await RunPaced("read-model GET", options, await SeedPlayers(), id => $"/api/v1/events/read-models/player_summary/{id}"),
        _ => throw new ArgumentException($"unknown scenario {scenario}"),
    };
    results.Add(result);
    Console.WriteLine(result);
}

Directory.CreateDirectory(options.Out);
var file = Path.Combine(options.Out, $"event-store-{DateTime.UtcNow:yyyyMMdd-HHmmss}.json");
await File.WriteAllTextAsync(file, JsonSerializer.Serialize(new { options, machine = Environment.MachineName, cores = Environment.ProcessorCount, results }, new JsonSerializerOptions { WriteIndented = true }));
Console.WriteLine($"written {file}");
return;

async Task<Result> RunReads(Options o)
{
    // A working set of 200 aggregates with 20 events each, then random stream reads.
    var ids = Enumerable.Range(0, 200).Select(_ => Guid.NewGuid()).ToArray();
    foreach (var chunk in ids.Chunk(5))
    {
        var body = "{\"events\":[" + string.Join(",", chunk.SelectMany(id => Enumerable.Repeat(EventBody(id), 20))) + "]}";
        if (!await Post(http, "/api/v1/events/events/batch", body))
        {
            throw new InvalidOperationException("seeding the read benchmark failed");
        }
    }

    return await Run("stream reads (20 events each)", o, async (client, random) =>
    {
        using var response = await client.GetAsync(new Uri($"/api/v1/events/stream/{ids[random.Next(ids.Length)]}", UriKind.Relative));
        await response.Content.ReadAsByteArrayAsync();
        return response.StatusCode == HttpStatusCode.OK;
    }, 1);
}

// Appends at a fixed rate (open loop), then asks the service how long each event took from its append to its
// processed read-model commit (the processing-latency analytics: occurred_at to the projector's commit) over that window.
async Task<Result> RunVisibility(Options o)
{
    // --per-request n > 1: the same events/s in batches of n new aggregates, at rate / n requests per second.
    var from = DateTimeOffset.UtcNow;
    var perRequest = Math.Max(1, o.PerRequest);
    var paced = perRequest == 1
        ? await RunPacedRequests("append (append latency)", o, _ => Post(http, "/api/v1/events/events", EventBody(Guid.NewGuid())), 1)
        : await RunPacedRequests($"append {perRequest}/request (append latency)", o with { Rate = o.Rate / perRequest },
            _ => Post(http, "/api/v1/events/events/batch", BatchBody(perRequest)), perRequest);
    var to = DateTimeOffset.UtcNow;
    if (!await WaitForProcessing())
    {
        Console.WriteLine("warning: events still pending 5 minutes after the run; the latency below misses them");
    }

    var window = $"from={Uri.EscapeDataString(from.ToString("O"))}&to={Uri.EscapeDataString(to.AddSeconds(60).ToString("O"))}";
    using var response = await http.GetAsync(new Uri($"/api/v1/events/analytics/processing-latency?{window}", UriKind.Relative));
    var latency = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
    Console.WriteLine(paced);
    // Every accepted event must show up as processed in the window; the ones that do not are this scenario's failures.
    var processed = latency.GetProperty("count").GetInt32();
    var accepted = paced.EventsAccepted;
    return new Result($"append -> read model at {o.Rate} events/s" + (perRequest > 1 ? $" ({perRequest}/request)" : ""), 0, processed, Math.Max(0, accepted - processed), 0, 0,
        latency.GetProperty("p50Ms").GetDouble(), latency.GetProperty("p95Ms").GetDouble(), latency.GetProperty("p99Ms").GetDouble(), latency.GetProperty("maxMs").GetDouble());
}

// The consumer lag in the status is as of the processor's last report (every second): wait for two quiet readings.
// False when events are still pending after 5 minutes.
async Task<bool> WaitForProcessing()
{
    var deadline = DateTime.UtcNow.AddMinutes(5);
    var quiet = 0;
    while (quiet < 2 && DateTime.UtcNow < deadline)
    {
        quiet = await Pending() == 0 ? quiet + 1 : 0;
        await Task.Delay(quiet == 0 ? 500 : 1500);
    }

    return quiet >= 2;
}

async Task<long> Pending()
{
    using var response = await http.GetAsync(new Uri("/api/v1/events/processing/status", UriKind.Relative));
    return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("pending").GetInt64();
}

// Rebuilds one 100-event aggregate again and again; durationMs is the server's own fold time.
async Task<Result> RunRebuild(Options o)
{
    var id = Guid.NewGuid();
    var body = "{\"events\":[" + string.Join(",", Enumerable.Repeat(EventBody(id), 100)) + "]}";
    if (!await Post(http, "/api/v1/events/events/batch", body))
    {
        throw new InvalidOperationException("seeding the rebuild benchmark failed");
    }

    var durations = new List<double>();
    var end = DateTime.UtcNow.AddSeconds(o.Seconds);
    while (DateTime.UtcNow < end)
    {
        using var response = await http.PostAsync(new Uri($"/api/v1/events/aggregates/player/{id}/rebuild", UriKind.Relative), null);
        durations.Add(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("durationMs").GetDouble());
    }

    var sorted = durations.Order().ToArray();
    double P(double q) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
    return new Result("rebuild of a 100-event aggregate (server fold time)", 1, sorted.Length, 0, Math.Round(sorted.Length / (double)o.Seconds, 1), 0,
        Math.Round(P(0.5), 2), Math.Round(P(0.95), 2), Math.Round(P(0.99), 2), Math.Round(sorted[^1], 2));
}

// A 1,000-event stream's page in the event explorer (the 200 events around the selected version, the state before and
// after it, the snapshot, the read model), fetched one after another: the whole HTML, the last version and the middle one.
async Task<Result> RunExplorerPage(Options o)
{
    var id = await SeedLongStream();
    using var browser = new HttpClient { BaseAddress = new Uri(o.Explorer), Timeout = TimeSpan.FromSeconds(30) };
    var durations = new List<double>();
    var failures = 0;
    var end = DateTime.UtcNow.AddSeconds(o.Seconds);
    for (var i = 0; DateTime.UtcNow < end; i++)
    {
        var started = Stopwatch.StartNew();
        using var response = await browser.GetAsync(new Uri($"/aggregates/{id}{(i % 2 == 0 ? "" : "?v=500")}", UriKind.Relative));
        var html = await response.Content.ReadAsStringAsync();
        durations.Add(started.Elapsed.TotalMilliseconds);
        failures += response.IsSuccessStatusCode && html.Split("data-testid=\"event-row\"").Length == 201 ? 0 : 1;
    }

    return Sequential("explorer page of a 1,000-event stream", durations, failures, o.Seconds);
}

// The same page in Chromium: from navigation start to the load event (HTML, CSS, scripts, layout of the 1,000 rows).
async Task<Result> RunExplorerBrowser(Options o)
{
    var id = await SeedLongStream();
    using var playwright = await Microsoft.Playwright.Playwright.CreateAsync();
    await using var chromium = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = "/usr/bin/chromium", Headless = true, Args = ["--no-sandbox"] });
    var page = await chromium.NewPageAsync(new() { ViewportSize = new() { Width = 1400, Height = 1000 } });
    var durations = new List<double>();
    var failures = 0;
    var end = DateTime.UtcNow.AddSeconds(o.Seconds);
    for (var i = 0; DateTime.UtcNow < end; i++)
    {
        var response = await page.GotoAsync($"{o.Explorer}/aggregates/{id}{(i % 2 == 0 ? "" : "?v=500")}");
        durations.Add(await page.EvaluateAsync<double>("() => performance.getEntriesByType('navigation')[0].loadEventEnd"));
        failures += response is { Ok: true } && await page.GetByTestId("event-row").CountAsync() == 200 ? 0 : 1;
    }

    return Sequential("explorer page in Chromium (to load event)", durations, failures, o.Seconds);
}

// One player stream of 1,000 events (10 batches of 100).
async Task<Guid> SeedLongStream()
{
    var id = Guid.NewGuid();
    for (var batch = 0; batch < 10; batch++)
    {
        if (!await Post(http, "/api/v1/events/events/batch", "{\"events\":[" + string.Join(",", Enumerable.Repeat(EventBody(id), 100)) + "]}"))
        {
            throw new InvalidOperationException("seeding the 1,000-event stream failed");
        }
    }

    return id;
}

static Result Sequential(string scenario, List<double> durations, int failures, int seconds)
{
    var sorted = durations.Order().ToArray();
    double P(double q) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
    return new Result(scenario, 1, sorted.Length, failures, Math.Round(sorted.Length / (double)seconds, 1), 0,
        Math.Round(P(0.5), 2), Math.Round(P(0.95), 2), Math.Round(P(0.99), 2), Math.Round(sorted[^1], 2));
}

// 1,000 players x 100 events, processed; then a blue/green replay of player_summary, timed from the request to the swap.
async Task<Result> RunReplay()
{
    foreach (var chunk in Enumerable.Range(0, 1000).Select(_ => Guid.NewGuid()).Chunk(2))
    {
        await Post(http, "/api/v1/events/events/batch", "{\"events\":[" + string.Join(",", chunk.SelectMany(id => Enumerable.Repeat(EventBody(id), 100))) + "]}");
    }

    if (!await WaitForProcessing())
    {
        throw new InvalidOperationException("the seeded events are still pending after 5 minutes");
    }

    var started = Stopwatch.StartNew();
    using var request = await http.PostAsync(new Uri("/api/v1/events/read-models/player_summary/replay", UriKind.Relative), null);
    var location = request.Headers.Location ?? throw new InvalidOperationException($"replay refused: {request.StatusCode}");
    JsonElement status;
    do
    {
        await Task.Delay(200);
        using var response = await http.GetAsync(location);
        status = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
    }
    while (status.GetProperty("status").GetString() is "queued" or "running");

    var seconds = started.Elapsed.TotalSeconds;
    var events = status.GetProperty("eventsDone").GetInt64();
    Console.WriteLine($"replay {status.GetProperty("status").GetString()}: {events} events, {status.GetProperty("documentsWritten").GetInt64()} documents in {seconds:F1} s (server-reported {status.GetProperty("eventsPerSecond").GetDouble():F0} events/s)");
    return new Result("replay of player_summary (blue/green)", 1, (int)events, status.GetProperty("status").GetString() == "completed" ? 0 : 1, 0,
        Math.Round(events / seconds), 0, 0, 0, Math.Round(seconds * 1000));
}

async Task<Guid[]> SeedPlayers()
{
    var ids = Enumerable.Range(0, 500).Select(_ => Guid.NewGuid()).ToArray();
    foreach (var chunk in ids.Chunk(100))
    {
        await Post(http, "/api/v1/events/events/batch", "{\"events\":[" + string.Join(",", chunk.SelectMany(id => Enumerable.Repeat(EventBody(id), 10))) + "]}");
    }

    if (!await WaitForProcessing())
    {
        throw new InvalidOperationException("the seeded events are still pending after 5 minutes");
    }

    return ids;
}

// Open loop: requests start on a fixed schedule (--rate per second) whatever the previous ones are doing.
async Task<Result> RunPaced(string name, Options o, Guid[] ids, Func<Guid, string> path) =>
    await RunPacedRequests(name, o, async random =>
    {
        using var response = await http.GetAsync(new Uri(path(ids[random.Next(ids.Length)]), UriKind.Relative));
        await response.Content.ReadAsByteArrayAsync();
        return response.StatusCode == HttpStatusCode.OK;
    }, eventsPerRequest: 0, warmUpSeconds: 2);

async Task<Result> RunPacedRequests(string name, Options o, Func<Random, Task<bool>> request, int eventsPerRequest, int warmUpSeconds = 0)
{
    // The first requests of a fresh load-generator process pay for its JIT and its new connections (a p99 of 20-160 ms
    // came from the first half second alone): they run on the same schedule, but are not counted.
    var warmUp = o.Rate * warmUpSeconds;
    var total = warmUp + o.Rate * o.Seconds;
    var latencies = new double[total];
    var succeeded = new bool[total];
    var random = new Random(17);
    var started = Stopwatch.StartNew();
    var measuredFrom = TimeSpan.Zero;
    var inFlight = new List<Task>(total);
    for (var i = 0; i < total; i++)
    {
        var wait = TimeSpan.FromSeconds(i / (double)o.Rate) - started.Elapsed;
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait);
        }

        if (i == warmUp)
        {
            measuredFrom = started.Elapsed;
        }

        inFlight.Add(Timed(i, new Random(random.Next())));
    }

    await Task.WhenAll(inFlight);
    var elapsed = (started.Elapsed - measuredFrom).TotalSeconds;
    // Only what succeeded counts in the rate and the percentiles; failures are reported beside them.
    var measured = Enumerable.Range(warmUp, total - warmUp);
    var failures = measured.Count(i => !succeeded[i]);
    var all = measured.Where(i => succeeded[i]).Select(i => latencies[i]).Order().ToArray();
    double P(double q) => all.Length == 0 ? 0 : all[Math.Min(all.Length - 1, (int)Math.Ceiling(q * all.Length) - 1)];
    return new Result($"{name} at {o.Rate}/s", 0, all.Length, failures, Math.Round(all.Length / elapsed, 1), Math.Round(all.Length * eventsPerRequest / elapsed, 1),
        Math.Round(P(0.50), 2), Math.Round(P(0.95), 2), Math.Round(P(0.99), 2), Math.Round(all.LastOrDefault(), 2),
        succeeded.Count(ok => ok) * eventsPerRequest);

    // Started on the pacing loop's thread (no hop through the thread pool per request: the load generator shares
    // the two cores with the service, and every thread wake-up it saves is CPU the service gets).
    // Timed from when the request was due (start + i/rate), not from when it went out: a stall of the load generator,
    // which shares the two cores with the service, counts against the service as it would for a real caller
    // (no coordinated omission).
    async Task Timed(int index, Random requestRandom)
    {
        var due = TimeSpan.FromSeconds(index / (double)o.Rate);
        succeeded[index] = await request(requestRandom);
        latencies[index] = (started.Elapsed - due).TotalMilliseconds;
    }
}

async Task<Result> Run(string name, Options o, Func<HttpClient, Random, Task<bool>> operation, int eventsPerOperation)
{
    // Warm up connections and JIT, then measure for the configured time.
    await Task.WhenAll(Enumerable.Range(0, o.Concurrency).Select(i => operation(http, new Random(i))));
    var latencies = new List<double>[o.Concurrency];
    var failures = 0;
    var stopwatch = Stopwatch.StartNew();
    var end = TimeSpan.FromSeconds(o.Seconds);
    await Task.WhenAll(Enumerable.Range(0, o.Concurrency).Select(async worker =>
    {
        var mine = latencies[worker] = [];
        var random = new Random(worker * 7919);
        while (stopwatch.Elapsed < end)
        {
            var started = Stopwatch.GetTimestamp();
            if (await operation(http, random))
            {
                mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
            else
            {
                Interlocked.Increment(ref failures);
            }
        }
    }));
    var elapsed = stopwatch.Elapsed.TotalSeconds;
    var all = latencies.SelectMany(l => l).Order().ToArray();
    double P(double q) => all.Length == 0 ? 0 : all[Math.Min(all.Length - 1, (int)Math.Ceiling(q * all.Length) - 1)];
    return new Result(name, o.Concurrency, all.Length, failures, Math.Round(all.Length / elapsed, 1), Math.Round(all.Length * eventsPerOperation / elapsed, 1),
        Math.Round(P(0.50), 2), Math.Round(P(0.95), 2), Math.Round(P(0.99), 2), Math.Round(all.LastOrDefault(), 2));
}

static async Task<bool> Post(HttpClient client, string path, string body)
{
    using var content = new StringContent(body, Encoding.UTF8, "application/json");
    using var response = await client.PostAsync(new Uri(path, UriKind.Relative), content);
    await response.Content.ReadAsByteArrayAsync();
    return response.StatusCode == HttpStatusCode.Created;
}

static string BatchBody(int events) => "{\"events\":[" + string.Join(",", Enumerable.Range(0, events).Select(_ => EventBody(Guid.NewGuid()))) + "]}";

static string EventBody(Guid aggregateId) =>
    $"{{\"aggregateId\":\"{aggregateId}\",\"aggregateType\":\"player\",\"eventType\":\"PlayerLevelUp\"," +
    "\"payload\":{\"newLevel\":25,\"experienceGained\":1500},\"metadata\":{\"source\":\"benchmark\",\"gameMode\":\"ranked\"}}";

/// <param name="EventsAccepted">Paced scenarios: every event the service acknowledged, warm-up included (what it must process).</param>
internal sealed record Result(string Scenario, int Concurrency, int Operations, int Failures, double OperationsPerSecond, double EventsPerSecond,
    double P50Ms, double P95Ms, double P99Ms, double MaxMs, int EventsAccepted = 0)
{
    public override string ToString() =>
        $"{Scenario,-34} c={Concurrency,-4} ops={Operations,-8} fail={Failures,-4} {OperationsPerSecond,9:F0} ops/s {EventsPerSecond,9:F0} events/s  p50 {P50Ms,6:F1} ms  p95 {P95Ms,6:F1} ms  p99 {P99Ms,6:F1} ms  max {MaxMs,7:F1} ms";
}

internal sealed record Options(string Url, int Seconds, int Concurrency, string Scenario, int BatchSize, string Out, int Rate, int PerRequest, string Explorer)
{
    public static Options Parse(string[] args)
    {
        string Get(string name, string fallback) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
        int Int(string name, int fallback) => int.Parse(Get(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);
        return new Options(Get("--url", "http://localhost:8082"), Int("--seconds", 20), Int("--concurrency", 64), Get("--scenario", "all"),
            Int("--batch-size", 100), Get("--out", "benchmark-results"), Int("--rate", 1000), Int("--per-request", 1), Get("--explorer", "http://localhost:8084"));
    }
}
