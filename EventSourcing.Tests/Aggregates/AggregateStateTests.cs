using System.Net;
using System.Text.Json.Nodes;
using EventSourcing.Tests.Infrastructure;

namespace EventSourcing.Tests.Aggregates;

[Collection(GraphCollection.Name)]
public sealed class AggregateStateTests(GraphFixture graph)
{
    private static JsonObject Player(Guid id, string eventType, JsonObject payload, int eventVersion = 1) =>
        ApiClient.Event(id, "player", eventType, payload: payload, eventVersion: eventVersion);

    [Fact]
    public async Task The_seed_example_level_up_on_a_new_aggregate_is_state_at_once()
    {
        using var http = ApiClient.Create(graph);
        var id = Guid.NewGuid();
        Assert.Equal(HttpStatusCode.Created, (await http.AppendAsync(ApiClient.Event(id))).StatusCode);

        var aggregate = await (await http.GetAsync($"/api/v1/events/aggregates/player/{id}")).JsonAsync();
        Assert.Equal(1, aggregate["currentVersion"]!.GetValue<long>());
        Assert.Equal(25, aggregate["state"]!["level"]!.GetValue<int>());
        Assert.Equal(1500, aggregate["state"]!["experience"]!.GetValue<long>());
    }

    [Fact]
    public async Task A_player_history_folds_into_the_seed_state_and_replays_at_any_version()
    {
        using var http = ApiClient.Create(graph);
        var id = Guid.NewGuid();
        var history = new[]
        {
            Player(id, "PlayerCreated", new JsonObject { ["playerId"] = "player_001", ["name"] = "Cyber" }),
            Player(id, "PlayerRenamed", new JsonObject { ["name"] = "CyberNinja" }),
            Player(id, "PlayerLevelUp", new JsonObject { ["newLevel"] = 25, ["experienceGained"] = 1500 }),
            Player(id, "ExperienceGained", new JsonObject { ["amount"] = 1000 }, eventVersion: 1),
            Player(id, "ExperienceGained", new JsonObject { ["amount"] = 10000, ["source"] = "raid" }, eventVersion: 2),
            Player(id, "ItemAcquired", new JsonObject { ["itemId"] = "sword_001" }),
            Player(id, "ItemAcquired", new JsonObject { ["itemId"] = "armor_002" }),
            Player(id, "ItemAcquired", new JsonObject { ["itemId"] = "potion_003" }),
            Player(id, "ItemRemoved", new JsonObject { ["itemId"] = "potion_003" }),
            Player(id, "AchievementUnlocked", new JsonObject { ["achievementId"] = "first_kill" }),
            Player(id, "AchievementUnlocked", new JsonObject { ["achievementId"] = "level_25" }),
            Player(id, "EnemyKilled", new JsonObject { ["weapon"] = "cyber_blade" }),
            Player(id, "PlayerDied", []),
        };
        Assert.Equal(HttpStatusCode.Created, (await http.AppendBatchAsync(history)).StatusCode);

        var state = (await (await http.GetAsync($"/api/v1/events/aggregates/player/{id}")).JsonAsync())["state"]!;
        Assert.Equal("player_001", state["playerId"]!.GetValue<string>());
        Assert.Equal("CyberNinja", state["name"]!.GetValue<string>());
        Assert.Equal(25, state["level"]!.GetValue<int>());
        Assert.Equal(12500, state["experience"]!.GetValue<long>());
        Assert.Equal(["sword_001", "armor_002"], state["inventory"]!.AsArray().Select(i => i!.GetValue<string>()));
        Assert.Equal(["first_kill", "level_25"], state["achievements"]!.AsArray().Select(i => i!.GetValue<string>()));

        var atTwo = await (await http.GetAsync($"/api/v1/events/aggregates/player/{id}?atVersion=2")).JsonAsync();
        Assert.Equal(2, atTwo["currentVersion"]!.GetValue<long>());
        Assert.Equal("CyberNinja", atTwo["state"]!["name"]!.GetValue<string>());
        Assert.Equal(0, atTwo["state"]!["level"]!.GetValue<int>());

        Assert.Equal(HttpStatusCode.BadRequest, (await http.GetAsync($"/api/v1/events/aggregates/player/{id}?atVersion=99")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"/api/v1/events/aggregates/quest/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"/api/v1/events/aggregates/player/{Guid.NewGuid()}")).StatusCode);
    }

    [Theory]
    [InlineData("PlayerTeleported", "{\"x\":1}", 1, "eventType")]
    [InlineData("PlayerLevelUp", "{\"newLevel\":\"high\"}", 1, "payload.newLevel")]
    [InlineData("PlayerLevelUp", "{\"experienceGained\":5}", 1, "payload")]
    [InlineData("ItemAcquired", "{\"itemId\":null}", 1, "payload")]
    [InlineData("ExperienceGained", "{\"amount\":5}", 2, "payload")]
    [InlineData("ExperienceGained", "{\"amount\":5}", 3, "eventType")]
    public async Task Registered_events_are_validated_with_field_errors(string eventType, string payload, int eventVersion, string field)
    {
        using var http = ApiClient.Create(graph);
        var id = Guid.NewGuid();
        var response = await http.AppendAsync(Player(id, eventType, JsonNode.Parse(payload)!.AsObject(), eventVersion));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.JsonAsync())["errors"]!.AsObject();
        Assert.Contains(errors, e => e.Key == field || e.Key.StartsWith(field + ".", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"/api/v1/events/stream/{id}")).StatusCode);
    }

