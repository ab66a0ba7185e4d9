namespace EventSourcing.Domain.Tests.ReadModels;

/// <summary>
/// The seven read models, one per registered aggregate type. First what each one documents, one row per model: the
/// document the realistic history of its aggregate type (Support/GameHistories) gives, and the id it is stored under.
/// Then, by model, what only that model does. What every model promises (batches, versions, the size cap) is in
/// ProjectionContractTests.
/// </summary>
public sealed class ReadModelDocumentTests
{
    private static readonly IReadModelProjection Summary = Projections.Named("player_summary");
    private static readonly IReadModelProjection Progress = Projections.Named("quest_progress");
    private static readonly IReadModelProjection Stats = Projections.Named("combat_session_stats");
    private static readonly IReadModelProjection Standings = Projections.Named("tournament_standings");
    private static readonly IReadModelProjection Roster = Projections.Named("guild_roster");
    private static readonly IReadModelProjection Wallet = Projections.Named("wallet_balance");
    private static readonly IReadModelProjection Contents = Projections.Named("inventory_contents");

    private const string ThreeObjectives = """
        {"questId":"q","title":"t","objectives":[{"id":"a","description":"A"},{"id":"b","description":"B"},{"id":"c","description":"C"}]}
        """;

    [Fact]
    public void The_catalog_has_one_read_model_per_registered_aggregate_type()
    {
        Assert.Equal(
            ["combat_session_stats", "guild_roster", "inventory_contents", "player_summary", "quest_progress", "tournament_standings", "wallet_balance"],
            ReadModelCatalog.All.Select(p => p.ModelName).Order(StringComparer.Ordinal));
        Assert.Equal(
            DomainCatalog.Default.Registered.Select(d => d.AggregateType).Order(StringComparer.Ordinal),
            ReadModelCatalog.All.Select(p => p.AggregateType).Order(StringComparer.Ordinal));
        Assert.All(ReadModelCatalog.All, p => Assert.Matches(EventNames.AggregateType(), p.ModelName));
    }

    public static TheoryData<string, string, string> DocumentedDocuments => new()
    {
        {
            "player_summary", """
            {"playerId":"player_001","name":"CyberNinja","level":25,"experience":12500,"totalKills":3,"totalDeaths":1,
             "kdRatio":3,"rank":"Diamond","favoriteWeapon":"cyber_blade","killsByWeapon":{"cyber_blade":2,"plasma_rifle":1},
             "lastSeen":"2024-12-27T16:02:40Z"}
            """,
            "player_001"
        },
        {
            "quest_progress", """
            {"questId":"quest_042","title":"The Lost Key","status":"in_progress","progress":0.6667,
             "objectives":[
               {"id":"find_map","description":"Find the map","completed":true},
               {"id":"find_key","description":"Find the key","completed":true},
               {"id":"open_vault","description":"Open the vault","completed":false}],
             "participants":["player_001","player_002"]}
            """,
            "quest_042"
        },
        {
            "combat_session_stats", """
            {"sessionId":"session_007","mode":"duel","status":"ended",
             "combatants":{
               "player_001":{"damageDealt":55,"damageTaken":55,"defeats":0,"defeated":false},
               "player_002":{"damageDealt":55,"damageTaken":85,"defeats":0,"defeated":true},
               "player_003":{"damageDealt":30,"damageTaken":0,"defeats":1,"defeated":false}},
             "totalDamage":140,"topDamageDealer":"player_002","winnerId":"player_001",
             "startedAt":"2024-12-27T16:00:00Z","endedAt":"2024-12-27T16:01:32.25Z","durationSeconds":92.25}
            """,
            "session_007"
        },
        {
            "tournament_standings", """
            {"tournamentId":"cup_2024","name":"Winter Cup","status":"completed","maxParticipants":4,"currentRound":2,"matchesPlayed":3,
             "standings":[
               {"playerId":"dave","wins":2,"losses":0,"eliminated":false},
               {"playerId":"alice","wins":1,"losses":1,"eliminated":true},
               {"playerId":"bob","wins":0,"losses":1,"eliminated":true},
               {"playerId":"carol","wins":0,"losses":1,"eliminated":true}],
             "winnerId":"dave"}
            """,
            "cup_2024"
        },
        {
            "guild_roster", """
            {"guildId":"guild_night","name":"Night Watch","leaderId":"carol","members":["alice","carol"],"memberCount":2,
             "treasury":800,"contributions":{"alice":300,"bob":250,"carol":250},"topContributor":"alice"}
            """,
            "guild_night"
        },
        {
            "wallet_balance", """
            {"ownerId":"player_001","balances":{"gold":460,"gems":-5},"totalEarned":{"gold":580,"gems":20},
             "totalSpent":{"gold":120,"gems":25},"earnedBySource":{"quest_reward":500,"loot":100},
             "transactions":5,"lastTransactionAt":"2024-12-27T16:00:50Z"}
            """,
            "player_001"
        },
        {
            "inventory_contents", """
            {"ownerId":"player_001","capacity":3,"items":{"potion":3,"sword_001":1,"gem_red":2},"distinctItems":3,
             "totalQuantity":6,"equipped":{"main_hand":"sword_001"},"overCapacity":false}
            """,
            "player_001"
        },
    };

