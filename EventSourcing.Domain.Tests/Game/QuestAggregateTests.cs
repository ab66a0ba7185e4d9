using EventSourcing.Domain.Tests.Support;

namespace EventSourcing.Domain.Tests.Game;

[Trait("Category", "Unit")]
public sealed class QuestAggregateTests
{
    private static readonly Aggregate Quest = new("quest");

    private const string Started = """
        {"questId":"quest_042","title":"The Lost Key","objectives":[
          {"id":"find_map","description":"Find the map"},{"id":"find_key","description":"Find the key"}]}
        """;

    [Fact]
    public void The_catalog_registers_the_documented_quest_events() =>
        Assert.Equal(
            ["QuestCompleted", "QuestFailed", "QuestObjectiveCompleted", "QuestParticipantJoined", "QuestStarted"],
            Quest.Definition.EventTypes.Order(StringComparer.Ordinal));

    [Theory]
    [InlineData("QuestStarted", Started)]
    [InlineData("QuestStarted", """{"questId":"q","title":"No objectives yet","objectives":[]}""")]
    [InlineData("QuestParticipantJoined", """{"playerId":"player_001"}""")]
    [InlineData("QuestObjectiveCompleted", """{"objectiveId":"find_map"}""")]
    [InlineData("QuestCompleted", "{}")]
    [InlineData("QuestFailed", """{"reason":"timeout"}""")]
    public void Valid_payloads_are_accepted(string eventType, string payload) => Assert.Empty(Quest.Errors(eventType, payload));

    [Theory]
    [InlineData("QuestStarted", """{"questId":"q","title":"t"}""", "objectives: is required")]
    [InlineData("QuestStarted", """{"questId":"q","title":"t","objectives":null}""", "objectives: must not be null")]
    [InlineData("QuestStarted", """{"questId":"q","title":"t","objectives":[{"id":"a","description":"x"},{"id":"b"}]}""", "objectives[1].description: is required")]
    [InlineData("QuestStarted", """{"questId":"q","title":"t","objectives":"find the key"}""", "objectives: has the wrong type")]
    [InlineData("QuestObjectiveCompleted", """{"objectiveId":5}""", "objectiveId: has the wrong type")]
    [InlineData("QuestFailed", "{}", "reason: is required")]
    public void Invalid_payloads_name_the_field(string eventType, string payload, string expected) =>
        Assert.Equal(expected.Split('|'), Quest.Errors(eventType, payload));

    // A null objective passes the payload's shape; the fold then dereferences it (a quest whose state can never be
    // read again, and a quest_progress document that can never be built). It must be refused at append.
    [Fact]
    public void A_null_objective_is_refused_at_append()
    {
        var errors = Quest.Errors("QuestStarted", """{"questId":"q","title":"t","objectives":[null]}""");

        Assert.Contains(errors, e => e.StartsWith("objectives", StringComparison.Ordinal));
    }

    [Fact]
    public void A_quest_that_has_not_started_has_the_documented_empty_state() =>
        Json.Equal("""{"questId":null,"title":null,"status":"not_started","objectives":[],"participants":[],"failureReason":null}""", Quest.Fold([]));

    [Fact]
    public void A_realistic_history_folds_into_the_documented_state()
    {
        Json.Equal("""
            {"questId":"quest_042","title":"The Lost Key","status":"in_progress",
             "objectives":[
               {"id":"find_map","description":"Find the map","completed":true},
               {"id":"find_key","description":"Find the key","completed":true},
               {"id":"open_vault","description":"Open the vault","completed":false}],
             "participants":["player_001","player_002"],"failureReason":null}
            """, Quest.Fold(GameHistories.Quest().Events));
    }

    [Fact]
    public void Completing_and_failing_set_the_status()
    {
        var completed = Quest.Fold(("QuestStarted", Started), ("QuestCompleted", "{}"));
        var failed = Quest.Fold(("QuestStarted", Started), ("QuestFailed", """{"reason":"the vault collapsed"}"""));

        Assert.Equal("completed", completed["status"]!.GetValue<string>());
        Assert.Null(completed["failureReason"]);
        Assert.Equal("failed", failed["status"]!.GetValue<string>());
        Assert.Equal("the vault collapsed", failed["failureReason"]!.GetValue<string>());
    }

    [Fact]
    public void An_objective_completed_before_the_quest_started_is_remembered()
    {
        var state = Quest.Fold(
            ("QuestObjectiveCompleted", """{"objectiveId":"find_key"}"""),
            ("QuestStarted", Started));

        Json.Equal("""
            {"questId":"quest_042","title":"The Lost Key","status":"in_progress",
             "objectives":[
               {"id":"find_key","description":"Find the key","completed":true},
               {"id":"find_map","description":"Find the map","completed":false}],
             "participants":[],"failureReason":null}
            """, state);
    }

    [Theory]
    [InlineData("QuestCompleted", "{}", "completed")]
    [InlineData("QuestFailed", """{"reason":"abandoned"}""", "failed")]
    public void A_start_arriving_after_the_end_keeps_the_end(string eventType, string payload, string status)
    {
        var state = Quest.Fold((eventType, payload), ("QuestStarted", Started));

        Assert.Equal(status, state["status"]!.GetValue<string>());
        Assert.Equal("quest_042", state["questId"]!.GetValue<string>());
    }
}
