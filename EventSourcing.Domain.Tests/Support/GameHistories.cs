namespace EventSourcing.Domain.Tests.Support;

/// <summary>
/// A realistic history of each registered aggregate type (docs/catalog.md): the aggregate tests fold them into the
/// documented state, the read-model tests into the documented documents.
/// </summary>
internal static class GameHistories
{
    /// <summary>The seed's player; every other history has its own fixed id (<see cref="History.AggregateId"/>).</summary>
    public static readonly Guid PlayerId = Guid.Parse("550e8400-e29b-41d4-a716-446655440001");

    /// <summary>The seven registered aggregate types, for theories over all of them.</summary>
    public static TheoryData<string> AggregateTypes => ["player", "quest", "combat_session", "tournament", "guild", "economy", "inventory"];

    public static History For(string aggregateType) => aggregateType switch
    {
        "player" => Player(),
        "quest" => Quest(),
        "combat_session" => CombatSession(),
        "tournament" => Tournament(),
        "guild" => Guild(),
        "economy" => Economy(),
        "inventory" => Inventory(),
        _ => throw new ArgumentOutOfRangeException(nameof(aggregateType), aggregateType, "no history"),
    };

    /// <summary>The seed's CyberNinja: level 25, 12,500 experience, two items, two achievements; 3 kills, 1 death.</summary>
    public static History Player() => new History("player", PlayerId)
        .Then("PlayerCreated", """{"playerId":"player_001","name":"Ninja"}""")
        .Then("PlayerLevelUp", """{"newLevel":5,"experienceGained":500}""")
        .ThenEach("ItemAcquired", "itemId", "sword_001", "armor_002", "potion_003")
        .Then("ItemRemoved", """{"itemId":"potion_003"}""")
        .Then("EnemyKilled", """{"weapon":"cyber_blade"}""")
        .Then("AchievementUnlocked", """{"achievementId":"first_kill"}""")
        .Then("ExperienceGained", """{"amount":1000}""", eventVersion: 1)
        .Then("ExperienceGained", """{"amount":2500,"source":"quest_reward"}""", eventVersion: 2)
        .Then("PlayerDied", "{}")
        .Then("EnemyKilled", """{"weapon":"plasma_rifle"}""")
        .Then("EnemyKilled", """{"weapon":"cyber_blade"}""")
        .Then("PlayerRenamed", """{"name":"CyberNinja"}""")
        .Then("PlayerLevelUp", """{"newLevel":25,"experienceGained":8500}""")
        .Then("AchievementUnlocked", """{"achievementId":"level_25"}""")
        .Then("AchievementUnlocked", """{"achievementId":"first_kill"}""");

    /// <summary>Three objectives, two completed, two participants (one joins twice).</summary>
    public static History Quest() => new History("quest", Guid.Parse("6f1c2a8e-0b4d-4c59-9a57-3d1e2f4a5b01"))
        .Then("QuestStarted", """
            {"questId":"quest_042","title":"The Lost Key","objectives":[
              {"id":"find_map","description":"Find the map"},
              {"id":"find_key","description":"Find the key"},
              {"id":"open_vault","description":"Open the vault"}]}
            """)
        .ThenEach("QuestParticipantJoined", "playerId", "player_001", "player_002", "player_001")
        .ThenEach("QuestObjectiveCompleted", "objectiveId", "find_map", "find_key");

    /// <summary>A three-player fight that ends 92.25 s after it started; player_002 is defeated by player_003.</summary>
    public static History CombatSession() => new History("combat_session", Guid.Parse("6f1c2a8e-0b4d-4c59-9a57-3d1e2f4a5b02"))
        .Then("CombatStarted", """{"sessionId":"session_007","mode":"duel","participants":["player_001","player_002"]}""")
        .Then("CombatantJoined", """{"playerId":"player_003"}""")
        .Then("DamageDealt", """{"attackerId":"player_001","targetId":"player_002","amount":40,"weapon":"cyber_blade"}""")
        .Then("DamageDealt", """{"attackerId":"player_002","targetId":"player_001","amount":55}""")
        .Then("DamageDealt", """{"attackerId":"player_001","targetId":"player_002","amount":15,"weapon":"cyber_blade"}""")
        .Then("DamageDealt", """{"attackerId":"player_003","targetId":"player_002","amount":30}""")
        .Then("CombatantDefeated", """{"playerId":"player_002","defeatedBy":"player_003"}""")
        .Then("CombatEnded", """{"winnerId":"player_001"}""", at: History.T0.AddSeconds(92.25));

