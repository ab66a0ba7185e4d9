using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Confluent.Kafka;
using EventSourcing.Tests.Infrastructure;
using Npgsql;
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
        await using var store = new NpgsqlConnection(await graph.ConnectionStringAsync("eventstore"));
        await store.OpenAsync();
        var partitions = await KafkaPartitions.CountAsync(await graph.ConnectionStringAsync("kafka"), "events.quest");

        // Valid at append time, but its quest_progress document would exceed the read model size limit.
        var poisoned = Guid.NewGuid();
        var poison = await (await http.AppendAsync(ApiClient.Event(poisoned, "quest", "QuestStarted", payload: new JsonObject
        {
            ["questId"] = "poison_" + Guid.NewGuid().ToString("N")[..8],
            ["title"] = "Too big",
            ["objectives"] = new JsonArray(new JsonObject { ["id"] = "o1", ["description"] = new string('x', 70_000) }),
        }))).JsonAsync();
        var poisonId = poison["eventId"]!.GetValue<string>();

        // A healthy quest behind it on the very same partition: a consumer that waited for the poison to be given up
        // on (five attempts) would hold it back until then.
        var healthy = KafkaPartitions.KeyOnSamePartition(poisoned, partitions);
        var healthyQuest = "healthy_" + Guid.NewGuid().ToString("N")[..8];
        Assert.Equal(HttpStatusCode.Created, (await http.AppendAsync(ApiClient.Event(healthy, "quest", "QuestStarted", payload: new JsonObject
        {
            ["questId"] = healthyQuest,
            ["title"] = "Fine",
            ["objectives"] = new JsonArray(new JsonObject { ["id"] = "o1", ["description"] = "ok" }),
        }))).StatusCode);
        await WaitForReadModelAsync(http, "quest_progress", healthyQuest, 1, TimeSpan.FromSeconds(30));
        var (poisonState, poisonAttempts, _) = await StatusOfAsync(store, poisonId);
        Assert.True(poisonState == "failed", $"the healthy quest waited for the poison: it is already {poisonState} after {poisonAttempts} attempt(s)");
        await AssertSamePartitionAsync(poisoned, healthy);

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
        var given = await StatusOfAsync(store, poisonId);
        Assert.Equal("dead_lettered", given.State);
        Assert.Equal(5, given.Attempts);

        var status = await (await http.GetAsync("/api/v1/events/processing/status")).JsonAsync();
        Assert.True(status["deadLettered"]!.GetValue<long>() >= 1);
        Assert.True(status["workers"]!.GetValue<long>() >= 1);
        Assert.True(status["processed"]!.GetValue<long>() >= 1);
        foreach (var field in new[] { "pending", "processing", "failed", "consumerLag", "oldestPendingAgeSeconds" })
        {
            Assert.NotNull(status[field]);
        }

        // Requeued, it is processed again from a fresh count (and, still poison, fails again).
        var requeuedAt = DateTimeOffset.UtcNow;
        var retry = await http.PostAsync(new Uri($"/api/v1/events/processing/retry/{poisonId}", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.Accepted, retry.StatusCode);
        deadline = DateTime.UtcNow.AddSeconds(30);
        var again = await StatusOfAsync(store, poisonId);
        while (!(again.LastAttempt > requeuedAt && again.Attempts >= 1) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
            again = await StatusOfAsync(store, poisonId);
        }

        Assert.True(again.LastAttempt > requeuedAt, $"not processed again after the requeue: {again}");
        Assert.InRange(again.Attempts, 1, 4);

        var processedEvent = (await (await http.GetAsync($"/api/v1/events/stream/{healthy}")).JsonAsync())["events"]![0]!["eventId"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.Conflict, (await http.PostAsync(new Uri($"/api/v1/events/processing/retry/{processedEvent}", UriKind.Relative), null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.PostAsync(new Uri($"/api/v1/events/processing/retry/{Guid.NewGuid()}", UriKind.Relative), null)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await http.PostAsync(new Uri("/api/v1/events/processing/retry/nope", UriKind.Relative), null)).StatusCode);
    }

    /// <summary>The processing_status row of an event, as the store has it now.</summary>
    private static async Task<(string? State, int Attempts, DateTimeOffset? LastAttempt)> StatusOfAsync(NpgsqlConnection store, string eventId)
    {
        await using var command = new NpgsqlCommand("SELECT status, attempts, last_attempt FROM event_store.processing_status WHERE event_id = @id", store);
        command.Parameters.AddWithValue("id", Guid.Parse(eventId));
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync()
            ? (reader.GetString(0), reader.GetInt32(1), reader.IsDBNull(2) ? null : reader.GetFieldValue<DateTimeOffset>(2))
            : (null, 0, null);
    }

    /// <summary>Checks on the topic itself that the two aggregates' events share a partition (the premise of the test).</summary>
    private async Task AssertSamePartitionAsync(Guid first, Guid second)
    {
        using var consumer = await graph.ConsumerAsync("events.quest", "partition-check");
        var found = new Dictionary<string, int>();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (found.Count < 2 && DateTime.UtcNow < deadline)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { } result && (result.Message.Key == first.ToString() || result.Message.Key == second.ToString()))
            {
                found[result.Message.Key] = result.Partition.Value;
            }
        }

        consumer.Close();
        Assert.Equal(2, found.Count);
        Assert.Single(found.Values.Distinct());
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
