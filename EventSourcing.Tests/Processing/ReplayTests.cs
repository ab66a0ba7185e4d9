using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using EventSourcing.Contracts;
using EventSourcing.Tests.Client;
using EventSourcing.Tests.Infrastructure;

namespace EventSourcing.Tests.Processing;

/// <summary>Blue/green replay of read models: identical documents, appends during the replay not lost, progress reported.</summary>
[Collection(GraphCollection.Name)]
public sealed class ReplayTests(GraphFixture graph)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private static async Task<JsonObject> WaitForReplayAsync(HttpClient http, Uri location)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var status = await (await http.GetAsync(location)).JsonAsync();
            var state = status["status"]!.GetValue<string>();
            Assert.NotEqual("failed", state);
            if (state == "completed")
            {
                return status;
            }

            Assert.True(deadline.Elapsed < Timeout, $"replay not completed within {Timeout}: {status.ToJsonString()}");
            await Task.Delay(100);
        }
    }

    private static async Task<Uri> StartReplayAsync(HttpClient http, string path)
    {
        var response = await http.PostAsync(new Uri(path, UriKind.Relative), null);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        var accepted = await response.JsonAsync();
        Assert.True(accepted["status"]!.GetValue<string>() is "queued" or "running", accepted.ToJsonString());
        return response.Headers.Location!;
    }

    private static async Task<JsonObject> ReadModelAsync(HttpClient http, string model, string id) =>
        await (await http.GetAsync($"/api/v1/events/read-models/{model}/{id}")).JsonAsync();

    private static JsonObject PlayerEvent(Guid id, string eventType, JsonObject payload) => ApiClient.Event(id, "player", eventType, payload: payload);

    [Fact]
    public async Task Replaying_a_read_model_rebuilds_identical_documents_and_keeps_appends_made_meanwhile()
    {
        using var http = ApiClient.Create(graph);
        var players = Enumerable.Range(0, 5).Select(_ => (Aggregate: Guid.NewGuid(), PlayerId: "player_" + Guid.NewGuid().ToString("N")[..8])).ToList();
        foreach (var (aggregate, playerId) in players)
        {
            Assert.Equal(HttpStatusCode.Created, (await http.AppendBatchAsync(
                PlayerEvent(aggregate, "PlayerCreated", new JsonObject { ["playerId"] = playerId, ["name"] = "Replay" }),
                PlayerEvent(aggregate, "ExperienceGained", new JsonObject { ["amount"] = 300 }), // v1, upcast on replay
                PlayerEvent(aggregate, "PlayerLevelUp", new JsonObject { ["newLevel"] = 12, ["experienceGained"] = 100 }),
                PlayerEvent(aggregate, "EnemyKilled", new JsonObject { ["weapon"] = "katana" }),
                PlayerEvent(aggregate, "PlayerDied", []))).StatusCode);
        }

        var before = new Dictionary<string, JsonObject>();
        foreach (var (_, playerId) in players)
        {
            before[playerId] = await ProcessingTests.WaitForReadModelAsync(http, "player_summary", playerId, 5, Timeout);
        }

        var location = await StartReplayAsync(http, "/api/v1/events/read-models/player_summary/replay");
        // Appends while the replay runs: the replay's catch-up or the processor (after the swap) must apply them.
        var (busyAggregate, busyPlayer) = players[0];
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(HttpStatusCode.Created, (await http.AppendAsync(PlayerEvent(busyAggregate, "EnemyKilled", new JsonObject { ["weapon"] = "pistol" }))).StatusCode);
        }

        var done = await WaitForReplayAsync(http, location);
        Assert.Equal(1, done["modelsDone"]!.GetValue<int>());
        Assert.True(done["eventsTotal"]!.GetValue<long>() >= 25, done.ToJsonString());
        Assert.True(done["eventsDone"]!.GetValue<long>() >= done["eventsTotal"]!.GetValue<long>() - 20, done.ToJsonString());
        Assert.Equal(1, done["progress"]!.GetValue<double>(), 1);
        Assert.Equal(0, done["etaSeconds"]!.GetValue<double>());

        foreach (var (_, playerId) in players.Skip(1))
        {
            var after = await ReadModelAsync(http, "player_summary", playerId);
            Assert.Equal(before[playerId]["version"]!.GetValue<long>(), after["version"]!.GetValue<long>());
            Assert.True(JsonNode.DeepEquals(before[playerId]["data"], after["data"]), $"{before[playerId]["data"]} != {after["data"]}");
        }

        var busy = await ProcessingTests.WaitForReadModelAsync(http, "player_summary", busyPlayer, 25, Timeout);
        Assert.Equal(25, busy["version"]!.GetValue<long>());
        Assert.Equal(21, busy["data"]!["totalKills"]!.GetValue<long>());
        Assert.Equal(400, busy["data"]!["experience"]!.GetValue<long>());
        Assert.Equal("pistol", busy["data"]!["favoriteWeapon"]!.GetValue<string>());
    }

    [Fact]
    public async Task Replaying_every_read_model_reports_progress_and_keeps_the_documents()
    {
        using var http = ApiClient.Create(graph);
        var quest = Guid.NewGuid();
        var questId = "quest_" + Guid.NewGuid().ToString("N")[..8];
        Assert.Equal(HttpStatusCode.Created, (await http.AppendBatchAsync(
            ApiClient.Event(quest, "quest", "QuestStarted", payload: new JsonObject
            {
                ["questId"] = questId,
                ["title"] = "Replay me",
                ["objectives"] = new JsonArray(new JsonObject { ["id"] = "o1", ["description"] = "one" }, new JsonObject { ["id"] = "o2", ["description"] = "two" }),
            }),
            ApiClient.Event(quest, "quest", "QuestObjectiveCompleted", payload: new JsonObject { ["objectiveId"] = "o1" }))).StatusCode);
        var before = await ProcessingTests.WaitForReadModelAsync(http, "quest_progress", questId, 2, Timeout);

        var location = await StartReplayAsync(http, "/api/v1/events/read-models/replay");
        var done = await WaitForReplayAsync(http, location);
        Assert.Equal(7, done["models"]!.AsArray().Count);
        Assert.Equal(7, done["modelsDone"]!.GetValue<int>());
        Assert.True(done["eventsDone"]!.GetValue<long>() > 0);
        Assert.NotNull(done["finishedAt"]);

        var after = await ReadModelAsync(http, "quest_progress", questId);
        Assert.True(JsonNode.DeepEquals(before["data"], after["data"]), $"{before["data"]} != {after["data"]}");
        Assert.Equal(0.5, after["data"]!["progress"]!.GetValue<double>());

        var recent = await (await http.GetAsync("/api/v1/events/read-models/replays")).JsonAsync();
        Assert.Contains(recent["replays"]!.AsArray(), r => location.ToString().EndsWith(r!["replayId"]!.GetValue<string>(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Two_aggregates_claiming_one_read_model_id_leave_it_to_the_first_live_and_on_replay()
    {
        var client = graph.Client();
        var sessionId = "session_" + Guid.NewGuid().ToString("N")[..8];
        var (first, second) = (Guid.NewGuid(), Guid.NewGuid());
        await client.AppendAsync(first, "combat_session", "CombatStarted", new { SessionId = sessionId, Mode = "duel", Participants = (string[])["a", "b"] });
        var owned = await ClientTests.WaitForReadModelAsync<JsonElement>(client, "combat_session_stats", sessionId, 1);
        await client.AppendAsync(second, "combat_session", "CombatStarted", new { SessionId = sessionId, Mode = "raid", Participants = (string[])["c"] });

        // The later aggregate's event fails with an error that names the model, the id and the aggregate.
        var deadline = Stopwatch.StartNew();
        FailedEvent? failure;
        while ((failure = (await client.ListFailedEventsAsync(limit: 1000)).FirstOrDefault(e => e.AggregateId == second)) is null)
        {
            Assert.True(deadline.Elapsed < Timeout, "the second aggregate's event did not fail");
            await Task.Delay(100);
        }

        Assert.Equal($"The combat_session_stats read model '{sessionId}' already belongs to another aggregate: aggregate {second} cannot take its id", failure.Error);

        // A replay keeps the id with the aggregate appended first and counts the other as failed, instead of failing.
        var replay = await client.ReplayAsync("combat_session_stats");
        using var timeout = new CancellationTokenSource(Timeout);
        var done = await client.WaitForReplayAsync(replay.ReplayId, pollInterval: TimeSpan.FromMilliseconds(100), cancellationToken: timeout.Token);
        Assert.Equal("completed", done.Status);
        Assert.True(done.FailedAggregates >= 1, $"{done}");
        var after = await client.GetReadModelAsync<JsonElement>("combat_session_stats", sessionId);
        Assert.Equal("duel", after!.Data.GetProperty("mode").GetString());
        Assert.Equal(owned.Version, after.Version);
    }

    [Fact]
    public async Task Replay_requests_are_checked()
    {
        using var admin = ApiClient.Create(graph);
        var unknown = await admin.PostAsync(new Uri("/api/v1/events/read-models/no_such_model/replay", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/api/v1/events/read-models/replays/{Guid.NewGuid()}")).StatusCode);

        using var writer = ApiClient.Create(graph, EventSourcing.Api.Security.Scopes.Read, EventSourcing.Api.Security.Scopes.Write);
        Assert.Equal(HttpStatusCode.Forbidden, (await writer.PostAsync(new Uri("/api/v1/events/read-models/player_summary/replay", UriKind.Relative), null)).StatusCode);
    }
}
