using EventSourcing.Domain.Aggregates;

namespace EventSourcing.Domain.Game;

public sealed record QuestObjective(string Id, string Description);

public sealed record QuestStarted(string QuestId, string Title, IReadOnlyList<QuestObjective> Objectives) : IValidatableEvent
{
    public IEnumerable<KeyValuePair<string, string>> Errors() => EventRules.NoNullItems("objectives", Objectives);
}

public sealed record QuestParticipantJoined(string PlayerId);

public sealed record QuestObjectiveCompleted(string ObjectiveId);

public sealed record QuestCompleted;

public sealed record QuestFailed(string Reason);

public sealed class QuestObjectiveState
{
    public required string Id { get; set; }
    public string? Description { get; set; }
    public bool Completed { get; set; }
}

public sealed class QuestState
{
    public string? QuestId { get; set; }
    public string? Title { get; set; }
    public string Status { get; set; } = "not_started";
    public List<QuestObjectiveState> Objectives { get; set; } = [];
    public List<string> Participants { get; set; } = [];
    public string? FailureReason { get; set; }
}

public sealed class QuestAggregate : AggregateDefinition<QuestState>
{
    public QuestAggregate()
    {
        On<QuestStarted>((s, e) =>
        {
            (s.QuestId, s.Title) = (e.QuestId, e.Title);
            s.Status = s.Status == "not_started" ? "in_progress" : s.Status;
            foreach (var objective in e.Objectives)
            {
                QuestObjectives.Find(s.Objectives, objective.Id).Description = objective.Description;
            }
        });
        On<QuestParticipantJoined>((s, e) => s.Participants.AddOnce(e.PlayerId));
        // Any order: an objective completed before the start event arrives is remembered as completed.
        On<QuestObjectiveCompleted>((s, e) => QuestObjectives.Find(s.Objectives, e.ObjectiveId).Completed = true);
        On<QuestCompleted>((s, _) => s.Status = "completed");
        On<QuestFailed>((s, e) => (s.Status, s.FailureReason) = ("failed", e.Reason));
    }

    public override string AggregateType => "quest";
}

/// <summary>Objectives may be completed before the quest's start names them: find one, or add it.</summary>
public static class QuestObjectives
{
    public static QuestObjectiveState Find(List<QuestObjectiveState> objectives, string id)
    {
        var objective = objectives.Find(o => o.Id == id);
        if (objective is null)
        {
            objective = new QuestObjectiveState { Id = id };
            objectives.Add(objective);
        }

        return objective;
    }
}
