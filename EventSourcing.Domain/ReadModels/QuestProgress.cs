using System.Text.Json.Nodes;
using EventSourcing.Domain.Game;

namespace EventSourcing.Domain.ReadModels;

public sealed class QuestProgress
{
    public string? QuestId { get; set; }
    public string? Title { get; set; }
    public string Status { get; set; } = "not_started";
    public double Progress { get; set; }
    public List<QuestObjectiveState> Objectives { get; set; } = [];
    public List<string> Participants { get; set; } = [];
}

/// <summary>quest_progress, as the seed shows it; id = the questId once known; progress = completed / objectives.</summary>
public sealed class QuestProgressProjection : ReadModelProjection<QuestProgress>
{
    public QuestProgressProjection()
    {
        On<QuestStarted>((d, e, _) =>
        {
            (d.QuestId, d.Title) = (e.QuestId, e.Title);
            d.Status = d.Status == "not_started" ? "in_progress" : d.Status;
            foreach (var objective in e.Objectives)
            {
                QuestObjectives.Find(d.Objectives, objective.Id).Description = objective.Description;
            }

            d.Progress = Progress(d);
        });
        On<QuestParticipantJoined>((d, e, _) => d.Participants.AddOnce(e.PlayerId));
        On<QuestObjectiveCompleted>((d, e, _) =>
        {
            QuestObjectives.Find(d.Objectives, e.ObjectiveId).Completed = true;
            d.Progress = Progress(d);
        });
        On<QuestCompleted>((d, _, _) => d.Status = "completed");
        On<QuestFailed>((d, _, _) => d.Status = "failed");
    }

    public override string ModelName => "quest_progress";

    public override string AggregateType => "quest";

    public override string IdOf(Guid aggregateId, JsonObject document) => NaturalIdOr(aggregateId, document, "questId");

    private static double Progress(QuestProgress d) =>
        d.Objectives.Count == 0 ? 0 : Math.Round((double)d.Objectives.Count(o => o.Completed) / d.Objectives.Count, 4);
}
