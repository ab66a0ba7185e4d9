namespace EventSourcing.Domain.Tests.Game;

/// <summary>
/// The seven registered aggregate types as docs/catalog.md documents them. First what each one documents, one row per
/// aggregate (or per payload): its events, the payloads it accepts and refuses, the state its realistic history
/// (Support/GameHistories) folds into. Then, by aggregate type, what only that aggregate does.
/// </summary>
public sealed class GameAggregateTests
{
    private static readonly Aggregate Player = new("player");
    private static readonly Aggregate Quest = new("quest");
    private static readonly Aggregate Combat = new("combat_session");
    private static readonly Aggregate Tournament = new("tournament");
    private static readonly Aggregate Guild = new("guild");
    private static readonly Aggregate Economy = new("economy");
    private static readonly Aggregate Inventory = new("inventory");

    private const string QuestStarted = """
        {"questId":"quest_042","title":"The Lost Key","objectives":[
          {"id":"find_map","description":"Find the map"},{"id":"find_key","description":"Find the key"}]}
        """;

    public static TheoryData<string, string[]> DocumentedEvents => new()
    {
        { "player", ["AchievementUnlocked", "EnemyKilled", "ExperienceGained", "ItemAcquired", "ItemRemoved", "PlayerCreated", "PlayerDied", "PlayerLevelUp", "PlayerRenamed"] },
        { "quest", ["QuestCompleted", "QuestFailed", "QuestObjectiveCompleted", "QuestParticipantJoined", "QuestStarted"] },
        { "combat_session", ["CombatEnded", "CombatStarted", "CombatantDefeated", "CombatantJoined", "DamageDealt"] },
        { "tournament", ["TournamentCompleted", "TournamentCreated", "TournamentMatchPlayed", "TournamentPlayerRegistered"] },
        { "guild", ["GuildContributionMade", "GuildFounded", "GuildLeaderChanged", "GuildMemberJoined", "GuildMemberLeft"] },
        { "economy", ["CurrencyEarned", "CurrencySpent", "WalletOpened"] },
        { "inventory", ["InventoryCreated", "InventoryItemAdded", "InventoryItemEquipped", "InventoryItemRemoved", "InventoryItemUnequipped"] },
    };

    [Theory]
    [MemberData(nameof(DocumentedEvents))]
    public void The_catalog_registers_the_documented_events(string aggregateType, string[] eventTypes)
    {
        var definition = new Aggregate(aggregateType).Definition;

        Assert.Equal(eventTypes, definition.EventTypes.Order(StringComparer.Ordinal));
        Assert.Equal(aggregateType, definition.AggregateType);
    }

