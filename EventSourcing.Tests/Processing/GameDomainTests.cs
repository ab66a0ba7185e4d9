using System.Text.Json;
using System.Text.Json.Nodes;
using EventSourcing.Client;
using EventSourcing.Contracts;

namespace EventSourcing.Tests.Processing;

/// <summary>The five game domains beyond player and quest: typed state through the API and their read models.</summary>
[Collection(GraphCollection.Name)]
public sealed class GameDomainTests(GraphFixture graph)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private static string Unique(string prefix) => prefix + "_" + Guid.NewGuid().ToString("N")[..8];

    private static AppendEventRequest E(Guid id, string type, string eventType, string payload) =>
        EventSourcingClient.Event(id, type, eventType, JsonElement.Parse(payload));

    /// <summary>Appends the history as one batch; returns the aggregate's state and its read model's data.</summary>
    private static async Task<(JsonElement State, JsonElement ReadModel)> AppendAndReadAsync(EventSourcingClient client, string type, Guid id, string model,
        string modelId, params AppendEventRequest[] history)
    {
        Assert.True((await client.AppendBatchAsync(history)).Created);
        var aggregate = (await client.GetAggregateAsync(type, id))!;
        Assert.Equal(history.Length, aggregate.CurrentVersion);
        var document = await client.WaitForReadModelAsync<JsonElement>(model, modelId, history.Length, Timeout);
        return (aggregate.State, document.Data);
    }

    [Fact]
    public async Task A_combat_session_counts_damage_and_defeats()
    {
        var client = graph.Client();
        var id = Guid.NewGuid();
        var session = Unique("combat");
        AppendEventRequest C(string eventType, string payload) => E(id, "combat_session", eventType, payload);
        var (state, stats) = await AppendAndReadAsync(client, "combat_session", id, "combat_session_stats", session,
            // Any order: damage arrives before the start names the session.
            C("DamageDealt", """{"attackerId":"p1","targetId":"p2","amount":40,"weapon":"blade"}"""),
            C("CombatStarted", $$"""{"sessionId":"{{session}}","mode":"duel","participants":["p1","p2"]}"""),
            C("DamageDealt", """{"attackerId":"p2","targetId":"p1","amount":25}"""),
            C("DamageDealt", """{"attackerId":"p1","targetId":"p2","amount":70}"""),
            C("CombatantDefeated", """{"playerId":"p2","defeatedBy":"p1"}"""),
            C("CombatEnded", """{"winnerId":"p1"}"""));

        Assert.Equal("ended", state.GetProperty("status").GetString());
        Assert.Equal(135, state.GetProperty("totalDamage").GetInt64());
        Assert.Equal(["p1", "p2"], state.GetProperty("participants").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal(["p2"], state.GetProperty("defeated").EnumerateArray().Select(p => p.GetString()));

        Assert.Equal("duel", stats.GetProperty("mode").GetString());
        Assert.Equal(110, stats.GetProperty("combatants").GetProperty("p1").GetProperty("damageDealt").GetInt64());
        Assert.Equal(110, stats.GetProperty("combatants").GetProperty("p2").GetProperty("damageTaken").GetInt64());
        Assert.Equal(1, stats.GetProperty("combatants").GetProperty("p1").GetProperty("defeats").GetInt32());
        Assert.True(stats.GetProperty("combatants").GetProperty("p2").GetProperty("defeated").GetBoolean());
        Assert.Equal("p1", stats.GetProperty("topDamageDealer").GetString());
        Assert.Equal("p1", stats.GetProperty("winnerId").GetString());
        Assert.True(stats.GetProperty("durationSeconds").GetDouble() >= 0);
    }

    [Fact]
    public async Task A_tournament_ranks_its_players()
    {
        var client = graph.Client();
        var id = Guid.NewGuid();
        var tournament = Unique("cup");
        AppendEventRequest T(string eventType, string payload) => E(id, "tournament", eventType, payload);
        var (state, standings) = await AppendAndReadAsync(client, "tournament", id, "tournament_standings", tournament,
            T("TournamentCreated", $$"""{"tournamentId":"{{tournament}}","name":"Night City Open","maxParticipants":4}"""),
            T("TournamentPlayerRegistered", """{"playerId":"a"}"""),
            T("TournamentPlayerRegistered", """{"playerId":"b"}"""),
            T("TournamentPlayerRegistered", """{"playerId":"c"}"""),
            T("TournamentPlayerRegistered", """{"playerId":"d"}"""),
            T("TournamentMatchPlayed", """{"round":1,"winnerId":"a","loserId":"b"}"""),
            T("TournamentMatchPlayed", """{"round":1,"winnerId":"d","loserId":"c"}"""),
            T("TournamentMatchPlayed", """{"round":2,"winnerId":"d","loserId":"a"}"""),
            T("TournamentCompleted", """{"winnerId":"d"}"""));

        Assert.Equal("completed", state.GetProperty("status").GetString());
        Assert.Equal(2, state.GetProperty("round").GetInt32());
        Assert.Equal(3, state.GetProperty("matches").GetArrayLength());

        Assert.Equal("d", standings.GetProperty("winnerId").GetString());
        Assert.Equal(3, standings.GetProperty("matchesPlayed").GetInt32());
        Assert.Equal(["d", "a", "b", "c"], standings.GetProperty("standings").EnumerateArray().Select(s => s.GetProperty("playerId").GetString()));
        Assert.False(standings.GetProperty("standings")[0].GetProperty("eliminated").GetBoolean());
        Assert.True(standings.GetProperty("standings")[1].GetProperty("eliminated").GetBoolean());
    }

    [Fact]
    public async Task A_guild_keeps_its_roster_and_treasury()
    {
        var client = graph.Client();
        var id = Guid.NewGuid();
        var guild = Unique("guild");
        AppendEventRequest G(string eventType, string payload) => E(id, "guild", eventType, payload);
        var (state, roster) = await AppendAndReadAsync(client, "guild", id, "guild_roster", guild,
            G("GuildFounded", $$"""{"guildId":"{{guild}}","name":"Netrunners","leaderId":"p1"}"""),
            G("GuildMemberJoined", """{"playerId":"p2"}"""),
            G("GuildMemberJoined", """{"playerId":"p3"}"""),
            G("GuildContributionMade", """{"playerId":"p2","amount":500}"""),
            G("GuildContributionMade", """{"playerId":"p3","amount":200}"""),
            G("GuildMemberLeft", """{"playerId":"p2"}"""),
            G("GuildLeaderChanged", """{"leaderId":"p3"}"""));

        Assert.Equal("p3", state.GetProperty("leaderId").GetString());
        Assert.Equal(["p1", "p3"], state.GetProperty("members").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal(700, state.GetProperty("treasury").GetInt64());

        Assert.Equal(2, roster.GetProperty("memberCount").GetInt32());
        Assert.Equal(700, roster.GetProperty("treasury").GetInt64());
        Assert.Equal("p2", roster.GetProperty("topContributor").GetString());
        Assert.Equal(500, roster.GetProperty("contributions").GetProperty("p2").GetInt64());
    }

    [Fact]
    public async Task A_wallet_balances_what_was_earned_and_spent()
    {
        var client = graph.Client();
        var id = Guid.NewGuid();
        var owner = Unique("player");
        AppendEventRequest W(string eventType, string payload) => E(id, "economy", eventType, payload);
        var (state, wallet) = await AppendAndReadAsync(client, "economy", id, "wallet_balance", owner,
            W("WalletOpened", $$"""{"ownerId":"{{owner}}"}"""),
            W("CurrencyEarned", """{"currency":"eddies","amount":1000,"source":"quest_reward"}"""),
            W("CurrencyEarned", """{"currency":"eddies","amount":250,"source":"loot"}"""),
            W("CurrencySpent", """{"currency":"eddies","amount":400,"sink":"shop"}"""),
            W("CurrencyEarned", """{"currency":"gems","amount":5,"source":"loot"}"""));

        Assert.Equal(850, state.GetProperty("balances").GetProperty("eddies").GetInt64());
        Assert.Equal(5, state.GetProperty("balances").GetProperty("gems").GetInt64());

        Assert.Equal(850, wallet.GetProperty("balances").GetProperty("eddies").GetInt64());
        Assert.Equal(1250, wallet.GetProperty("totalEarned").GetProperty("eddies").GetInt64());
        Assert.Equal(400, wallet.GetProperty("totalSpent").GetProperty("eddies").GetInt64());
        Assert.Equal(255, wallet.GetProperty("earnedBySource").GetProperty("loot").GetInt64());
        Assert.Equal(4, wallet.GetProperty("transactions").GetInt64());
    }

    [Fact]
    public async Task An_inventory_stacks_items_and_tracks_equipment()
    {
        var client = graph.Client();
        var id = Guid.NewGuid();
        var owner = Unique("player");
        AppendEventRequest I(string eventType, string payload) => E(id, "inventory", eventType, payload);
        var (state, contents) = await AppendAndReadAsync(client, "inventory", id, "inventory_contents", owner,
            I("InventoryCreated", $$"""{"ownerId":"{{owner}}","capacity":2}"""),
            I("InventoryItemAdded", """{"itemId":"medkit","quantity":3}"""),
            I("InventoryItemAdded", """{"itemId":"sword_001"}"""),
            I("InventoryItemEquipped", """{"itemId":"sword_001","slot":"main_hand"}"""),
            I("InventoryItemRemoved", """{"itemId":"medkit","quantity":1}"""),
            I("InventoryItemAdded", """{"itemId":"grenade","quantity":2}"""),
            I("InventoryItemRemoved", """{"itemId":"grenade","quantity":2}"""));

        Assert.Equal(2, state.GetProperty("items").GetProperty("medkit").GetInt64());
        Assert.False(state.GetProperty("items").TryGetProperty("grenade", out _));
        Assert.Equal("sword_001", state.GetProperty("equipped").GetProperty("main_hand").GetString());

        Assert.Equal(2, contents.GetProperty("distinctItems").GetInt32());
        Assert.Equal(3, contents.GetProperty("totalQuantity").GetInt64());
        Assert.False(contents.GetProperty("overCapacity").GetBoolean());
    }

    [Theory]
    [InlineData("combat_session", "DamageDealt", """{"attackerId":"a","targetId":"b","amount":-5}""", "payload.amount")]
    [InlineData("combat_session", "CombatStarted", """{"mode":"duel"}""", "payload.sessionId")]
    [InlineData("tournament", "TournamentCreated", """{"tournamentId":"t","name":"n","maxParticipants":1}""", "payload.maxParticipants")]
    [InlineData("tournament", "TournamentMatchPlayed", """{"round":1,"winnerId":"a","loserId":"a"}""", "payload.loserId")]
    [InlineData("guild", "GuildContributionMade", """{"playerId":"a","amount":0}""", "payload.amount")]
    [InlineData("economy", "CurrencySpent", """{"currency":"","amount":5,"sink":"shop"}""", "payload.currency")]
    [InlineData("economy", "CurrencyEarned", """{"currency":"gems","amount":"lots","source":"loot"}""", "payload.amount")]
    [InlineData("inventory", "InventoryItemAdded", """{"itemId":"x","quantity":0}""", "payload.quantity")]
    [InlineData("inventory", "ItemAcquired", """{"itemId":"x"}""", "eventType")]
    public async Task Bad_payloads_of_the_game_domains_are_refused_with_the_field(string type, string eventType, string payload, string field)
    {
        using var http = ApiClient.Create(graph);
        var id = Guid.NewGuid();
        var response = await http.AppendAsync(ApiClient.Event(id, type, eventType, payload: JsonNode.Parse(payload)!.AsObject()));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.JsonAsync())["errors"]!.AsObject();
        Assert.True(errors.ContainsKey(field), errors.ToJsonString());
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"/api/v1/events/stream/{id}")).StatusCode);
    }
}
