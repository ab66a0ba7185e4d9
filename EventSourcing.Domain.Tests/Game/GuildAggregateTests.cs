using EventSourcing.Domain.Tests.Support;

namespace EventSourcing.Domain.Tests.Game;

[Trait("Category", "Unit")]
public sealed class GuildAggregateTests
{
    private static readonly Aggregate Guild = new("guild");

    [Fact]
    public void The_catalog_registers_the_documented_guild_events() =>
        Assert.Equal(
            ["GuildContributionMade", "GuildFounded", "GuildLeaderChanged", "GuildMemberJoined", "GuildMemberLeft"],
            Guild.Definition.EventTypes.Order(StringComparer.Ordinal));

    [Theory]
    [InlineData("GuildFounded", """{"guildId":"g","name":"Night Watch","leaderId":"alice"}""")]
    [InlineData("GuildMemberJoined", """{"playerId":"bob"}""")]
    [InlineData("GuildMemberLeft", """{"playerId":"bob"}""")]
    [InlineData("GuildLeaderChanged", """{"leaderId":"bob"}""")]
    [InlineData("GuildContributionMade", """{"playerId":"bob","amount":1}""")]
    public void Valid_payloads_are_accepted(string eventType, string payload) => Assert.Empty(Guild.Errors(eventType, payload));

    [Theory]
    [InlineData("GuildContributionMade", """{"playerId":"bob","amount":0}""", "amount: must be greater than 0")]
    [InlineData("GuildContributionMade", """{"playerId":"bob"}""", "amount: is required")]
    [InlineData("GuildFounded", """{"guildId":"g","name":"Night Watch"}""", "leaderId: is required")]
    [InlineData("GuildLeaderChanged", """{"leaderId":["bob"]}""", "leaderId: has the wrong type")]
    public void Invalid_payloads_name_the_field(string eventType, string payload, string expected) =>
        Assert.Equal(expected.Split('|'), Guild.Errors(eventType, payload));

    [Fact]
    public void A_realistic_history_folds_into_the_documented_state()
    {
        Json.Equal("""
            {"guildId":"guild_night","name":"Night Watch","leaderId":"carol","members":["alice","carol"],"treasury":800}
            """, Guild.Fold(GameHistories.Guild().Events));
    }

    [Fact]
    public void The_leader_is_a_member_and_members_join_once()
    {
        var state = Guild.Fold(
            ("GuildFounded", """{"guildId":"g","name":"G","leaderId":"alice"}"""),
            ("GuildMemberJoined", """{"playerId":"alice"}"""),
            ("GuildLeaderChanged", """{"leaderId":"zed"}"""));

        Assert.Equal("zed", state["leaderId"]!.GetValue<string>());
        Json.Equal("""["alice","zed"]""", state["members"]);
    }

    [Fact]
    public void A_leader_change_arriving_before_the_founding_is_kept()
    {
        var state = Guild.Fold(
            ("GuildLeaderChanged", """{"leaderId":"bob"}"""),
            ("GuildFounded", """{"guildId":"g","name":"G","leaderId":"alice"}"""));

        Assert.Equal("bob", state["leaderId"]!.GetValue<string>());
        Assert.Equal("g", state["guildId"]!.GetValue<string>());
        Json.Equal("""["bob","alice"]""", state["members"]);
    }
}