    [Theory]
    [InlineData("player", "PlayerCreated", 1, """{"playerId":"player_001","name":"CyberNinja"}""")]
    [InlineData("player", "PlayerCreated", 1, """{"playerId":"player_001","name":"CyberNinja","clan":"extra fields are ignored"}""")]
    [InlineData("player", "PlayerRenamed", 1, """{"name":"Neo"}""")]
    [InlineData("player", "PlayerLevelUp", 1, """{"newLevel":25,"experienceGained":1500}""")]
    [InlineData("player", "PlayerLevelUp", 1, """{"newLevel":2}""")]
    [InlineData("player", "ExperienceGained", 2, """{"amount":100,"source":"quest_reward"}""")]
    [InlineData("player", "ExperienceGained", 1, """{"amount":100}""")]
    [InlineData("player", "ItemAcquired", 1, """{"itemId":"sword_001"}""")]
    [InlineData("player", "ItemRemoved", 1, """{"itemId":"sword_001"}""")]
    [InlineData("player", "AchievementUnlocked", 1, """{"achievementId":"first_kill"}""")]
    [InlineData("player", "EnemyKilled", 1, """{"weapon":"cyber_blade"}""")]
    [InlineData("player", "PlayerDied", 1, "{}")]
    [InlineData("quest", "QuestStarted", 1, QuestStarted)]
    [InlineData("quest", "QuestStarted", 1, """{"questId":"q","title":"No objectives yet","objectives":[]}""")]
    [InlineData("quest", "QuestParticipantJoined", 1, """{"playerId":"player_001"}""")]
    [InlineData("quest", "QuestObjectiveCompleted", 1, """{"objectiveId":"find_map"}""")]
    [InlineData("quest", "QuestCompleted", 1, "{}")]
    [InlineData("quest", "QuestFailed", 1, """{"reason":"timeout"}""")]
    [InlineData("combat_session", "CombatStarted", 1, """{"sessionId":"s1","mode":"duel","participants":["a","b"]}""")]
    [InlineData("combat_session", "CombatStarted", 1, """{"sessionId":"s1","mode":"raid"}""")]
    [InlineData("combat_session", "CombatantJoined", 1, """{"playerId":"c"}""")]
    [InlineData("combat_session", "DamageDealt", 1, """{"attackerId":"a","targetId":"b","amount":1,"weapon":"bow"}""")]
    [InlineData("combat_session", "DamageDealt", 1, """{"attackerId":"a","targetId":"b","amount":9000}""")]
    [InlineData("combat_session", "CombatantDefeated", 1, """{"playerId":"b","defeatedBy":"a"}""")]
    [InlineData("combat_session", "CombatantDefeated", 1, """{"playerId":"b"}""")]
    [InlineData("combat_session", "CombatEnded", 1, """{"winnerId":"a"}""")]
    [InlineData("combat_session", "CombatEnded", 1, "{}")]
    [InlineData("tournament", "TournamentCreated", 1, """{"tournamentId":"cup","name":"Cup","maxParticipants":2}""")]
    [InlineData("tournament", "TournamentPlayerRegistered", 1, """{"playerId":"alice"}""")]
    [InlineData("tournament", "TournamentMatchPlayed", 1, """{"round":1,"winnerId":"alice","loserId":"bob"}""")]
    [InlineData("tournament", "TournamentCompleted", 1, """{"winnerId":"alice"}""")]
    [InlineData("guild", "GuildFounded", 1, """{"guildId":"g","name":"Night Watch","leaderId":"alice"}""")]
    [InlineData("guild", "GuildMemberJoined", 1, """{"playerId":"bob"}""")]
    [InlineData("guild", "GuildMemberLeft", 1, """{"playerId":"bob"}""")]
    [InlineData("guild", "GuildLeaderChanged", 1, """{"leaderId":"bob"}""")]
    [InlineData("guild", "GuildContributionMade", 1, """{"playerId":"bob","amount":1}""")]
    [InlineData("economy", "WalletOpened", 1, """{"ownerId":"player_001"}""")]
    [InlineData("economy", "CurrencyEarned", 1, """{"currency":"gold","amount":1,"source":"loot"}""")]
    [InlineData("economy", "CurrencySpent", 1, """{"currency":"gold","amount":1,"sink":"shop"}""")]
    [InlineData("inventory", "InventoryCreated", 1, """{"ownerId":"p","capacity":1}""")]
    [InlineData("inventory", "InventoryItemAdded", 1, """{"itemId":"potion","quantity":5}""")]
    [InlineData("inventory", "InventoryItemAdded", 1, """{"itemId":"potion"}""")]
    [InlineData("inventory", "InventoryItemRemoved", 1, """{"itemId":"potion","quantity":2}""")]
    [InlineData("inventory", "InventoryItemRemoved", 1, """{"itemId":"potion"}""")]
    [InlineData("inventory", "InventoryItemEquipped", 1, """{"itemId":"sword","slot":"main_hand"}""")]
    [InlineData("inventory", "InventoryItemUnequipped", 1, """{"slot":"main_hand"}""")]
    public void Valid_payloads_are_accepted(string aggregateType, string eventType, int eventVersion, string payload) =>
        Assert.Empty(new Aggregate(aggregateType).Errors(eventType, payload, eventVersion));

