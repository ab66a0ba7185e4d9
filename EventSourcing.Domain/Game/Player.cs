using EventSourcing.Domain.Aggregates;

namespace EventSourcing.Domain.Game;

public sealed record PlayerCreated(string PlayerId, string Name);

public sealed record PlayerRenamed(string Name);

public sealed record PlayerLevelUp(int NewLevel, long ExperienceGained = 0);

/// <summary>v1 of ExperienceGained: only the amount.</summary>
public sealed record ExperienceGainedV1(long Amount);

/// <summary>v2 of ExperienceGained: where the experience came from (v1 events replay as source "unknown").</summary>
public sealed record ExperienceGained(long Amount, string Source);

public sealed record ItemAcquired(string ItemId);

public sealed record ItemRemoved(string ItemId);

public sealed record AchievementUnlocked(string AchievementId);

public sealed record EnemyKilled(string Weapon);

public sealed record PlayerDied;

public sealed class PlayerState
{
    public string? PlayerId { get; set; }
    public string? Name { get; set; }
    public int Level { get; set; }
    public long Experience { get; set; }
    public List<string> Inventory { get; set; } = [];
    public List<string> Achievements { get; set; } = [];
}

public sealed class PlayerAggregate : AggregateDefinition<PlayerState>
{
    public PlayerAggregate()
    {
        On<PlayerCreated>((s, e) => (s.PlayerId, s.Name) = (e.PlayerId, e.Name));
        On<PlayerRenamed>((s, e) => s.Name = e.Name);
        On<PlayerLevelUp>((s, e) =>
        {
            s.Level = e.NewLevel;
            s.Experience += e.ExperienceGained;
        });
        On<ExperienceGained>(2, (s, e) => s.Experience += e.Amount);
        Upcast<ExperienceGainedV1, ExperienceGained>(1, 2, v1 => new ExperienceGained(v1.Amount, "unknown"));
        On<ItemAcquired>((s, e) => s.Inventory.Add(e.ItemId));
        On<ItemRemoved>((s, e) => s.Inventory.Remove(e.ItemId));
        On<AchievementUnlocked>((s, e) => s.Achievements.AddOnce(e.AchievementId));
        // Kills and deaths are counted by the player_summary read model, not kept in the aggregate's state.
        On<EnemyKilled>((_, _) => { });
        On<PlayerDied>((_, _) => { });
    }

    public override string AggregateType => "player";
}
