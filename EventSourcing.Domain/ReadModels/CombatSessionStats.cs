using System.Text.Json.Nodes;
using EventSourcing.Domain.Events;
using EventSourcing.Domain.Game;

namespace EventSourcing.Domain.ReadModels;

public sealed class CombatantStats
{
    public long DamageDealt { get; set; }
    public long DamageTaken { get; set; }
    public int Defeats { get; set; }
    public bool Defeated { get; set; }
}

public sealed class CombatSessionStats
{
    public string? SessionId { get; set; }
    public string? Mode { get; set; }
    public string Status { get; set; } = "not_started";
    public Dictionary<string, CombatantStats> Combatants { get; set; } = [];
    public long TotalDamage { get; set; }
    public string? TopDamageDealer { get; set; }
    public string? WinnerId { get; set; }
    public string? StartedAt { get; set; }
    public string? EndedAt { get; set; }
    public double? DurationSeconds { get; set; }
}

/// <summary>combat_session_stats: per combatant damage dealt/taken and defeats, the top damage dealer, the duration.</summary>
public sealed class CombatSessionStatsProjection : ReadModelProjection<CombatSessionStats>
{
    public CombatSessionStatsProjection()
    {
        On<CombatStarted>((d, e, stored) =>
        {
            (d.SessionId, d.Mode, d.StartedAt) = (e.SessionId, e.Mode, EventJson.Timestamp(stored.OccurredAt));
            d.Status = d.Status == "not_started" ? "in_progress" : d.Status;
            foreach (var player in e.Participants ?? [])
            {
                Combatant(d, player);
            }

            d.DurationSeconds = Duration(d);
        });
        On<CombatantJoined>((d, e, _) => Combatant(d, e.PlayerId));
        On<DamageDealt>((d, e, _) =>
        {
            Combatant(d, e.AttackerId).DamageDealt += e.Amount;
            Combatant(d, e.TargetId).DamageTaken += e.Amount;
            d.TotalDamage += e.Amount;
            // Most damage wins; a tie keeps the combatant that got there first.
            if (d.TopDamageDealer is null || d.Combatants[e.AttackerId].DamageDealt > d.Combatants[d.TopDamageDealer].DamageDealt)
            {
                d.TopDamageDealer = e.AttackerId;
            }
        });
        On<CombatantDefeated>((d, e, _) =>
        {
            Combatant(d, e.PlayerId).Defeated = true;
            if (e.DefeatedBy is { Length: > 0 } by)
            {
                Combatant(d, by).Defeats++;
            }
        });
        On<CombatEnded>((d, e, stored) =>
        {
            (d.Status, d.WinnerId, d.EndedAt) = ("ended", e.WinnerId, EventJson.Timestamp(stored.OccurredAt));
            d.DurationSeconds = Duration(d);
        });
    }

    public override string ModelName => "combat_session_stats";

    public override string AggregateType => "combat_session";

    public override string IdOf(Guid aggregateId, JsonObject document) => NaturalIdOr(aggregateId, document, "sessionId");

    private static CombatantStats Combatant(CombatSessionStats d, string playerId)
    {
        if (!d.Combatants.TryGetValue(playerId, out var stats))
        {
            d.Combatants[playerId] = stats = new CombatantStats();
        }

        return stats;
    }

    private static double? Duration(CombatSessionStats d) =>
        d.StartedAt is { } start && d.EndedAt is { } end
            ? Math.Round((DateTimeOffset.Parse(end, System.Globalization.CultureInfo.InvariantCulture) - DateTimeOffset.Parse(start, System.Globalization.CultureInfo.InvariantCulture)).TotalSeconds, 3)
            : null;
}
