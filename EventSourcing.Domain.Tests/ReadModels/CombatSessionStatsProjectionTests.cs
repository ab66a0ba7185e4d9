using EventSourcing.Domain.ReadModels;
using EventSourcing.Domain.Tests.Support;

namespace EventSourcing.Domain.Tests.ReadModels;

[Trait("Category", "Unit")]
public sealed class CombatSessionStatsProjectionTests
{
    private static readonly IReadModelProjection Stats = Projections.Named("combat_session_stats");

    [Fact]
    public void A_realistic_history_gives_the_documented_document()
    {
        var document = Stats.Fold(GameHistories.CombatSession());

        Json.Equal("""
            {"sessionId":"session_007","mode":"duel","status":"ended",
             "combatants":{
               "player_001":{"damageDealt":55,"damageTaken":55,"defeats":0,"defeated":false},
               "player_002":{"damageDealt":55,"damageTaken":85,"defeats":0,"defeated":true},
               "player_003":{"damageDealt":30,"damageTaken":0,"defeats":1,"defeated":false}},
             "totalDamage":140,"topDamageDealer":"player_002","winnerId":"player_001",
             "startedAt":"2024-12-27T16:00:00Z","endedAt":"2024-12-27T16:01:32.25Z","durationSeconds":92.25}
            """, document);
        Assert.Equal("session_007", Stats.IdOf(GameHistories.CombatId, document));
    }

    [Fact]
    public void The_duration_is_known_once_the_session_ended()
    {
        var running = Stats.Fold(GameHistories.CombatSession(), count: 7);

        Assert.Equal("in_progress", running["status"]!.GetValue<string>());
        Assert.Equal("2024-12-27T16:00:00Z", running["startedAt"]!.GetValue<string>());
        Assert.Null(running["endedAt"]);
        Assert.Null(running["durationSeconds"]);
    }

    [Fact]
    public void The_top_damage_dealer_has_dealt_the_most_and_a_tie_keeps_the_first_to_get_there()
    {
        var tie = Stats.Fold(
            ("DamageDealt", """{"attackerId":"a","targetId":"b","amount":10}"""),
            ("DamageDealt", """{"attackerId":"b","targetId":"a","amount":10}"""));
        var overtaken = Stats.Fold(
            ("DamageDealt", """{"attackerId":"a","targetId":"b","amount":10}"""),
            ("DamageDealt", """{"attackerId":"b","targetId":"a","amount":11}"""));

        Assert.Equal("a", tie["topDamageDealer"]!.GetValue<string>());
        Assert.Equal("b", overtaken["topDamageDealer"]!.GetValue<string>());
    }

    [Fact]
    public void A_defeat_without_a_victor_credits_nobody()
    {
        var document = Stats.Fold(("CombatStarted", """{"sessionId":"s","mode":"raid","participants":["a","b"]}"""), ("CombatantDefeated", """{"playerId":"a"}"""));

        Json.Equal("""
            {"a":{"damageDealt":0,"damageTaken":0,"defeats":0,"defeated":true},"b":{"damageDealt":0,"damageTaken":0,"defeats":0,"defeated":false}}
            """, document["combatants"]);
    }

    [Fact]
    public void The_id_is_the_aggregate_id_until_the_session_id_is_known()
    {
        var document = Stats.Fold(("CombatantJoined", """{"playerId":"a"}"""));

        Assert.Equal(GameHistories.CombatId.ToString(), Stats.IdOf(GameHistories.CombatId, document));
    }
}
