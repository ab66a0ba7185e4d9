using EventSourcing.Domain.ReadModels;
using EventSourcing.Domain.Tests.Support;

namespace EventSourcing.Domain.Tests.ReadModels;

[Trait("Category", "Unit")]
public sealed class GuildRosterProjectionTests
{
    private static readonly IReadModelProjection Roster = Projections.Named("guild_roster");

    [Fact]
    public void A_realistic_history_gives_the_documented_document()
    {
        var document = Roster.Fold(GameHistories.Guild());

        Json.Equal("""
            {"guildId":"guild_night","name":"Night Watch","leaderId":"carol","members":["alice","carol"],"memberCount":2,
             "treasury":800,"contributions":{"alice":300,"bob":250,"carol":250},"topContributor":"alice"}
            """, document);
        Assert.Equal("guild_night", Roster.IdOf(GameHistories.GuildId, document));
    }

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

    [Fact]
    public void The_id_is_the_aggregate_id_until_the_guild_id_is_known()
    {
        Assert.Equal(GameHistories.GuildId.ToString(), Roster.IdOf(GameHistories.GuildId, Roster.Fold(("GuildMemberJoined", """{"playerId":"a"}"""))));
    }
}