    [Theory]
    [MemberData(nameof(DocumentedDocuments))]
    public void The_realistic_history_gives_the_documented_document_and_id(string modelName, string expected, string expectedId)
    {
        var (projection, history) = Projections.WithHistory(modelName);

        var document = projection.Fold(history);

        Json.Equal(expected, document);
        Assert.Equal(expectedId, projection.IdOf(history.AggregateId, document));
    }

    /// <summary>One event that leaves the field the model takes its id from (playerId, questId, ownerId...) unknown.</summary>
    [Theory]
    [InlineData("player_summary", "PlayerLevelUp", """{"newLevel":25,"experienceGained":1500}""")]
    [InlineData("quest_progress", "QuestParticipantJoined", """{"playerId":"p"}""")]
    [InlineData("combat_session_stats", "CombatantJoined", """{"playerId":"a"}""")]
    [InlineData("tournament_standings", "TournamentPlayerRegistered", """{"playerId":"a"}""")]
    [InlineData("guild_roster", "GuildMemberJoined", """{"playerId":"a"}""")]
    [InlineData("wallet_balance", "CurrencyEarned", """{"currency":"gold","amount":5,"source":"loot"}""")]
    [InlineData("inventory_contents", "InventoryItemAdded", """{"itemId":"a"}""")]
    public void The_id_is_the_aggregate_id_until_the_models_own_id_is_known(string modelName, string eventType, string payload)
    {
        var (projection, history) = Projections.WithHistory(modelName);

        var document = projection.Fold((eventType, payload));

        Assert.Equal(history.AggregateId.ToString(), projection.IdOf(history.AggregateId, document));
    }

    // player_summary: what only this model does.

    // Before any PlayerCreated: the player_summary row above. Here: a blank player id, and a creation that arrives late.
    [Fact]
    public void The_id_is_the_aggregate_id_until_the_player_id_is_known()
    {
        var blank = Summary.Fold(("PlayerCreated", """{"playerId":"","name":"Nobody"}"""));
        var after = Summary.Fold(("PlayerLevelUp", """{"newLevel":25}"""), ("PlayerCreated", """{"playerId":"player_001","name":"CyberNinja"}"""));

        Assert.Equal("550e8400-e29b-41d4-a716-446655440001", Summary.IdOf(GameHistories.PlayerId, blank));
        Assert.Equal("player_001", Summary.IdOf(GameHistories.PlayerId, after));
    }

    [Theory]
    [InlineData(0, 0, 0)]
    [InlineData(3, 0, 3)]
    [InlineData(0, 4, 0)]
    [InlineData(2, 3, 0.667)]
    [InlineData(1, 3, 0.333)]
    [InlineData(1500, 800, 1.875)]
    public void The_kd_ratio_is_kills_over_at_least_one_death(int kills, int deaths, double expected)
    {
        var events = Enumerable.Repeat(("EnemyKilled", """{"weapon":"cyber_blade"}"""), kills)
            .Concat(Enumerable.Repeat(("PlayerDied", "{}"), deaths));

        var document = Summary.Fold([.. events]);

        Assert.Equal(expected, document["kdRatio"]!.GetValue<double>());
        Assert.Equal(kills, document["totalKills"]!.GetValue<long>());
        Assert.Equal(deaths, document["totalDeaths"]!.GetValue<long>());
    }

