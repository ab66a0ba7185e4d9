using EventSourcing.Domain.ReadModels;
using EventSourcing.Domain.Tests.Support;

namespace EventSourcing.Domain.Tests.ReadModels;

[Trait("Category", "Unit")]
public sealed class PlayerSummaryProjectionTests
{
    private static readonly IReadModelProjection Summary = Projections.Named("player_summary");

    [Fact]
    public void The_seed_players_history_gives_the_documented_summary()
    {
        var document = Summary.Fold(GameHistories.Player());

        Json.Equal("""
            {"playerId":"player_001","name":"CyberNinja","level":25,"experience":12500,"totalKills":3,"totalDeaths":1,
             "kdRatio":3,"rank":"Diamond","favoriteWeapon":"cyber_blade","killsByWeapon":{"cyber_blade":2,"plasma_rifle":1},
             "lastSeen":"2024-12-27T16:02:40Z"}
            """, document);
        Assert.Equal("player_001", Summary.IdOf(GameHistories.PlayerId, document));
    }

    [Fact]
    public void The_id_is_the_aggregate_id_until_the_player_id_is_known()
    {
        var before = Summary.Fold(("PlayerLevelUp", """{"newLevel":25,"experienceGained":1500}"""));
        var blank = Summary.Fold(("PlayerCreated", """{"playerId":"","name":"Nobody"}"""));
        var after = Summary.Fold(("PlayerLevelUp", """{"newLevel":25}"""), ("PlayerCreated", """{"playerId":"player_001","name":"CyberNinja"}"""));

        Assert.Equal("550e8400-e29b-41d4-a716-446655440001", Summary.IdOf(GameHistories.PlayerId, before));
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

    [Theory]
    [InlineData(1, "Bronze")]
    [InlineData(4, "Bronze")]
    [InlineData(5, "Silver")]
    [InlineData(9, "Silver")]
    [InlineData(10, "Gold")]
    [InlineData(14, "Gold")]
    [InlineData(15, "Platinum")]
    [InlineData(24, "Platinum")]
    [InlineData(25, "Diamond")]
    [InlineData(49, "Diamond")]
    [InlineData(50, "Master")]
    [InlineData(120, "Master")]
    public void The_rank_follows_the_level(int level, string rank)
    {
        var document = Summary.Fold(("PlayerLevelUp", $$"""{"newLevel":{{level}}}"""));

        Assert.Equal(rank, document["rank"]!.GetValue<string>());
    }

    [Fact]
    public void A_player_who_never_levelled_up_is_bronze()
    {
        Assert.Equal("Bronze", Summary.Fold(("PlayerCreated", """{"playerId":"p","name":"n"}"""))["rank"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("bow,sword", "bow")]
    [InlineData("bow,sword,sword", "sword")]
    [InlineData("bow,sword,sword,bow", "sword")]
    [InlineData("bow,sword,sword,bow,bow", "bow")]
    public void The_favorite_weapon_has_the_most_kills_and_a_tie_keeps_the_first_to_get_there(string weapons, string favorite)
    {
        var document = Summary.Fold([.. weapons.Split(',').Select(w => ("EnemyKilled", $$"""{"weapon":"{{w}}"}"""))]);

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
}
