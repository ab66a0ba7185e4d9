using System.Text.Json;
using System.Text.Json.Nodes;
using EventSourcing.Client;
using EventSourcing.Contracts;

namespace EventSourcing.Tests.Aggregates;

[Collection(GraphCollection.Name)]
public sealed class AggregateStateTests(GraphFixture graph)
{
    private static AppendEventRequest Player(Guid id, string eventType, object payload, int? eventVersion = null) =>
        EventSourcingClient.Event(id, "player", eventType, payload) with { EventVersion = eventVersion };

    [Fact]
    public async Task The_seed_example_level_up_on_a_new_aggregate_is_state_at_once()
    {
        var client = graph.Client();
        var id = Guid.NewGuid();
        Assert.True((await client.AppendAsync(id, "player", "PlayerLevelUp", new { NewLevel = 25, ExperienceGained = 1500 },
            metadata: new { Source = "game_server_01" })).Created);

        var aggregate = (await client.GetAggregateAsync("player", id))!;
        Assert.Equal(1, aggregate.CurrentVersion);
        Assert.Equal(25, aggregate.State.GetProperty("level").GetInt32());
        Assert.Equal(1500, aggregate.State.GetProperty("experience").GetInt64());
    }

    [Fact]
    public async Task A_player_history_folds_into_the_seed_state_and_replays_at_any_version()
    {
        var client = graph.Client();
        var id = Guid.NewGuid();
        AppendEventRequest[] history =
        [
            Player(id, "PlayerCreated", new { PlayerId = "player_001", Name = "Cyber" }),
            Player(id, "PlayerRenamed", new { Name = "CyberNinja" }),
            Player(id, "PlayerLevelUp", new { NewLevel = 25, ExperienceGained = 1500 }),
            Player(id, "ExperienceGained", new { Amount = 1000 }, eventVersion: 1),
            Player(id, "ExperienceGained", new { Amount = 10000, Source = "raid" }, eventVersion: 2),
            Player(id, "ItemAcquired", new { ItemId = "sword_001" }),
            Player(id, "ItemAcquired", new { ItemId = "armor_002" }),
            Player(id, "ItemAcquired", new { ItemId = "potion_003" }),
            Player(id, "ItemRemoved", new { ItemId = "potion_003" }),
            Player(id, "AchievementUnlocked", new { AchievementId = "first_kill" }),
            Player(id, "AchievementUnlocked", new { AchievementId = "level_25" }),
            Player(id, "EnemyKilled", new { Weapon = "cyber_blade" }),
            Player(id, "PlayerDied", new { }),
        ];
        Assert.True((await client.AppendBatchAsync(history)).Created);

        var state = (await client.GetAggregateAsync("player", id))!.State;
        Assert.Equal("player_001", state.GetProperty("playerId").GetString());
        Assert.Equal("CyberNinja", state.GetProperty("name").GetString());
        Assert.Equal(25, state.GetProperty("level").GetInt32());
        Assert.Equal(12500, state.GetProperty("experience").GetInt64());
        Assert.Equal(["sword_001", "armor_002"], state.GetProperty("inventory").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal(["first_kill", "level_25"], state.GetProperty("achievements").EnumerateArray().Select(p => p.GetString()));

        var atTwo = (await client.GetAggregateAsync("player", id, atVersion: 2))!;
        Assert.Equal(2, atTwo.CurrentVersion);
        Assert.Equal("CyberNinja", atTwo.State.GetProperty("name").GetString());
        Assert.Equal(0, atTwo.State.GetProperty("level").GetInt32());

        using var http = ApiClient.Create(graph);
        Assert.Equal(HttpStatusCode.BadRequest, (await http.GetAsync($"/api/v1/events/aggregates/player/{id}?atVersion=99")).StatusCode);
        Assert.Null(await client.GetAggregateAsync("quest", id));
        Assert.Null(await client.GetAggregateAsync("player", Guid.NewGuid()));
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
        var response = await http.AppendAsync(ApiClient.Event(id, "player", eventType, payload: JsonNode.Parse(payload)!.AsObject(), eventVersion: eventVersion));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.JsonAsync())["errors"]!.AsObject();
        Assert.Contains(errors, e => e.Key == field || e.Key.StartsWith(field + ".", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"/api/v1/events/stream/{id}")).StatusCode);
    }

    [Fact]
    public async Task A_quest_accepts_its_events_in_any_order()
    {
        var client = graph.Client();
        var id = Guid.NewGuid();
        AppendEventRequest Quest(string type, object payload) => EventSourcingClient.Event(id, "quest", type, payload);
        Assert.True((await client.AppendBatchAsync(
        [
            Quest("QuestObjectiveCompleted", new { ObjectiveId = "obj_1" }),
            Quest("QuestStarted", new
            {
                QuestId = "quest_001",
                Title = "Corporate Espionage",
                Objectives = new[] { new { Id = "obj_1", Description = "Hack terminal" }, new { Id = "obj_2", Description = "Steal data" } },
            }),
            Quest("QuestParticipantJoined", new { PlayerId = "player_001" }),
        ])).Created);

        var state = (await client.GetAggregateAsync("quest", id))!.State;
        Assert.Equal("in_progress", state.GetProperty("status").GetString());
        var objectives = state.GetProperty("objectives");
        Assert.Equal("Hack terminal", objectives[0].GetProperty("description").GetString());
        Assert.True(objectives[0].GetProperty("completed").GetBoolean());
        Assert.False(objectives[1].GetProperty("completed").GetBoolean());
        Assert.Equal(["player_001"], state.GetProperty("participants").EnumerateArray().Select(p => p.GetString()));
    }

    [Fact]
    public async Task An_unregistered_type_is_the_json_merge_of_its_payloads()
    {
        var client = graph.Client();
        var id = Guid.NewGuid();
        const string type = "matchmaking_ticket";
        Assert.True((await client.AppendBatchAsync(
        [
            EventSourcingClient.Event(id, type, "Opened", JsonElement.Parse("""{"region":"eu","mmr":{"solo":1500,"duo":1400},"party":"p1"}""")),
            // The nulls remove members (JSON merge patch).
            EventSourcingClient.Event(id, type, "Updated", JsonElement.Parse("""{"mmr":{"duo":null,"squad":1300},"party":null}""")),
        ])).Created);

        var state = (await client.GetAggregateAsync(type, id))!.State;
        Assert.True(JsonElement.DeepEquals(JsonElement.Parse("""{"region":"eu","mmr":{"solo":1500,"squad":1300}}"""), state), state.GetRawText());
    }

    [Fact]
    public async Task The_hot_snapshot_in_memory_or_Redis_never_hides_a_later_append()
    {
        var client = graph.Client();
        var id = Guid.NewGuid();
        var hitsBefore = MemoryHits(await graph.ScrapeMetricsAsync("api", _ => true));
        Assert.True((await client.AppendBatchAsync(
        [
            Player(id, "PlayerCreated", new { PlayerId = "p", Name = "Cached" }),
            Player(id, "ItemAcquired", new { ItemId = "a" }),
        ])).Created);
        for (var read = 0; read < 3; read++)
        {
            Assert.Equal(2, (await client.GetAggregateAsync("player", id))!.CurrentVersion);
        }

        for (var version = 3; version <= 5; version++)
        {
            Assert.True((await client.AppendAsync(Player(id, "ItemAcquired", new { ItemId = $"item{version}" }))).Created);
            var state = (await client.GetAggregateAsync("player", id))!;
            Assert.Equal(version, state.CurrentVersion);
            Assert.Equal(version - 1, state.State.GetProperty("inventory").GetArrayLength());
        }

        var early = (await client.GetAggregateAsync("player", id, atVersion: 2))!;
        Assert.Equal(["a"], early.State.GetProperty("inventory").EnumerateArray().Select(p => p.GetString()));
        Assert.Null(await client.GetAggregateAsync("quest", id));

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