    /// <summary>Each rank at its lowest level and at its highest (Master, which has no highest, at 120).</summary>
    [Theory]
    [InlineData("Bronze", 1, 4)]
    [InlineData("Silver", 5, 9)]
    [InlineData("Gold", 10, 14)]
    [InlineData("Platinum", 15, 24)]
    [InlineData("Diamond", 25, 49)]
    [InlineData("Master", 50, 120)]
    public void The_rank_follows_the_level(string rank, int lowest, int highest)
    {
        Assert.All([lowest, highest], level =>
            Assert.Equal(rank, Summary.Fold(("PlayerLevelUp", $$"""{"newLevel":{{level}}}"""))["rank"]!.GetValue<string>()));
    }

    [Fact]
    public void A_player_who_never_levelled_up_is_bronze()
    {
        Assert.Equal("Bronze", Summary.Fold(("PlayerCreated", """{"playerId":"p","name":"n"}"""))["rank"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("bow", "bow", "sword")]
    [InlineData("sword", "bow", "sword", "sword")]
    [InlineData("sword", "bow", "sword", "sword", "bow")]
    [InlineData("bow", "bow", "sword", "sword", "bow", "bow")]
    public void The_favorite_weapon_has_the_most_kills_and_a_tie_keeps_the_first_to_get_there(string favorite, params string[] weapons)
    {
        var document = Summary.Fold(History.Each("EnemyKilled", "weapon", weapons));

        Assert.Equal(favorite, document["favoriteWeapon"]!.GetValue<string>());
    }

    [Fact]
    public void Last_seen_is_the_time_of_the_last_event_even_one_the_model_ignores()
    {
        var history = new History("player", GameHistories.PlayerId)
            .Then("PlayerCreated", """{"playerId":"p","name":"n"}""")
            .Then("ItemAcquired", """{"itemId":"sword"}""", at: new DateTimeOffset(2025, 1, 2, 3, 4, 5, 678, TimeSpan.FromHours(2)));

        Assert.Equal("2025-01-02T01:04:05.678Z", Summary.Fold(history)["lastSeen"]!.GetValue<string>());
    }

    [Fact]
    public void Experience_counts_both_schema_versions_and_level_ups()
    {
        var history = new History("player", GameHistories.PlayerId)
            .Then("ExperienceGained", """{"amount":100}""", eventVersion: 1)
            .Then("ExperienceGained", """{"amount":20,"source":"loot"}""", eventVersion: 2)
            .Then("PlayerLevelUp", """{"newLevel":2,"experienceGained":3}""");

        Assert.Equal(123, Summary.Fold(history)["experience"]!.GetValue<long>());
    }

    // quest_progress: what only this model does.

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

    // combat_session_stats: what only this model does.

    [Fact]
    public void The_duration_is_known_once_the_session_ended()
    {
        var running = Stats.Fold(GameHistories.CombatSession(), count: 7);

        Assert.Equal("in_progress", running["status"]!.GetValue<string>());
        Assert.Equal("2024-12-27T16:00:00Z", running["startedAt"]!.GetValue<string>());
        Assert.Null(running["endedAt"]);
        Assert.Null(running["durationSeconds"]);
    }

    [Fact]
    public void The_top_damage_dealer_has_dealt_the_most_and_a_tie_keeps_the_first_to_get_there()
    {
        var tie = Stats.Fold(
            ("DamageDealt", """{"attackerId":"a","targetId":"b","amount":10}"""),
            ("DamageDealt", """{"attackerId":"b","targetId":"a","amount":10}"""));
        var overtaken = Stats.Fold(
            ("DamageDealt", """{"attackerId":"a","targetId":"b","amount":10}"""),
            ("DamageDealt", """{"attackerId":"b","targetId":"a","amount":11}"""));

        Assert.Equal("a", tie["topDamageDealer"]!.GetValue<string>());
        Assert.Equal("b", overtaken["topDamageDealer"]!.GetValue<string>());
    }

    [Fact]
    public void A_defeat_without_a_victor_credits_nobody()
    {
        var document = Stats.Fold(("CombatStarted", """{"sessionId":"s","mode":"raid","participants":["a","b"]}"""), ("CombatantDefeated", """{"playerId":"a"}"""));

        Json.Equal("""
            {"a":{"damageDealt":0,"damageTaken":0,"defeats":0,"defeated":true},"b":{"damageDealt":0,"damageTaken":0,"defeats":0,"defeated":false}}
            """, document["combatants"]);
    }

    // tournament_standings: what only this model does.

    [Fact]
    public void Standings_order_by_most_wins_then_fewest_losses_then_player_id()
    {
        var document = Standings.Fold([
            .. History.Each("TournamentPlayerRegistered", "playerId", "zoe", "yan", "xia", "will", "abe"),
            ("TournamentMatchPlayed", """{"round":1,"winnerId":"zoe","loserId":"yan"}"""),
            ("TournamentMatchPlayed", """{"round":1,"winnerId":"xia","loserId":"will"}"""),
            ("TournamentMatchPlayed", """{"round":2,"winnerId":"zoe","loserId":"xia"}""")]);

        Assert.Equal(["zoe", "xia", "abe", "will", "yan"], document["standings"]!.AsArray().Select(s => s!["playerId"]!.GetValue<string>()));
        Assert.Equal(2, document["currentRound"]!.GetValue<int>());
        Assert.Equal("in_progress", document["status"]!.GetValue<string>());
        Assert.False(document["standings"]![2]!["eliminated"]!.GetValue<bool>());
    }

    [Fact]
    public void Registration_lasts_until_the_first_match()
    {
        var document = Standings.Fold(GameHistories.Tournament(), count: 5);

        Assert.Equal("registration", document["status"]!.GetValue<string>());
        Assert.Equal(0, document["matchesPlayed"]!.GetValue<int>());
        Assert.Equal(["alice", "bob", "carol", "dave"], document["standings"]!.AsArray().Select(s => s!["playerId"]!.GetValue<string>()));
    }

    [Fact]
    public void The_champion_gets_a_standing_even_if_never_registered()
    {
        var document = Standings.Fold(("TournamentCompleted", """{"winnerId":"ghost"}"""));

        Json.Equal("""[{"playerId":"ghost","wins":0,"losses":0,"eliminated":false}]""", document["standings"]);
        Assert.Equal("completed", document["status"]!.GetValue<string>());
    }

    // guild_roster: what only this model does.

    [Fact]
    public void The_top_contributor_has_given_the_most_and_a_tie_keeps_the_first_to_get_there()
    {
        // After event 8 carol (250) ties bob (250), who got there first.
        Assert.Equal("bob", Roster.Fold(GameHistories.Guild(), count: 8)["topContributor"]!.GetValue<string>());
        Assert.Equal("alice", Roster.Fold(GameHistories.Guild(), count: 4)["topContributor"]!.GetValue<string>());
        Assert.Null(Roster.Fold(GameHistories.Guild(), count: 3)["topContributor"]);
    }

    [Fact]
    public void The_member_count_follows_joins_and_departures()
    {
        Assert.Equal([1, 2, 3, 3, 3, 2, 2, 2, 2], Enumerable.Range(1, 9).Select(n => Roster.Fold(GameHistories.Guild(), count: n)["memberCount"]!.GetValue<int>()));
    }

    // wallet_balance: what only this model does.

    [Fact]
    public void Opening_a_wallet_is_not_a_transaction()
    {
        var document = Wallet.Fold(GameHistories.Economy(), count: 1);

        Assert.Equal(0, document["transactions"]!.GetValue<long>());
        Assert.Null(document["lastTransactionAt"]);
        Json.Equal("{}", document["balances"]);
    }

    // inventory_contents: what only this model does.

    [Fact]
    public void More_distinct_items_than_capacity_is_flagged()
    {
        var document = Contents.Fold(GameHistories.Inventory(), count: 9);

        Assert.True(document["overCapacity"]!.GetValue<bool>());
        Assert.Equal(4, document["distinctItems"]!.GetValue<int>());
        Assert.Equal(7, document["totalQuantity"]!.GetValue<long>());
    }

    [Fact]
    public void A_bag_of_unknown_capacity_is_never_over_capacity()
    {
        var document = Contents.Fold(
            ("InventoryItemAdded", """{"itemId":"a"}"""),
            ("InventoryItemAdded", """{"itemId":"b"}"""));

        Assert.False(document["overCapacity"]!.GetValue<bool>());
        Assert.Equal(2, document["distinctItems"]!.GetValue<int>());
    }
}