    /// <summary>The expected errors are "field: message", several separated by '|', in the order Validate gives them.</summary>
    [Theory]
    [InlineData("player", "PlayerCreated", 1, "{}", "playerId: is required|name: is required")]
    [InlineData("player", "PlayerCreated", 1, """{"playerId":"player_001"}""", "name: is required")]
    [InlineData("player", "PlayerCreated", 1, """{"playerId":null,"name":"CyberNinja"}""", "playerId: must not be null")]
    [InlineData("player", "PlayerRenamed", 1, """{"name":42}""", "name: has the wrong type")]
    [InlineData("player", "PlayerLevelUp", 1, """{"newLevel":"high"}""", "newLevel: has the wrong type")]
    [InlineData("player", "PlayerLevelUp", 1, """{"experienceGained":5}""", "newLevel: is required")]
    [InlineData("player", "PlayerLevelUp", 1, """{"newLevel":3000000000}""", "newLevel: has the wrong type")]
    [InlineData("player", "ExperienceGained", 2, """{"amount":5}""", "source: is required")]
    [InlineData("player", "ItemAcquired", 1, "{}", "itemId: is required")]
    [InlineData("player", "EnemyKilled", 1, """{"weapon":null}""", "weapon: must not be null")]
    [InlineData("quest", "QuestStarted", 1, """{"questId":"q","title":"t"}""", "objectives: is required")]
    [InlineData("quest", "QuestStarted", 1, """{"questId":"q","title":"t","objectives":null}""", "objectives: must not be null")]
    [InlineData("quest", "QuestStarted", 1, """{"questId":"q","title":"t","objectives":[{"id":"a","description":"x"},{"id":"b"}]}""", "objectives[1].description: is required")]
    [InlineData("quest", "QuestStarted", 1, """{"questId":"q","title":"t","objectives":"find the key"}""", "objectives: has the wrong type")]
    [InlineData("quest", "QuestObjectiveCompleted", 1, """{"objectiveId":5}""", "objectiveId: has the wrong type")]
    [InlineData("quest", "QuestFailed", 1, "{}", "reason: is required")]
    [InlineData("combat_session", "DamageDealt", 1, """{"attackerId":"a","targetId":"b","amount":0}""", "amount: must be greater than 0")]
    [InlineData("combat_session", "DamageDealt", 1, """{"attackerId":"a","targetId":"b","amount":-5}""", "amount: must be greater than 0")]
    [InlineData("combat_session", "DamageDealt", 1, """{"attackerId":"a","amount":5}""", "targetId: is required")]
    [InlineData("combat_session", "DamageDealt", 1, """{"attackerId":"a","targetId":"b","amount":"lots"}""", "amount: has the wrong type")]
    [InlineData("combat_session", "CombatStarted", 1, """{"sessionId":"s1"}""", "mode: is required")]
    [InlineData("combat_session", "CombatantJoined", 1, """{"playerId":null}""", "playerId: must not be null")]
    [InlineData("tournament", "TournamentCreated", 1, """{"tournamentId":"cup","name":"Cup","maxParticipants":1}""", "maxParticipants: must be at least 2")]
    [InlineData("tournament", "TournamentMatchPlayed", 1, """{"round":1,"winnerId":"alice","loserId":"alice"}""", "loserId: must differ from winnerId")]
    [InlineData("tournament", "TournamentMatchPlayed", 1, """{"round":0,"winnerId":"alice","loserId":"bob"}""", "round: must be greater than 0")]
    [InlineData("tournament", "TournamentMatchPlayed", 1, """{"round":-1,"winnerId":"x","loserId":"x"}""", "round: must be greater than 0|loserId: must differ from winnerId")]
    [InlineData("tournament", "TournamentMatchPlayed", 1, """{"round":1,"winnerId":"alice"}""", "loserId: is required")]
    [InlineData("tournament", "TournamentCompleted", 1, "{}", "winnerId: is required")]
    [InlineData("guild", "GuildContributionMade", 1, """{"playerId":"bob","amount":0}""", "amount: must be greater than 0")]
    [InlineData("guild", "GuildContributionMade", 1, """{"playerId":"bob"}""", "amount: is required")]
    [InlineData("guild", "GuildFounded", 1, """{"guildId":"g","name":"Night Watch"}""", "leaderId: is required")]
    [InlineData("guild", "GuildLeaderChanged", 1, """{"leaderId":["bob"]}""", "leaderId: has the wrong type")]
    [InlineData("economy", "CurrencyEarned", 1, """{"currency":"","amount":5,"source":"loot"}""", "currency: must not be empty")]
    [InlineData("economy", "CurrencyEarned", 1, """{"currency":"   ","amount":5,"source":"loot"}""", "currency: must not be empty")]
    [InlineData("economy", "CurrencyEarned", 1, """{"currency":"gold","amount":0,"source":"loot"}""", "amount: must be greater than 0")]
    [InlineData("economy", "CurrencySpent", 1, """{"currency":"","amount":-3,"sink":"shop"}""", "currency: must not be empty|amount: must be greater than 0")]
    [InlineData("economy", "CurrencySpent", 1, """{"currency":"gold","amount":3}""", "sink: is required")]
    [InlineData("economy", "WalletOpened", 1, "{}", "ownerId: is required")]
    [InlineData("inventory", "InventoryCreated", 1, """{"ownerId":"p","capacity":0}""", "capacity: must be greater than 0")]
    [InlineData("inventory", "InventoryItemAdded", 1, """{"itemId":"potion","quantity":0}""", "quantity: must be greater than 0")]
    [InlineData("inventory", "InventoryItemRemoved", 1, """{"itemId":"potion","quantity":-1}""", "quantity: must be greater than 0")]
    [InlineData("inventory", "InventoryItemEquipped", 1, """{"itemId":"sword"}""", "slot: is required")]
    [InlineData("inventory", "InventoryItemUnequipped", 1, """{"slot":null}""", "slot: must not be null")]
    public void Invalid_payloads_name_the_field(string aggregateType, string eventType, int eventVersion, string payload, string expected) =>
        Assert.Equal(expected.Split('|'), new Aggregate(aggregateType).Errors(eventType, payload, eventVersion));

