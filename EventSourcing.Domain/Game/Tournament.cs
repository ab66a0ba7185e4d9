using EventSourcing.Domain.Aggregates;

namespace EventSourcing.Domain.Game;

public sealed record TournamentCreated(string TournamentId, string Name, int MaxParticipants) : IValidatableEvent
{
    public IEnumerable<KeyValuePair<string, string>> Errors() =>
        MaxParticipants >= 2 ? [] : [new("maxParticipants", "must be at least 2")];
}

public sealed record TournamentPlayerRegistered(string PlayerId);

public sealed record TournamentMatchPlayed(int Round, string WinnerId, string LoserId) : IValidatableEvent
{
    public IEnumerable<KeyValuePair<string, string>> Errors() =>
        EventRules.Positive("round", Round).Concat(WinnerId == LoserId ? [new("loserId", "must differ from winnerId")] : []);
}

public sealed record TournamentCompleted(string WinnerId);

public sealed record TournamentMatch(int Round, string WinnerId, string LoserId);

public sealed class TournamentState
{
    public string? TournamentId { get; set; }
    public string? Name { get; set; }
    public int MaxParticipants { get; set; }
    public string Status { get; set; } = "registration";
    public List<string> Participants { get; set; } = [];
    public List<TournamentMatch> Matches { get; set; } = [];
    public int Round { get; set; }
    public string? WinnerId { get; set; }
}

/// <summary>A bracket: registration, matches round by round, a champion.</summary>
public sealed class TournamentAggregate : AggregateDefinition<TournamentState>
{
    public TournamentAggregate()
    {
        On<TournamentCreated>((s, e) => (s.TournamentId, s.Name, s.MaxParticipants) = (e.TournamentId, e.Name, e.MaxParticipants));
        On<TournamentPlayerRegistered>((s, e) => s.Participants.AddOnce(e.PlayerId));
        On<TournamentMatchPlayed>((s, e) =>
        {
            s.Matches.Add(new TournamentMatch(e.Round, e.WinnerId, e.LoserId));
            s.Round = Math.Max(s.Round, e.Round);
            s.Status = s.Status == "registration" ? "in_progress" : s.Status;
        });
        On<TournamentCompleted>((s, e) => (s.Status, s.WinnerId) = ("completed", e.WinnerId));
    }

    public override string AggregateType => "tournament";
}
