using EventSourcing.Domain.Tests.Support;

namespace EventSourcing.Domain.Tests.Game;

[Trait("Category", "Unit")]
public sealed class CombatSessionAggregateTests
{
    private static readonly Aggregate Combat = new("combat_session");

    [Fact]
    public void The_catalog_registers_the_documented_combat_events() =>
        Assert.Equal(
            ["CombatEnded", "CombatStarted", "CombatantDefeated", "CombatantJoined", "DamageDealt"],
            Combat.Definition.EventTypes.Order(StringComparer.Ordinal));

    [Theory]
    [InlineData("CombatStarted", """{"sessionId":"s1","mode":"duel","participants":["a","b"]}""")]
    [InlineData("CombatStarted", """{"sessionId":"s1","mode":"raid"}""")]
    [InlineData("CombatantJoined", """{"playerId":"c"}""")]
    [InlineData("DamageDealt", """{"attackerId":"a","targetId":"b","amount":1,"weapon":"bow"}""")]
    [InlineData("DamageDealt", """{"attackerId":"a","targetId":"b","amount":9000}""")]
    [InlineData("CombatantDefeated", """{"playerId":"b","defeatedBy":"a"}""")]
    [InlineData("CombatantDefeated", """{"playerId":"b"}""")]
    [InlineData("CombatEnded", """{"winnerId":"a"}""")]
    [InlineData("CombatEnded", "{}")]
    public void Valid_payloads_are_accepted(string eventType, string payload) => Assert.Empty(Combat.Errors(eventType, payload));

    [Theory]
    [InlineData("DamageDealt", """{"attackerId":"a","targetId":"b","amount":0}""", "amount: must be greater than 0")]
    [InlineData("DamageDealt", """{"attackerId":"a","targetId":"b","amount":-5}""", "amount: must be greater than 0")]
    [InlineData("DamageDealt", """{"attackerId":"a","amount":5}""", "targetId: is required")]
    [InlineData("DamageDealt", """{"attackerId":"a","targetId":"b","amount":"lots"}""", "amount: has the wrong type")]
    [InlineData("CombatStarted", """{"sessionId":"s1"}""", "mode: is required")]
    [InlineData("CombatantJoined", """{"playerId":null}""", "playerId: must not be null")]
    public void Invalid_payloads_name_the_field(string eventType, string payload, string expected) =>
        Assert.Equal(expected.Split('|'), Combat.Errors(eventType, payload));

    // A null participant passes the payload's shape; the combat_session_stats projection then fails on it forever
    // (a null dictionary key), so the event could only be dead-lettered. It must be refused at append.
    [Fact]
    public void A_null_participant_is_refused_at_append()
    {
        var errors = Combat.Errors("CombatStarted", """{"sessionId":"s1","mode":"duel","participants":["a",null]}""");

        Assert.Contains(errors, e => e.StartsWith("participants", StringComparison.Ordinal));
    }

    [Fact]
    public void A_realistic_history_folds_into_the_documented_state()
    {
        Json.Equal("""
            {"sessionId":"session_007","mode":"duel","status":"ended","participants":["player_001","player_002","player_003"],
             "defeated":["player_002"],"totalDamage":140,"winnerId":"player_001"}
            """, Combat.Fold(GameHistories.CombatSession().Events));
    }

    [Fact]
    public void Damage_makes_both_players_participants_once()
    {
        var state = Combat.Fold(
            ("CombatStarted", """{"sessionId":"s1","mode":"duel","participants":["a"]}"""),
            ("DamageDealt", """{"attackerId":"a","targetId":"b","amount":3}"""),
            ("DamageDealt", """{"attackerId":"b","targetId":"a","amount":4}"""),
            ("CombatantJoined", """{"playerId":"b"}"""),
            ("CombatantDefeated", """{"playerId":"b"}"""),
            ("CombatantDefeated", """{"playerId":"b"}"""));

        Json.Equal("""["a","b"]""", state["participants"]);
        Json.Equal("""["b"]""", state["defeated"]);
        Assert.Equal(7, state["totalDamage"]!.GetValue<long>());
        Assert.Equal("in_progress", state["status"]!.GetValue<string>());
    }

    [Fact]
    public void A_start_arriving_after_the_end_keeps_the_session_ended()
    {
        var state = Combat.Fold(
            ("DamageDealt", """{"attackerId":"a","targetId":"b","amount":10}"""),
            ("CombatEnded", """{"winnerId":"a"}"""),
            ("CombatStarted", """{"sessionId":"s1","mode":"duel","participants":["b","c"]}"""));

        Json.Equal("""
            {"sessionId":"s1","mode":"duel","status":"ended","participants":["a","b","c"],"defeated":[],"totalDamage":10,"winnerId":"a"}
            """, state);
    }
}