    [Fact]
    public async Task A_quest_accepts_its_events_in_any_order()
    {
        using var http = ApiClient.Create(graph);
        var id = Guid.NewGuid();
        JsonObject Quest(string type, JsonObject payload) => ApiClient.Event(id, "quest", type, payload: payload);
        Assert.Equal(HttpStatusCode.Created, (await http.AppendBatchAsync(
            Quest("QuestObjectiveCompleted", new JsonObject { ["objectiveId"] = "obj_1" }),
            Quest("QuestStarted", new JsonObject
            {
                ["questId"] = "quest_001",
                ["title"] = "Corporate Espionage",
                ["objectives"] = new JsonArray(
                    new JsonObject { ["id"] = "obj_1", ["description"] = "Hack terminal" },
                    new JsonObject { ["id"] = "obj_2", ["description"] = "Steal data" }),
            }),
            Quest("QuestParticipantJoined", new JsonObject { ["playerId"] = "player_001" }))).StatusCode);

        var state = (await (await http.GetAsync($"/api/v1/events/aggregates/quest/{id}")).JsonAsync())["state"]!;
        Assert.Equal("in_progress", state["status"]!.GetValue<string>());
        var objectives = state["objectives"]!.AsArray();
        Assert.Equal("Hack terminal", objectives[0]!["description"]!.GetValue<string>());
        Assert.True(objectives[0]!["completed"]!.GetValue<bool>());
        Assert.False(objectives[1]!["completed"]!.GetValue<bool>());
        Assert.Equal(["player_001"], state["participants"]!.AsArray().Select(p => p!.GetValue<string>()));
    }

    [Fact]
    public async Task An_unregistered_type_is_the_json_merge_of_its_payloads()
    {
        using var http = ApiClient.Create(graph);
        var id = Guid.NewGuid();
        const string type = "matchmaking_ticket";
        Assert.Equal(HttpStatusCode.Created, (await http.AppendBatchAsync(
            ApiClient.Event(id, type, "Opened", payload: new JsonObject { ["region"] = "eu", ["mmr"] = new JsonObject { ["solo"] = 1500, ["duo"] = 1400 }, ["party"] = "p1" }),
            ApiClient.Event(id, type, "Updated", payload: new JsonObject { ["mmr"] = new JsonObject { ["duo"] = null, ["squad"] = 1300 }, ["party"] = null }))).StatusCode);

        var state = (await (await http.GetAsync($"/api/v1/events/aggregates/{type}/{id}")).JsonAsync())["state"]!;
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("{\"region\":\"eu\",\"mmr\":{\"solo\":1500,\"squad\":1300}}"), state), state.ToJsonString());
    }

    [Fact]
    public async Task The_hot_snapshot_in_memory_or_Redis_never_hides_a_later_append()
    {
        using var http = ApiClient.Create(graph);
        var id = Guid.NewGuid();
        var hitsBefore = MemoryHits(await graph.ScrapeMetricsAsync("api", _ => true));
        Assert.Equal(HttpStatusCode.Created, (await http.AppendBatchAsync(
            Player(id, "PlayerCreated", new JsonObject { ["playerId"] = "p", ["name"] = "Cached" }),
            Player(id, "ItemAcquired", new JsonObject { ["itemId"] = "a" }))).StatusCode);
        for (var read = 0; read < 3; read++)
        {
            var state = await (await http.GetAsync($"/api/v1/events/aggregates/player/{id}")).JsonAsync();
            Assert.Equal(2, state["currentVersion"]!.GetValue<long>());
        }

        for (var version = 3; version <= 5; version++)
        {
            Assert.Equal(HttpStatusCode.Created, (await http.AppendAsync(Player(id, "ItemAcquired", new JsonObject { ["itemId"] = $"item{version}" }))).StatusCode);
            var state = await (await http.GetAsync($"/api/v1/events/aggregates/player/{id}")).JsonAsync();
            Assert.Equal(version, state["currentVersion"]!.GetValue<long>());
            Assert.Equal(version - 1, state["state"]!["inventory"]!.AsArray().Count);
        }

        var early = await (await http.GetAsync($"/api/v1/events/aggregates/player/{id}?atVersion=2")).JsonAsync();
        Assert.Equal(["a"], early["state"]!["inventory"]!.AsArray().Select(i => i!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"/api/v1/events/aggregates/quest/{id}")).StatusCode);

        // The five reads after the first were answered from the API's memory tier (then checked against PostgreSQL):
        // this test's own hits, counted against the total before it.
        var hitsAfter = MemoryHits(await graph.ScrapeMetricsAsync("api", metrics => MemoryHits(metrics) >= hitsBefore + 5));
        Assert.True(hitsAfter - hitsBefore >= 5, $"{hitsAfter - hitsBefore} memory hits");
    }

    /// <summary>The API's memory-tier hits of aggregate states so far.</summary>
    private static double MemoryHits(string metrics) => metrics.Split('\n')
        .Where(line => line.StartsWith("event_sourcing_aggregate_cache_lookups_total{", StringComparison.Ordinal)
            && line.Contains("result=\"hit\"", StringComparison.Ordinal) && line.Contains("tier=\"memory\"", StringComparison.Ordinal))
        .Sum(line => double.Parse(line.Split(' ')[^1], System.Globalization.CultureInfo.InvariantCulture));
}
