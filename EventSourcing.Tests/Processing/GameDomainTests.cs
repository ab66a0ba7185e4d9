using System.Net;
using System.Text.Json.Nodes;
using EventSourcing.Tests.Infrastructure;

namespace EventSourcing.Tests.Processing;

/// <summary>The five game domains beyond player and quest: typed state through the API and their read models.</summary>
[Collection(GraphCollection.Name)]
public sealed class GameDomainTests(GraphFixture graph)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private static string Unique(string prefix) => prefix + "_" + Guid.NewGuid().ToString("N")[..8];

    private static JsonObject E(Guid id, string type, string eventType, string payload) =>
        ApiClient.Event(id, type, eventType, payload: JsonNode.Parse(payload)!.AsObject());

    /// <summary>Appends the history as one batch; returns the aggregate's state and its read model's data.</summary>
    private static async Task<(JsonNode State, JsonNode ReadModel)> AppendAndReadAsync(HttpClient http, string type, Guid id, string model, string modelId, params JsonObject[] history)
    {
        var append = await http.AppendBatchAsync(history);
        Assert.True(append.StatusCode == HttpStatusCode.Created, await append.Content.ReadAsStringAsync());
        var aggregate = await (await http.GetAsync($"/api/v1/events/aggregates/{type}/{id}")).JsonAsync();
        Assert.Equal(history.Length, aggregate["currentVersion"]!.GetValue<long>());
        var document = await ProcessingTests.WaitForReadModelAsync(http, model, modelId, history.Length, Timeout);
        return (aggregate["state"]!, document["data"]!);
    }

    [Fact]
    public async Task A_combat_session_counts_damage_and_defeats()
    {
        using var http = ApiClient.Create(graph);
        var id = Guid.NewGuid();
        var session = Unique("combat");
        JsonObject C(string eventType, string payload) => E(id, "combat_session", eventType, payload);
        var (state, stats) = await AppendAndReadAsync(http, "combat_session", id, "combat_session_stats", session,
            // Any order: damage arrives before the start names the session.
            C("DamageDealt", """{"attackerId":"p1","targetId":"p2","amount":40,"weapon":"blade"}"""),
            C("CombatStarted", $$"""{"sessionId":"{{session}}","mode":"duel","participants":["p1","p2"]}"""),
            C("DamageDealt", """{"attackerId":"p2","targetId":"p1","amount":25}"""),
            C("DamageDealt", """{"attackerId":"p1","targetId":"p2","amount":70}"""),
            C("CombatantDefeated", """{"playerId":"p2","defeatedBy":"p1"}"""),
            C("CombatEnded", """{"winnerId":"p1"}"""));

        Assert.Equal("ended", state["status"]!.GetValue<string>());
        Assert.Equal(135, state["totalDamage"]!.GetValue<long>());
        Assert.Equal(["p1", "p2"], state["participants"]!.AsArray().Select(p => p!.GetValue<string>()));
        Assert.Equal(["p2"], state["defeated"]!.AsArray().Select(p => p!.GetValue<string>()));

        Assert.Equal("duel", stats["mode"]!.GetValue<string>());
        Assert.Equal(110, stats["combatants"]!["p1"]!["damageDealt"]!.GetValue<long>());
        Assert.Equal(110, stats["combatants"]!["p2"]!["damageTaken"]!.GetValue<long>());
        Assert.Equal(1, stats["combatants"]!["p1"]!["defeats"]!.GetValue<int>());
        Assert.True(stats["combatants"]!["p2"]!["defeated"]!.GetValue<bool>());
        Assert.Equal("p1", stats["topDamageDealer"]!.GetValue<string>());
        Assert.Equal("p1", stats["winnerId"]!.GetValue<string>());
        Assert.True(stats["durationSeconds"]!.GetValue<double>() >= 0);
    }

    [Fact]
    public async Task A_tournament_ranks_its_players()
    {
        using var http = ApiClient.Create(graph);
        var id = Guid.NewGuid();
        var tournament = Unique("cup");
        JsonObject T(string eventType, string payload) => E(id, "tournament", eventType, payload);
        var (state, standings) = await AppendAndReadAsync(http, "tournament", id, "tournament_standings", tournament,
            T("TournamentCreated", $$"""{"tournamentId":"{{tournament}}","name":"Night City Open","maxParticipants":4}"""),
            T("TournamentPlayerRegistered", """{"playerId":"a"}"""),
            T("TournamentPlayerRegistered", """{"playerId":"b"}"""),
            T("TournamentPlayerRegistered", """{"playerId":"c"}"""),
            T("TournamentPlayerRegistered", """{"playerId":"d"}"""),
            T("TournamentMatchPlayed", """{"round":1,"winnerId":"a","loserId":"b"}"""),
            T("TournamentMatchPlayed", """{"round":1,"winnerId":"d","loserId":"c"}"""),
            T("TournamentMatchPlayed", """{"round":2,"winnerId":"d","loserId":"a"}"""),
            T("TournamentCompleted", """{"winnerId":"d"}"""));

        Assert.Equal("completed", state["status"]!.GetValue<string>());
        Assert.Equal(2, state["round"]!.GetValue<int>());
        Assert.Equal(3, state["matches"]!.AsArray().Count);

        Assert.Equal("d", standings["winnerId"]!.GetValue<string>());
        Assert.Equal(3, standings["matchesPlayed"]!.GetValue<int>());
        Assert.Equal(["d", "a", "b", "c"], standings["standings"]!.AsArray().Select(s => s!["playerId"]!.GetValue<string>()));
        Assert.False(standings["standings"]![0]!["eliminated"]!.GetValue<bool>());
        Assert.True(standings["standings"]![1]!["eliminated"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_guild_keeps_its_roster_and_treasury()
    {
        using var http = ApiClient.Create(graph);
        var id = Guid.NewGuid();
        var guild = Unique("guild");
        JsonObject G(string eventType, string payload) => E(id, "guild", eventType, payload);
        var (state, roster) = await AppendAndReadAsync(http, "guild", id, "guild_roster", guild,
            G("GuildFounded", $$"""{"guildId":"{{guild}}","name":"Netrunners","leaderId":"p1"}"""),
            G("GuildMemberJoined", """{"playerId":"p2"}"""),
            G("GuildMemberJoined", """{"playerId":"p3"}"""),
            G("GuildContributionMade", """{"playerId":"p2","amount":500}"""),
            G("GuildContributionMade", """{"playerId":"p3","amount":200}"""),
            G("GuildMemberLeft", """{"playerId":"p2"}"""),
            G("GuildLeaderChanged", """{"leaderId":"p3"}"""));

        Assert.Equal("p3", state["leaderId"]!.GetValue<string>());
        Assert.Equal(["p1", "p3"], state["members"]!.AsArray().Select(p => p!.GetValue<string>()));
        Assert.Equal(700, state["treasury"]!.GetValue<long>());

        Assert.Equal(2, roster["memberCount"]!.GetValue<int>());
        Assert.Equal(700, roster["treasury"]!.GetValue<long>());
        Assert.Equal("p2", roster["topContributor"]!.GetValue<string>());
        Assert.Equal(500, roster["contributions"]!["p2"]!.GetValue<long>());
    }

    [Fact]
    public async Task A_wallet_balances_what_was_earned_and_spent()
    {
        using var http = ApiClient.Create(graph);
        var id = Guid.NewGuid();
        var owner = Unique("player");
        JsonObject W(string eventType, string payload) => E(id, "economy", eventType, payload);
        var (state, wallet) = await AppendAndReadAsync(http, "economy", id, "wallet_balance", owner,
            W("WalletOpened", $$"""{"ownerId":"{{owner}}"}"""),
            W("CurrencyEarned", """{"currency":"eddies","amount":1000,"source":"quest_reward"}"""),
            W("CurrencyEarned", """{"currency":"eddies","amount":250,"source":"loot"}"""),
            W("CurrencySpent", """{"currency":"eddies","amount":400,"sink":"shop"}"""),
            W("CurrencyEarned", """{"currency":"gems","amount":5,"source":"loot"}"""));

        Assert.Equal(850, state["balances"]!["eddies"]!.GetValue<long>());
        Assert.Equal(5, state["balances"]!["gems"]!.GetValue<long>());

        Assert.Equal(850, wallet["balances"]!["eddies"]!.GetValue<long>());
        Assert.Equal(1250, wallet["totalEarned"]!["eddies"]!.GetValue<long>());
        Assert.Equal(400, wallet["totalSpent"]!["eddies"]!.GetValue<long>());
        Assert.Equal(255, wallet["earnedBySource"]!["loot"]!.GetValue<long>());
        Assert.Equal(4, wallet["transactions"]!.GetValue<long>());
    }

    [Fact]
    public async Task An_inventory_stacks_items_and_tracks_equipment()
    {
        using var http = ApiClient.Create(graph);
        var id = Guid.NewGuid();
        var owner = Unique("player");
        JsonObject I(string eventType, string payload) => E(id, "inventory", eventType, payload);
        var (state, contents) = await AppendAndReadAsync(http, "inventory", id, "inventory_contents", owner,
            I("InventoryCreated", $$"""{"ownerId":"{{owner}}","capacity":2}"""),
            I("InventoryItemAdded", """{"itemId":"medkit","quantity":3}"""),
            I("InventoryItemAdded", """{"itemId":"sword_001"}"""),
            I("InventoryItemEquipped", """{"itemId":"sword_001","slot":"main_hand"}"""),
            I("InventoryItemRemoved", """{"itemId":"medkit","quantity":1}"""),
            I("InventoryItemAdded", """{"itemId":"grenade","quantity":2}"""),
            I("InventoryItemRemoved", """{"itemId":"grenade","quantity":2}"""));

        Assert.Equal(2, state["items"]!["medkit"]!.GetValue<long>());
        Assert.Null(state["items"]!["grenade"]);
        Assert.Equal("sword_001", state["equipped"]!["main_hand"]!.GetValue<string>());

        Assert.Equal(2, contents["distinctItems"]!.GetValue<int>());
        Assert.Equal(3, contents["totalQuantity"]!.GetValue<long>());
        Assert.False(contents["overCapacity"]!.GetValue<bool>());
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
        var response = await http.AppendAsync(E(id, type, eventType, payload));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.JsonAsync())["errors"]!.AsObject();
        Assert.True(errors.ContainsKey(field), errors.ToJsonString());
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"/api/v1/events/stream/{id}")).StatusCode);
    }
}
