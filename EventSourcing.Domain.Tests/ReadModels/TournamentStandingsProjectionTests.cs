using EventSourcing.Domain.ReadModels;
using EventSourcing.Domain.Tests.Support;

namespace EventSourcing.Domain.Tests.ReadModels;

[Trait("Category", "Unit")]
public sealed class TournamentStandingsProjectionTests
{
    private static readonly IReadModelProjection Standings = Projections.Named("tournament_standings");

    [Fact]
    public void A_realistic_history_gives_the_documented_document()
    {
        var document = Standings.Fold(GameHistories.Tournament());

        Json.Equal("""
            {"tournamentId":"cup_2024","name":"Winter Cup","status":"completed","maxParticipants":4,"currentRound":2,"matchesPlayed":3,
             "standings":[
               {"playerId":"dave","wins":2,"losses":0,"eliminated":false},
               {"playerId":"alice","wins":1,"losses":1,"eliminated":true},
               {"playerId":"bob","wins":0,"losses":1,"eliminated":true},
               {"playerId":"carol","wins":0,"losses":1,"eliminated":true}],
             "winnerId":"dave"}
            """, document);
        Assert.Equal("cup_2024", Standings.IdOf(GameHistories.TournamentId, document));
    }

    [Fact]
    public void Standings_order_by_most_wins_then_fewest_losses_then_player_id()
    {
        var document = Standings.Fold(
            ("TournamentPlayerRegistered", """{"playerId":"zoe"}"""),
            ("TournamentPlayerRegistered", """{"playerId":"yan"}"""),
            ("TournamentPlayerRegistered", """{"playerId":"xia"}"""),
            ("TournamentPlayerRegistered", """{"playerId":"will"}"""),
            ("TournamentPlayerRegistered", """{"playerId":"abe"}"""),
            ("TournamentMatchPlayed", """{"round":1,"winnerId":"zoe","loserId":"yan"}"""),
            ("TournamentMatchPlayed", """{"round":1,"winnerId":"xia","loserId":"will"}"""),
            ("TournamentMatchPlayed", """{"round":2,"winnerId":"zoe","loserId":"xia"}"""));

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

    [Fact]
    public void The_id_is_the_aggregate_id_until_the_tournament_id_is_known()
    {
        Assert.Equal(GameHistories.TournamentId.ToString(), Standings.IdOf(GameHistories.TournamentId, Standings.Fold(("TournamentPlayerRegistered", """{"playerId":"a"}"""))));
    }
}