    // A null list item passes the payload's shape, then breaks what is built from it: a null participant fails the
    // combat_session_stats projection forever (a null dictionary key), so the event could only be dead-lettered; a null
    // objective is dereferenced by the fold (a quest whose state can never be read again, and a quest_progress document
    // that can never be built). Both must be refused at append.
    [Theory]
    [InlineData("combat_session", "CombatStarted", """{"sessionId":"s1","mode":"duel","participants":["a",null]}""", "participants")]
    [InlineData("quest", "QuestStarted", """{"questId":"q","title":"t","objectives":[null]}""", "objectives")]
    public void A_null_list_item_is_refused_at_append(string aggregateType, string eventType, string payload, string field)
    {
        var errors = new Aggregate(aggregateType).Errors(eventType, payload);

        Assert.Contains(errors, e => e.StartsWith(field, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("player", """{"playerId":null,"name":null,"level":0,"experience":0,"inventory":[],"achievements":[]}""")]
    [InlineData("quest", """{"questId":null,"title":null,"status":"not_started","objectives":[],"participants":[],"failureReason":null}""")]
    public void No_events_fold_into_the_documented_empty_state(string aggregateType, string expected) =>
        Json.Equal(expected, new Aggregate(aggregateType).Fold([]));

    public static TheoryData<string, string> DocumentedStates => new()
    {
        // The seed's CyberNinja.
        {
            "player", """
            {"playerId":"player_001","name":"CyberNinja","level":25,"experience":12500,
             "inventory":["sword_001","armor_002"],"achievements":["first_kill","level_25"]}
            """
        },
        {
            "quest", """
            {"questId":"quest_042","title":"The Lost Key","status":"in_progress",
             "objectives":[
               {"id":"find_map","description":"Find the map","completed":true},
               {"id":"find_key","description":"Find the key","completed":true},
               {"id":"open_vault","description":"Open the vault","completed":false}],
             "participants":["player_001","player_002"],"failureReason":null}
            """
        },
        {
            "combat_session", """
            {"sessionId":"session_007","mode":"duel","status":"ended","participants":["player_001","player_002","player_003"],
             "defeated":["player_002"],"totalDamage":140,"winnerId":"player_001"}
            """
        },
        {
            "tournament", """
            {"tournamentId":"cup_2024","name":"Winter Cup","maxParticipants":4,"status":"completed",
             "participants":["alice","bob","carol","dave"],
             "matches":[{"round":1,"winnerId":"alice","loserId":"bob"},{"round":1,"winnerId":"dave","loserId":"carol"},{"round":2,"winnerId":"dave","loserId":"alice"}],
             "round":2,"winnerId":"dave"}
            """
        },
        { "guild", """{"guildId":"guild_night","name":"Night Watch","leaderId":"carol","members":["alice","carol"],"treasury":800}""" },
        // A balance may go below zero: gems are overspent.
        { "economy", """{"ownerId":"player_001","balances":{"gold":460,"gems":-5}}""" },
        {
            "inventory", """
            {"ownerId":"player_001","capacity":3,"items":{"potion":3,"sword_001":1,"gem_red":2},"equipped":{"main_hand":"sword_001"}}
            """
        },
    };

    [Theory]
    [MemberData(nameof(DocumentedStates))]
    public void The_realistic_history_folds_into_the_documented_state(string aggregateType, string expected) =>
        Json.Equal(expected, new Aggregate(aggregateType).Fold(GameHistories.For(aggregateType).Events));

    // player: what only this aggregate does.

    [Theory]
    [InlineData("PlayerTeleported", 1)]
    [InlineData("PlayerLevelUp", 2)]
    public void An_unknown_event_or_version_is_an_eventType_error(string eventType, int eventVersion)
    {
        var error = Assert.Single(Player.Definition.Validate(eventType, eventVersion, EventJson.EmptyObject));

        Assert.Equal("$eventType", error.Key);
        Assert.StartsWith($"'{eventType}' v{eventVersion} is not an event of 'player'", error.Value, StringComparison.Ordinal);
    }

    [Fact]
    public void A_level_up_on_a_new_aggregate_is_accepted()
    {
        // The seed's curl example appends PlayerLevelUp to an aggregate nobody created.
        Json.Equal(
            """{"playerId":null,"name":null,"level":25,"experience":1500,"inventory":[],"achievements":[]}""",
            Player.Fold(("PlayerLevelUp", """{"newLevel":25,"experienceGained":1500}""")));
    }

    [Fact]
    public void Creation_arriving_after_other_events_keeps_what_they_did()
    {
        var state = Player.Fold(
            ("ItemAcquired", """{"itemId":"sword_001"}"""),
            ("PlayerLevelUp", """{"newLevel":3,"experienceGained":300}"""),
            ("PlayerCreated", """{"playerId":"player_009","name":"Late"}"""));

        Json.Equal("""{"playerId":"player_009","name":"Late","level":3,"experience":300,"inventory":["sword_001"],"achievements":[]}""", state);
    }

    [Fact]
    public void The_level_is_the_last_level_up_and_experience_accumulates()
    {
        var state = Player.Fold(
            ("PlayerLevelUp", """{"newLevel":10,"experienceGained":1000}"""),
            ("PlayerLevelUp", """{"newLevel":9}"""),
            ("ExperienceGained", """{"amount":50,"source":"loot"}"""));

        Assert.Equal(9, state.GetProperty("level").GetInt32());
        Assert.Equal(1050, state.GetProperty("experience").GetInt64());
    }

    [Fact]
    public void Removing_an_item_removes_one_copy_and_removing_an_absent_item_changes_nothing()
    {
        var state = Player.Fold([
            .. History.Each("ItemAcquired", "itemId", "potion", "sword_001", "potion"),
            .. History.Each("ItemRemoved", "itemId", "potion", "shield")]);

        Json.Equal("""["sword_001","potion"]""", state.GetProperty("inventory"));
    }

    [Fact]
    public void Kills_and_deaths_do_not_change_the_aggregate_state()
    {
        var before = Player.Fold(("PlayerCreated", """{"playerId":"p","name":"n"}"""));
        var after = Player.Fold(
            ("PlayerCreated", """{"playerId":"p","name":"n"}"""),
            ("EnemyKilled", """{"weapon":"bow"}"""),
            ("PlayerDied", "{}"));

        Json.Equal(before, after);
    }

    // quest: what only this aggregate does.

    [Fact]
    public void Completing_and_failing_set_the_status()
    {
        var completed = Quest.Fold(("QuestStarted", QuestStarted), ("QuestCompleted", "{}"));
        var failed = Quest.Fold(("QuestStarted", QuestStarted), ("QuestFailed", """{"reason":"the vault collapsed"}"""));

        Assert.Equal("completed", completed.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, completed.GetProperty("failureReason").ValueKind);
        Assert.Equal("failed", failed.GetProperty("status").GetString());
        Assert.Equal("the vault collapsed", failed.GetProperty("failureReason").GetString());
    }

    [Fact]
    public void An_objective_completed_before_the_quest_started_is_remembered()
    {
        var state = Quest.Fold(
            ("QuestObjectiveCompleted", """{"objectiveId":"find_key"}"""),
            ("QuestStarted", QuestStarted));

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
        var state = Quest.Fold((eventType, payload), ("QuestStarted", QuestStarted));

        Assert.Equal(status, state.GetProperty("status").GetString());
        Assert.Equal("quest_042", state.GetProperty("questId").GetString());
    }

    // combat_session: what only this aggregate does.

    [Fact]
    public void Damage_makes_both_players_participants_once()
    {
        var state = Combat.Fold(
            ("CombatStarted", """{"sessionId":"s1","mode":"duel","participants":["a"]}"""),
            ("DamageDealt", """{"attackerId":"a","targetId":"b","amount":3}"""),
            ("DamageDealt", """{"attackerId":"b","targetId":"a","amount":4}"""),
            ("CombatantJoined", """{"playerId":"b"}"""),
            ("CombatantDefeated", """{"playerId":"b"}"""),
            ("CombatantDefeated", """{"playerId":"b"}"""));

        Json.Equal("""["a","b"]""", state.GetProperty("participants"));
        Json.Equal("""["b"]""", state.GetProperty("defeated"));
        Assert.Equal(7, state.GetProperty("totalDamage").GetInt64());
        Assert.Equal("in_progress", state.GetProperty("status").GetString());
    }

    [Fact]
    public void A_start_arriving_after_the_end_keeps_the_session_ended()
    {
        var state = Combat.Fold(
            ("DamageDealt", """{"attackerId":"a","targetId":"b","amount":10}"""),
            ("CombatEnded", """{"winnerId":"a"}"""),
            ("CombatStarted", """{"sessionId":"s1","mode":"duel","participants":["b","c"]}"""));

        Json.Equal("""
            {"sessionId":"s1","mode":"duel","status":"ended","participants":["a","b","c"],"defeated":[],"totalDamage":10,"winnerId":"a"}
            """, state);
    }

    // tournament: what only this aggregate does.

    [Fact]
    public void Registration_lasts_until_the_first_match_and_players_register_once()
    {
        var registering = Tournament.Fold(
            ("TournamentCreated", """{"tournamentId":"cup","name":"Cup","maxParticipants":8}"""),
            ("TournamentPlayerRegistered", """{"playerId":"alice"}"""),
            ("TournamentPlayerRegistered", """{"playerId":"alice"}"""));

        Assert.Equal("registration", registering.GetProperty("status").GetString());
        Json.Equal("""["alice"]""", registering.GetProperty("participants"));
        Assert.Equal(0, registering.GetProperty("round").GetInt32());
    }

    [Fact]
    public void Matches_and_completion_in_any_order_keep_the_highest_round_and_the_completion()
    {
        var state = Tournament.Fold(
            ("TournamentCompleted", """{"winnerId":"dave"}"""),
            ("TournamentMatchPlayed", """{"round":2,"winnerId":"dave","loserId":"alice"}"""),
            ("TournamentMatchPlayed", """{"round":1,"winnerId":"alice","loserId":"bob"}"""),
            ("TournamentCreated", """{"tournamentId":"cup","name":"Cup","maxParticipants":4}"""));

        Assert.Equal("completed", state.GetProperty("status").GetString());
        Assert.Equal(2, state.GetProperty("round").GetInt32());
        Assert.Equal("dave", state.GetProperty("winnerId").GetString());
        Assert.Equal(4, state.GetProperty("maxParticipants").GetInt32());
        Assert.Equal(2, state.GetProperty("matches").GetArrayLength());
    }

    // guild: what only this aggregate does.

    [Fact]
    public void The_leader_is_a_member_and_members_join_once()
    {
        var state = Guild.Fold(
            ("GuildFounded", """{"guildId":"g","name":"G","leaderId":"alice"}"""),
            ("GuildMemberJoined", """{"playerId":"alice"}"""),
            ("GuildLeaderChanged", """{"leaderId":"zed"}"""));

        Assert.Equal("zed", state.GetProperty("leaderId").GetString());
        Json.Equal("""["alice","zed"]""", state.GetProperty("members"));
    }

    [Fact]
    public void A_leader_change_arriving_before_the_founding_is_kept()
    {
        var state = Guild.Fold(
            ("GuildLeaderChanged", """{"leaderId":"bob"}"""),
            ("GuildFounded", """{"guildId":"g","name":"G","leaderId":"alice"}"""));

        Assert.Equal("bob", state.GetProperty("leaderId").GetString());
        Assert.Equal("g", state.GetProperty("guildId").GetString());
        Json.Equal("""["bob","alice"]""", state.GetProperty("members"));
    }

    // economy: what only this aggregate does.

    [Fact]
    public void Spending_before_earning_gives_the_same_balances()
    {
        var spentFirst = Economy.Fold(
            ("CurrencySpent", """{"currency":"gold","amount":30,"sink":"shop"}"""),
            ("CurrencyEarned", """{"currency":"gold","amount":100,"source":"loot"}"""),
            ("WalletOpened", """{"ownerId":"p"}"""));
        var earnedFirst = Economy.Fold(
            ("WalletOpened", """{"ownerId":"p"}"""),
            ("CurrencyEarned", """{"currency":"gold","amount":100,"source":"loot"}"""),
            ("CurrencySpent", """{"currency":"gold","amount":30,"sink":"shop"}"""));

        Json.Equal("""{"ownerId":"p","balances":{"gold":70}}""", spentFirst);
        Json.Equal(earnedFirst, spentFirst);
    }

    // inventory: what only this aggregate does.

    [Fact]
    public void Quantities_default_to_one_stack_and_an_item_at_zero_is_gone()
    {
        var state = Inventory.Fold(
            ("InventoryItemAdded", """{"itemId":"arrow"}"""),
            ("InventoryItemAdded", """{"itemId":"arrow","quantity":19}"""),
            ("InventoryItemAdded", """{"itemId":"potion","quantity":2}"""),
            ("InventoryItemRemoved", """{"itemId":"potion","quantity":2}"""),
            ("InventoryItemAdded", """{"itemId":"rope"}"""),
            ("InventoryItemRemoved", """{"itemId":"rope","quantity":5}"""));

        Json.Equal("""{"arrow":20}""", state.GetProperty("items"));
    }

    [Fact]
    public void Equipping_before_the_bag_is_created_is_kept()
    {
        var state = Inventory.Fold(
            ("InventoryItemEquipped", """{"itemId":"sword","slot":"main_hand"}"""),
            ("InventoryItemEquipped", """{"itemId":"axe","slot":"main_hand"}"""),
            ("InventoryCreated", """{"ownerId":"p","capacity":10}"""));

        Json.Equal("""{"ownerId":"p","capacity":10,"items":{},"equipped":{"main_hand":"axe"}}""", state);
    }
}
