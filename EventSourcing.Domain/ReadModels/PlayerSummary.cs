using System.Text.Json.Nodes;
using EventSourcing.Domain.Events;
using EventSourcing.Domain.Game;

namespace EventSourcing.Domain.ReadModels;

public sealed class PlayerSummary
{
    public string? PlayerId { get; set; }
    public string? Name { get; set; }
    public int Level { get; set; }
    public long Experience { get; set; }
    public long TotalKills { get; set; }
    public long TotalDeaths { get; set; }
    public double KdRatio { get; set; }
    public string Rank { get; set; } = "Bronze";
    public string? FavoriteWeapon { get; set; }
    public Dictionary<string, long> KillsByWeapon { get; set; } = [];
    public string? LastSeen { get; set; }
}

/// <summary>player_summary, as the seed shows it; id = the playerId once known, else the aggregate id.</summary>
public sealed class PlayerSummaryProjection : ReadModelProjection<PlayerSummary>
{
    public PlayerSummaryProjection()
    {
        On<PlayerCreated>((d, e, _) => (d.PlayerId, d.Name) = (e.PlayerId, e.Name));
        On<PlayerRenamed>((d, e, _) => d.Name = e.Name);
        On<PlayerLevelUp>((d, e, _) =>
        {
            d.Level = e.NewLevel;
            d.Experience += e.ExperienceGained;
            d.Rank = RankFor(d.Level);
        });
        // Both schema versions carry the amount, which is all this model needs.
        On<ExperienceGainedV1>(nameof(ExperienceGained), (d, e, _) => d.Experience += e.Amount);
        On<EnemyKilled>((d, e, _) =>
        {
            d.TotalKills++;
            d.KillsByWeapon[e.Weapon] = d.KillsByWeapon.GetValueOrDefault(e.Weapon) + 1;
            // Most kills wins; a tie keeps the weapon that got there first.
            if (d.FavoriteWeapon is null || d.KillsByWeapon[e.Weapon] > d.KillsByWeapon.GetValueOrDefault(d.FavoriteWeapon))
            {
                d.FavoriteWeapon = e.Weapon;
            }

            d.KdRatio = Ratio(d);
        });
        On<PlayerDied>((d, _, _) =>
        {
            d.TotalDeaths++;
            d.KdRatio = Ratio(d);
        });
    }

    public override string ModelName => "player_summary";

    public override string AggregateType => "player";

    public override string IdOf(Guid aggregateId, JsonObject document) => NaturalIdOr(aggregateId, document, "playerId");

    protected override void Touch(PlayerSummary document, StoredEvent e) => document.LastSeen = EventJson.Timestamp(e.OccurredAt);

    private static double Ratio(PlayerSummary d) => Math.Round((double)d.TotalKills / Math.Max(d.TotalDeaths, 1), 3);

    private static string RankFor(int level) => level switch
    {
        >= 50 => "Master",
        >= 25 => "Diamond",
        >= 15 => "Platinum",
        >= 10 => "Gold",
        >= 5 => "Silver",
        _ => "Bronze",
    };
}
