using EventSourcing.Domain.Aggregates;

namespace EventSourcing.Domain.Game;

public sealed record CombatStarted(string SessionId, string Mode, IReadOnlyList<string>? Participants = null) : IValidatableEvent
{
    public IEnumerable<KeyValuePair<string, string>> Errors() => EventRules.NoNullItems("participants", Participants);
}

public sealed record CombatantJoined(string PlayerId);

public sealed record DamageDealt(string AttackerId, string TargetId, long Amount, string? Weapon = null) : IValidatableEvent
{
    public IEnumerable<KeyValuePair<string, string>> Errors() => EventRules.Positive("amount", Amount);
}

public sealed record CombatantDefeated(string PlayerId, string? DefeatedBy = null);

public sealed record CombatEnded(string? WinnerId = null);

public sealed class CombatSessionState
{
    public string? SessionId { get; set; }
    public string? Mode { get; set; }
    public string Status { get; set; } = "not_started";
    public List<string> Participants { get; set; } = [];
    public List<string> Defeated { get; set; } = [];
    public long TotalDamage { get; set; }
    public string? WinnerId { get; set; }
}

/// <summary>A fight between players (a match, a raid encounter): who took part, damage, defeats, the winner.</summary>
public sealed class CombatSessionAggregate : AggregateDefinition<CombatSessionState>
{
    public CombatSessionAggregate()
    {
        On<CombatStarted>((s, e) =>
        {
            (s.SessionId, s.Mode) = (e.SessionId, e.Mode);
            s.Status = s.Status == "not_started" ? "in_progress" : s.Status;
            foreach (var player in e.Participants ?? [])
            {
                s.Participants.AddOnce(player);
            }
        });
        On<CombatantJoined>((s, e) => s.Participants.AddOnce(e.PlayerId));
        On<DamageDealt>((s, e) =>
        {
            s.Participants.AddOnce(e.AttackerId);
            s.Participants.AddOnce(e.TargetId);
            s.TotalDamage += e.Amount;
        });
        On<CombatantDefeated>((s, e) => s.Defeated.AddOnce(e.PlayerId));
        On<CombatEnded>((s, e) => (s.Status, s.WinnerId) = ("ended", e.WinnerId));
    }

    public override string AggregateType => "combat_session";
}
