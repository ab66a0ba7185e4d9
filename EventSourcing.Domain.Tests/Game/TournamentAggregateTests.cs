using EventSourcing.Domain.Tests.Support;

namespace EventSourcing.Domain.Tests.Game;

[Trait("Category", "Unit")]
public sealed class TournamentAggregateTests
{
    private static readonly Aggregate Tournament = new("tournament");

    [Fact]
    public void The_catalog_registers_the_documented_tournament_events() =>
        Assert.Equal(
            ["TournamentCompleted", "TournamentCreated", "TournamentMatchPlayed", "TournamentPlayerRegistered"],
            Tournament.Definition.EventTypes.Order(StringComparer.Ordinal));

    [Theory]
    [InlineData("TournamentCreated", """{"tournamentId":"cup","name":"Cup","maxParticipants":2}""")]
    [InlineData("TournamentPlayerRegistered", """{"playerId":"alice"}""")]
    [InlineData("TournamentMatchPlayed", """{"round":1,"winnerId":"alice","loserId":"bob"}""")]
    [InlineData("TournamentCompleted", """{"winnerId":"alice"}""")]
    public void Valid_payloads_are_accepted(string eventType, string payload) => Assert.Empty(Tournament.Errors(eventType, payload));

    [Theory]
    [InlineData("TournamentCreated", """{"tournamentId":"cup","name":"Cup","maxParticipants":1}""", "maxParticipants: must be at least 2")]
    [InlineData("TournamentMatchPlayed", """{"round":1,"winnerId":"alice","loserId":"alice"}""", "loserId: must differ from winnerId")]
    [InlineData("TournamentMatchPlayed", """{"round":0,"winnerId":"alice","loserId":"bob"}""", "round: must be greater than 0")]
    [InlineData("TournamentMatchPlayed", """{"round":-1,"winnerId":"x","loserId":"x"}""", "round: must be greater than 0|loserId: must differ from winnerId")]
    [InlineData("TournamentMatchPlayed", """{"round":1,"winnerId":"alice"}""", "loserId: is required")]
    [InlineData("TournamentCompleted", "{}", "winnerId: is required")]
    public void Invalid_payloads_name_the_field(string eventType, string payload, string expected) =>
        Assert.Equal(expected.Split('|'), Tournament.Errors(eventType, payload));

    [Fact]
    public void A_realistic_history_folds_into_the_documented_state()
    {
        Json.Equal("""
            {"tournamentId":"cup_2024","name":"Winter Cup","maxParticipants":4,"status":"completed",
             "participants":["alice","bob","carol","dave"],
             "matches":[{"round":1,"winnerId":"alice","loserId":"bob"},{"round":1,"winnerId":"dave","loserId":"carol"},{"round":2,"winnerId":"dave","loserId":"alice"}],
             "round":2,"winnerId":"dave"}
            """, Tournament.Fold(GameHistories.Tournament().Events));
    }

    [Fact]
    public void Registration_lasts_until_the_first_match_and_players_register_once()
    {
        var registering = Tournament.Fold(
            ("TournamentCreated", """{"tournamentId":"cup","name":"Cup","maxParticipants":8}"""),
            ("TournamentPlayerRegistered", """{"playerId":"alice"}"""),
            ("TournamentPlayerRegistered", """{"playerId":"alice"}"""));

        Assert.Equal("registration", registering["status"]!.GetValue<string>());
        Json.Equal("""["alice"]""", registering["participants"]);
        Assert.Equal(0, registering["round"]!.GetValue<int>());
    }

    [Fact]
    public void Matches_and_completion_in_any_order_keep_the_highest_round_and_the_completion()
    {
        var state = Tournament.Fold(
            ("TournamentCompleted", """{"winnerId":"dave"}"""),
            ("TournamentMatchPlayed", """{"round":2,"winnerId":"dave","loserId":"alice"}"""),
            ("TournamentMatchPlayed", """{"round":1,"winnerId":"alice","loserId":"bob"}"""),
            ("TournamentCreated", """{"tournamentId":"cup","name":"Cup","maxParticipants":4}"""));

        Assert.Equal("completed", state["status"]!.GetValue<string>());
        Assert.Equal(2, state["round"]!.GetValue<int>());
        Assert.Equal("dave", state["winnerId"]!.GetValue<string>());
        Assert.Equal(4, state["maxParticipants"]!.GetValue<int>());
        Assert.Equal(2, state["matches"]!.AsArray().Count);
    }
}
