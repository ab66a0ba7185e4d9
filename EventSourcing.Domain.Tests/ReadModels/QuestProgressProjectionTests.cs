using EventSourcing.Domain.ReadModels;
using EventSourcing.Domain.Tests.Support;

namespace EventSourcing.Domain.Tests.ReadModels;

[Trait("Category", "Unit")]
public sealed class QuestProgressProjectionTests
{
    private static readonly IReadModelProjection Progress = Projections.Named("quest_progress");

    private const string ThreeObjectives = """
        {"questId":"q","title":"t","objectives":[{"id":"a","description":"A"},{"id":"b","description":"B"},{"id":"c","description":"C"}]}
        """;

    [Fact]
    public void A_realistic_history_gives_the_documented_document()
    {
        var document = Progress.Fold(GameHistories.Quest());

        Json.Equal("""
            {"questId":"quest_042","title":"The Lost Key","status":"in_progress","progress":0.6667,
             "objectives":[
               {"id":"find_map","description":"Find the map","completed":true},
               {"id":"find_key","description":"Find the key","completed":true},
               {"id":"open_vault","description":"Open the vault","completed":false}],
             "participants":["player_001","player_002"]}
            """, document);
        Assert.Equal("quest_042", Progress.IdOf(GameHistories.QuestId, document));
    }

    [Fact]
    public void Completing_every_objective_and_the_quest_gives_progress_1()
    {
        var history = GameHistories.Quest()
            .Then("QuestObjectiveCompleted", """{"objectiveId":"open_vault"}""")
            .Then("QuestCompleted", "{}");

        var document = Progress.Fold(history);

        Assert.Equal(1, document["progress"]!.GetValue<double>());
        Assert.Equal("completed", document["status"]!.GetValue<string>());
    }

    [Fact]
    public void Progress_is_completed_objectives_over_objectives()
    {
        Assert.Equal(0, Progress.Fold(("QuestStarted", ThreeObjectives))["progress"]!.GetValue<double>());
        Assert.Equal(0.3333, Progress.Fold(("QuestStarted", ThreeObjectives), ("QuestObjectiveCompleted", """{"objectiveId":"b"}"""))["progress"]!.GetValue<double>());
        Assert.Equal(0, Progress.Fold(("QuestStarted", """{"questId":"q","title":"t","objectives":[]}"""))["progress"]!.GetValue<double>());
    }

    [Fact]
    public void An_objective_completed_before_the_start_counts_once_the_start_names_the_others()
    {
        var early = Progress.Fold(("QuestObjectiveCompleted", """{"objectiveId":"c"}"""));
        var started = Progress.Fold(("QuestObjectiveCompleted", """{"objectiveId":"c"}"""), ("QuestStarted", ThreeObjectives));

        Assert.Equal(1, early["progress"]!.GetValue<double>());
        Assert.Equal("not_started", early["status"]!.GetValue<string>());
        Assert.Equal(0.3333, started["progress"]!.GetValue<double>());
        Assert.Equal("in_progress", started["status"]!.GetValue<string>());
        Assert.Equal(3, started["objectives"]!.AsArray().Count);
    }

    [Fact]
    public void A_failed_quest_is_failed()
    {
        Assert.Equal("failed", Progress.Fold(("QuestStarted", ThreeObjectives), ("QuestFailed", """{"reason":"timeout"}"""))["status"]!.GetValue<string>());
    }

    [Fact]
    public void The_id_is_the_aggregate_id_until_the_quest_id_is_known()
    {
        var document = Progress.Fold(("QuestParticipantJoined", """{"playerId":"p"}"""));

        Assert.Equal(GameHistories.QuestId.ToString(), Progress.IdOf(GameHistories.QuestId, document));
    }
}
