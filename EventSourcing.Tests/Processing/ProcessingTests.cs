using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Confluent.Kafka;
using EventSourcing.Tests.Infrastructure;
using Xunit.Abstractions;

namespace EventSourcing.Tests.Processing;

[Collection(GraphCollection.Name)]
public sealed class ProcessingTests(GraphFixture graph, ITestOutputHelper output)
{
    private static JsonObject Player(Guid id, string eventType, JsonObject payload) => ApiClient.Event(id, "player", eventType, payload: payload);

    internal static async Task<JsonObject> WaitForReadModelAsync(HttpClient http, string model, string id, long version, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var response = await http.GetAsync($"/api/v1/events/read-models/{model}/{id}");
            if (response.StatusCode == HttpStatusCode.OK)
            {
                var document = await response.JsonAsync();
                if (document["version"]!.GetValue<long>() >= version)
                {
                    return document;
                }
            }

            Assert.True(deadline.Elapsed < timeout, $"{model}/{id} did not reach version {version} within {timeout}");
            await Task.Delay(25);
        }
    }

    [Fact]
    public async Task A_player_history_reaches_player_summary()
    {
        using var http = ApiClient.Create(graph);
        var id = Guid.NewGuid();
        var playerId = "player_" + Guid.NewGuid().ToString("N")[..8];
        var history = new List<JsonObject>
        {
            Player(id, "PlayerCreated", new JsonObject { ["playerId"] = playerId, ["name"] = "CyberNinja" }),
            Player(id, "PlayerLevelUp", new JsonObject { ["newLevel"] = 25, ["experienceGained"] = 12500 }),
        };
        history.AddRange(Enumerable.Range(0, 3).Select(_ => Player(id, "EnemyKilled", new JsonObject { ["weapon"] = "cyber_blade" })));
        history.AddRange(Enumerable.Range(0, 2).Select(_ => Player(id, "EnemyKilled", new JsonObject { ["weapon"] = "pistol" })));
        history.AddRange(Enumerable.Range(0, 4).Select(_ => Player(id, "PlayerDied", [])));

        var appended = Stopwatch.StartNew();
        Assert.Equal(HttpStatusCode.Created, (await http.AppendBatchAsync([.. history])).StatusCode);
        // The delay is measured (the benchmark tool reports its distribution), not asserted: timings are noise here.
        var summary = await WaitForReadModelAsync(http, "player_summary", playerId, history.Count, TimeSpan.FromSeconds(30));
        output.WriteLine($"append -> player_summary visible after {appended.ElapsedMilliseconds} ms");

        var data = summary["data"]!;
        Assert.Equal("player_summary", summary["modelName"]!.GetValue<string>());
        Assert.Equal(playerId, summary["id"]!.GetValue<string>());
        Assert.Equal(history.Count, summary["version"]!.GetValue<long>());
        Assert.Equal("CyberNinja", data["name"]!.GetValue<string>());
        Assert.Equal(25, data["level"]!.GetValue<int>());
        Assert.Equal(12500, data["experience"]!.GetValue<long>());
        Assert.Equal(5, data["totalKills"]!.GetValue<long>());
        Assert.Equal(4, data["totalDeaths"]!.GetValue<long>());
        Assert.Equal(1.25, data["kdRatio"]!.GetValue<double>());
        Assert.Equal("Diamond", data["rank"]!.GetValue<string>());
        Assert.Equal("cyber_blade", data["favoriteWeapon"]!.GetValue<string>());
        Assert.NotNull(data["lastSeen"]);

        var page = await (await http.GetAsync("/api/v1/events/read-models/player_summary?limit=1000")).JsonAsync();
        Assert.Contains(page["readModels"]!.AsArray(), d => d!["id"]!.GetValue<string>() == playerId);
    }

    [Fact]
    public async Task Quest_progress_follows_the_quest()
    {
        using var http = ApiClient.Create(graph);
        var id = Guid.NewGuid();
        var questId = "quest_" + Guid.NewGuid().ToString("N")[..8];
        JsonObject Quest(string type, JsonObject payload) => ApiClient.Event(id, "quest", type, payload: payload);
        Assert.Equal(HttpStatusCode.Created, (await http.AppendBatchAsync(
            Quest("QuestStarted", new JsonObject
            {
                ["questId"] = questId,
                ["title"] = "Corporate Espionage",
                ["objectives"] = new JsonArray(
                    new JsonObject { ["id"] = "obj_1", ["description"] = "Hack terminal" },
                    new JsonObject { ["id"] = "obj_2", ["description"] = "Steal data" },
                    new JsonObject { ["id"] = "obj_3", ["description"] = "Escape" },
                    new JsonObject { ["id"] = "obj_4", ["description"] = "Report" }),
            }),
            Quest("QuestParticipantJoined", new JsonObject { ["playerId"] = "player_001" }),
            Quest("QuestParticipantJoined", new JsonObject { ["playerId"] = "player_002" }),
            Quest("QuestObjectiveCompleted", new JsonObject { ["objectiveId"] = "obj_1" }),
            Quest("QuestObjectiveCompleted", new JsonObject { ["objectiveId"] = "obj_2" }),
            Quest("QuestObjectiveCompleted", new JsonObject { ["objectiveId"] = "obj_3" }))).StatusCode);

        var progress = await WaitForReadModelAsync(http, "quest_progress", questId, 6, TimeSpan.FromSeconds(30));
        var data = progress["data"]!;
        Assert.Equal("Corporate Espionage", data["title"]!.GetValue<string>());
        Assert.Equal("in_progress", data["status"]!.GetValue<string>());
        Assert.Equal(0.75, data["progress"]!.GetValue<double>());
        Assert.Equal(["player_001", "player_002"], data["participants"]!.AsArray().Select(p => p!.GetValue<string>()));
        Assert.True(data["objectives"]![0]!["completed"]!.GetValue<bool>());
        Assert.False(data["objectives"]![3]!["completed"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_redelivered_event_is_not_counted_twice()
    {
        using var http = ApiClient.Create(graph);
        var id = Guid.NewGuid();
        var kill = await (await http.AppendAsync(Player(id, "EnemyKilled", new JsonObject { ["weapon"] = "bow" }))).JsonAsync();
        await WaitForReadModelAsync(http, "player_summary", id.ToString(), 1, TimeSpan.FromSeconds(30));

        // At-least-once delivery: the same event arrives again (as after a consumer crash before its commit).
        using var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = await graph.ConnectionStringAsync("kafka") }).Build();
        for (var i = 0; i < 3; i++)
        {
            await producer.ProduceAsync("events.player", new Message<string, byte[]> { Key = id.ToString(), Value = Encoding.UTF8.GetBytes(kill.ToJsonString()) });
        }

        Assert.Equal(HttpStatusCode.Created, (await http.AppendAsync(Player(id, "EnemyKilled", new JsonObject { ["weapon"] = "bow" }))).StatusCode);
        var summary = await WaitForReadModelAsync(http, "player_summary", id.ToString(), 2, TimeSpan.FromSeconds(30));
        Assert.Equal(2, summary["data"]!["totalKills"]!.GetValue<long>());
    }

    [Fact]
    public async Task A_poison_event_is_retried_dead_lettered_requeued_and_blocks_no_other_aggregate()
    {
        using var http = ApiClient.Create(graph);
        var poisoned = Guid.NewGuid();
        // Valid at append time, but its quest_progress document would exceed the read model size limit.
        var poison = await (await http.AppendAsync(ApiClient.Event(poisoned, "quest", "QuestStarted", payload: new JsonObject
        {
            ["questId"] = "poison_" + Guid.NewGuid().ToString("N")[..8],
            ["title"] = "Too big",
            ["objectives"] = new JsonArray(new JsonObject { ["id"] = "o1", ["description"] = new string('x', 70_000) }),
        }))).JsonAsync();
        var poisonId = poison["eventId"]!.GetValue<string>();

        // Another aggregate, appended after the poison, is processed regardless.
        var healthy = Guid.NewGuid();
        Assert.Equal(HttpStatusCode.Created, (await http.AppendAsync(Player(healthy, "EnemyKilled", new JsonObject { ["weapon"] = "axe" }))).StatusCode);
        await WaitForReadModelAsync(http, "player_summary", healthy.ToString(), 1, TimeSpan.FromSeconds(30));

        // 5 attempts with 100 ms, 200 ms, 400 ms, 800 ms backoff, then dead-lettered: status and topic say so.
        using var consumer = await graph.ConsumerAsync("events.dlq", "dlq-test");
        ConsumeResult<string, byte[]>? dead = null;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (dead is null && DateTime.UtcNow < deadline)
        {
            var result = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (result is not null && result.Message.Headers.TryGetLastBytes("eventId", out var header) && Encoding.UTF8.GetString(header) == poisonId)
            {
                dead = result;
            }
        }

        consumer.Close();
        Assert.NotNull(dead);
        Assert.True(dead.Message.Headers.TryGetLastBytes("error", out var error));
        Assert.Contains("exceed", Encoding.UTF8.GetString(error), StringComparison.Ordinal);

        var status = await (await http.GetAsync("/api/v1/events/processing/status")).JsonAsync();
        Assert.True(status["deadLettered"]!.GetValue<long>() >= 1);
        Assert.True(status["workers"]!.GetValue<long>() >= 1);
        Assert.True(status["processed"]!.GetValue<long>() >= 1);
        foreach (var field in new[] { "pending", "processing", "failed", "consumerLag", "oldestPendingAgeSeconds" })
        {
            Assert.NotNull(status[field]);
        }

        var retry = await http.PostAsync(new Uri($"/api/v1/events/processing/retry/{poisonId}", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.Accepted, retry.StatusCode);

        var processedEvent = (await (await http.GetAsync($"/api/v1/events/stream/{healthy}")).JsonAsync())["events"]![0]!["eventId"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.Conflict, (await http.PostAsync(new Uri($"/api/v1/events/processing/retry/{processedEvent}", UriKind.Relative), null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.PostAsync(new Uri($"/api/v1/events/processing/retry/{Guid.NewGuid()}", UriKind.Relative), null)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await http.PostAsync(new Uri("/api/v1/events/processing/retry/nope", UriKind.Relative), null)).StatusCode);
    }

    [Fact]
    public async Task Unknown_read_models_are_404_and_bad_names_400()
    {
        using var http = ApiClient.Create(graph);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/api/v1/events/read-models/player_summary/nobody")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await http.GetAsync("/api/v1/events/read-models/Player-Summary/x")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await http.GetAsync("/api/v1/events/read-models/player_summary?limit=0")).StatusCode);
    }
}
