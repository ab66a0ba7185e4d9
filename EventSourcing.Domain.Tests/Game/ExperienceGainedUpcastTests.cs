namespace EventSourcing.Domain.Tests.Game;

/// <summary>ExperienceGained v1 {amount} is upcast to v2 {amount, source: "unknown"}: stored v1 events still replay.</summary>
public sealed class ExperienceGainedUpcastTests
{
    private static readonly Aggregate Player = new("player");
    private static readonly Guid Id = Guid.Parse("550e8400-e29b-41d4-a716-446655440001");

    [Fact]
    public void A_stored_v1_event_folds_like_v2_with_source_unknown()
    {
        var v1 = Player.Definition.Fold(Id, null, [History.Event(Id, "player", 1, "ExperienceGained", """{"amount":750}""", eventVersion: 1)]);
        var v2 = Player.Definition.Fold(Id, null, [History.Event(Id, "player", 1, "ExperienceGained", """{"amount":750,"source":"unknown"}""", eventVersion: 2)]);

        Json.Equal(v2, v1);
        Assert.Equal(750, v1.GetProperty("experience").GetInt64());
    }

    [Fact]
    public void V1_and_v2_events_mixed_accumulate()
    {
        var state = Player.Definition.Fold(Id, null,
        [
            History.Event(Id, "player", 1, "ExperienceGained", """{"amount":100}""", eventVersion: 1),
            History.Event(Id, "player", 2, "ExperienceGained", """{"amount":250,"source":"quest_reward"}""", eventVersion: 2),
            History.Event(Id, "player", 3, "PlayerLevelUp", """{"newLevel":2,"experienceGained":1000}"""),
            History.Event(Id, "player", 4, "ExperienceGained", """{"amount":50}""", eventVersion: 1),
        ]);

        Assert.Equal(1400, state.GetProperty("experience").GetInt64());
    }

    [Fact]
    public void A_v1_payload_needs_only_the_amount_and_v2_needs_the_source()
    {
        Assert.Empty(Player.Errors("ExperienceGained", """{"amount":100}""", eventVersion: 1));
        Assert.Equal(["amount: is required"], Player.Errors("ExperienceGained", "{}", eventVersion: 1));
        Assert.Equal(["source: is required"], Player.Errors("ExperienceGained", """{"amount":100}""", eventVersion: 2));
    }

    [Fact]
    public void A_v1_event_upcast_in_the_middle_of_a_snapshot_fold_still_counts()
    {
        var snapshot = Player.Definition.Fold(Id, null, [History.Event(Id, "player", 1, "ExperienceGained", """{"amount":100}""", eventVersion: 1)]);

        var state = Player.Definition.Fold(Id, snapshot, [History.Event(Id, "player", 2, "ExperienceGained", """{"amount":20}""", eventVersion: 1)]);

        Assert.Equal(120, state.GetProperty("experience").GetInt64());
    }
}