    /// <summary>Four players, two rounds, dave wins.</summary>
    public static History Tournament() => new History("tournament", Guid.Parse("6f1c2a8e-0b4d-4c59-9a57-3d1e2f4a5b03"))
        .Then("TournamentCreated", """{"tournamentId":"cup_2024","name":"Winter Cup","maxParticipants":4}""")
        .ThenEach("TournamentPlayerRegistered", "playerId", "alice", "bob", "carol", "dave")
        .Then("TournamentMatchPlayed", """{"round":1,"winnerId":"alice","loserId":"bob"}""")
        .Then("TournamentMatchPlayed", """{"round":1,"winnerId":"dave","loserId":"carol"}""")
        .Then("TournamentMatchPlayed", """{"round":2,"winnerId":"dave","loserId":"alice"}""")
        .Then("TournamentCompleted", """{"winnerId":"dave"}""");

    /// <summary>Founded by alice; bob contributes and leaves; carol becomes leader; alice ends as top contributor.</summary>
    public static History Guild() => new History("guild", Guid.Parse("6f1c2a8e-0b4d-4c59-9a57-3d1e2f4a5b04"))
        .Then("GuildFounded", """{"guildId":"guild_night","name":"Night Watch","leaderId":"alice"}""")
        .ThenEach("GuildMemberJoined", "playerId", "bob", "carol")
        .Then("GuildContributionMade", """{"playerId":"alice","amount":100}""")
        .Then("GuildContributionMade", """{"playerId":"bob","amount":250}""")
        .Then("GuildMemberLeft", """{"playerId":"bob"}""")
        .Then("GuildLeaderChanged", """{"leaderId":"carol"}""")
        .Then("GuildContributionMade", """{"playerId":"carol","amount":250}""")
        .Then("GuildContributionMade", """{"playerId":"alice","amount":200}""");

    /// <summary>Gold earned and spent, gems overspent (a balance below zero is a fact the game decided).</summary>
    public static History Economy() => new History("economy", Guid.Parse("6f1c2a8e-0b4d-4c59-9a57-3d1e2f4a5b05"))
        .Then("WalletOpened", """{"ownerId":"player_001"}""")
        .Then("CurrencyEarned", """{"currency":"gold","amount":500,"source":"quest_reward"}""")
        .Then("CurrencyEarned", """{"currency":"gems","amount":20,"source":"loot"}""")
        .Then("CurrencySpent", """{"currency":"gold","amount":120,"sink":"shop"}""")
        .Then("CurrencyEarned", """{"currency":"gold","amount":80,"source":"loot"}""")
        .Then("CurrencySpent", """{"currency":"gems","amount":25,"sink":"fee"}""");

    /// <summary>A 3-slot bag that briefly holds 4 distinct items; a shield equipped, unequipped and dropped.</summary>
    public static History Inventory() => new History("inventory", Guid.Parse("6f1c2a8e-0b4d-4c59-9a57-3d1e2f4a5b06"))
        .Then("InventoryCreated", """{"ownerId":"player_001","capacity":3}""")
        .Then("InventoryItemAdded", """{"itemId":"potion","quantity":5}""")
        .Then("InventoryItemAdded", """{"itemId":"sword_001"}""")
        .Then("InventoryItemAdded", """{"itemId":"shield_002"}""")
        .Then("InventoryItemEquipped", """{"itemId":"sword_001","slot":"main_hand"}""")
        .Then("InventoryItemEquipped", """{"itemId":"shield_002","slot":"off_hand"}""")
        .Then("InventoryItemRemoved", """{"itemId":"potion","quantity":2}""")
        .Then("InventoryItemUnequipped", """{"slot":"off_hand"}""")
        .Then("InventoryItemAdded", """{"itemId":"gem_red","quantity":2}""")
        .Then("InventoryItemRemoved", """{"itemId":"shield_002"}""");
}
