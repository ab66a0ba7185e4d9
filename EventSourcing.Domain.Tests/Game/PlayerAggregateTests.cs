using EventSourcing.Domain.Tests.Support;

namespace EventSourcing.Domain.Tests.Game;

[Trait("Category", "Unit")]
public sealed class PlayerAggregateTests
{
    private static readonly Aggregate Player = new("player");

    [Fact]
    public void The_catalog_registers_the_documented_player_events()
    {
        Assert.Equal(
            ["AchievementUnlocked", "EnemyKilled", "ExperienceGained", "ItemAcquired", "ItemRemoved", "PlayerCreated", "PlayerDied", "PlayerLevelUp", "PlayerRenamed"],
            Player.Definition.EventTypes.Order(StringComparer.Ordinal));
        Assert.Equal("player", Player.Definition.AggregateType);
    }

    [Theory]
    [InlineData("PlayerCreated", 1, """{"playerId":"player_001","name":"CyberNinja"}""")]
    [InlineData("PlayerCreated", 1, """{"playerId":"player_001","name":"CyberNinja","clan":"extra fields are ignored"}""")]
    [InlineData("PlayerRenamed", 1, """{"name":"Neo"}""")]
    [InlineData("PlayerLevelUp", 1, """{"newLevel":25,"experienceGained":1500}""")]
    [InlineData("PlayerLevelUp", 1, """{"newLevel":2}""")]
    [InlineData("ExperienceGained", 2, """{"amount":100,"source":"quest_reward"}""")]
    [InlineData("ExperienceGained", 1, """{"amount":100}""")]
    [InlineData("ItemAcquired", 1, """{"itemId":"sword_001"}""")]
    [InlineData("ItemRemoved", 1, """{"itemId":"sword_001"}""")]
    [InlineData("AchievementUnlocked", 1, """{"achievementId":"first_kill"}""")]
    [InlineData("EnemyKilled", 1, """{"weapon":"cyber_blade"}""")]
    [InlineData("PlayerDied", 1, "{}")]
    public void Valid_payloads_are_accepted(string eventType, int eventVersion, string payload) =>
        Assert.Empty(Player.Errors(eventType, payload, eventVersion));

    [Theory]
    [InlineData("PlayerCreated", 1, "{}", "playerId: is required|name: is required")]
    [InlineData("PlayerCreated", 1, """{"playerId":"player_001"}""", "name: is required")]
    [InlineData("PlayerCreated", 1, """{"playerId":null,"name":"CyberNinja"}""", "playerId: must not be null")]
    [InlineData("PlayerRenamed", 1, """{"name":42}""", "name: has the wrong type")]
    [InlineData("PlayerLevelUp", 1, """{"newLevel":"high"}""", "newLevel: has the wrong type")]
    [InlineData("PlayerLevelUp", 1, """{"experienceGained":5}""", "newLevel: is required")]
    [InlineData("PlayerLevelUp", 1, """{"newLevel":3000000000}""", "newLevel: has the wrong type")]
    [InlineData("ExperienceGained", 2, """{"amount":5}""", "source: is required")]
    [InlineData("ItemAcquired", 1, "{}", "itemId: is required")]
    [InlineData("EnemyKilled", 1, """{"weapon":null}""", "weapon: must not be null")]
    public void Invalid_payloads_name_the_field(string eventType, int eventVersion, string payload, string expected) =>
        Assert.Equal(expected.Split('|'), Player.Errors(eventType, payload, eventVersion));

    [Theory]
    [InlineData("PlayerTeleported", 1)]
    [InlineData("PlayerLevelUp", 2)]
    public void An_unknown_event_or_version_is_an_eventType_error(string eventType, int eventVersion)
    {
        var error = Assert.Single(Player.Definition.Validate(eventType, eventVersion, []));

        Assert.Equal("$eventType", error.Key);
        Assert.StartsWith($"'{eventType}' v{eventVersion} is not an event of 'player'", error.Value, StringComparison.Ordinal);
    }

    [Fact]
    public void A_new_player_has_the_documented_empty_state()
    {
        Json.Equal("""{"playerId":null,"name":null,"level":0,"experience":0,"inventory":[],"achievements":[]}""", Player.Fold([]));
    }

    [Fact]
    public void The_seed_players_history_folds_into_the_seeds_state()
    {
        var state = Player.Fold(GameHistories.Player().Events);

        Json.Equal("""
            {"playerId":"player_001","name":"CyberNinja","level":25,"experience":12500,
             "inventory":["sword_001","armor_002"],"achievements":["first_kill","level_25"]}
            """, state);
    }

    [Fact]
    public void A_level_up_on_a_new_aggregate_is_accepted()
    {
        // The seed's curl example appends PlayerLevelUp to an aggregate nobody created.
        Json.Equal(
            """{"playerId":null,"name":null,"level":25,"experience":1500,"inventory":[],"achievements":[]}""",
            Player.Fold(("PlayerLevelUp", """{"newLevel":25,"experienceGained":1500}""")));
    }

    [Fact]
    public void Creation_arriving_after_other_events_keeps_what_they_did()
    {
        var state = Player.Fold(
            ("ItemAcquired", """{"itemId":"sword_001"}"""),
            ("PlayerLevelUp", """{"newLevel":3,"experienceGained":300}"""),
            ("PlayerCreated", """{"playerId":"player_009","name":"Late"}"""));

        Json.Equal("""{"playerId":"player_009","name":"Late","level":3,"experience":300,"inventory":["sword_001"],"achievements":[]}""", state);
    }

    [Fact]
    public void The_level_is_the_last_level_up_and_experience_accumulates()
    {
        var state = Player.Fold(
            ("PlayerLevelUp", """{"newLevel":10,"experienceGained":1000}"""),
            ("PlayerLevelUp", """{"newLevel":9}"""),
            ("ExperienceGained", """{"amount":50,"source":"loot"}"""));

        Assert.Equal(9, state["level"]!.GetValue<int>());
        Assert.Equal(1050, state["experience"]!.GetValue<long>());
    }

    [Fact]
    public void Removing_an_item_removes_one_copy_and_removing_an_absent_item_changes_nothing()
    {
        var state = Player.Fold(
            ("ItemAcquired", """{"itemId":"potion"}"""),
            ("ItemAcquired", """{"itemId":"sword_001"}"""),
            ("ItemAcquired", """{"itemId":"potion"}"""),
            ("ItemRemoved", """{"itemId":"potion"}"""),
            ("ItemRemoved", """{"itemId":"shield"}"""));

        Json.Equal("""["sword_001","potion"]""", state["inventory"]);
    }

    [Fact]
    public void Kills_and_deaths_do_not_change_the_aggregate_state()
    {
        var before = Player.Fold(("PlayerCreated", """{"playerId":"p","name":"n"}"""));
        var after = Player.Fold(
            ("PlayerCreated", """{"playerId":"p","name":"n"}"""),
            ("EnemyKilled", """{"weapon":"bow"}"""),
            ("PlayerDied", "{}"));

        Json.Equal(before, after);
    }
}
