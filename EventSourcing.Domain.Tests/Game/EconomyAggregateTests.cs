using EventSourcing.Domain.Tests.Support;

namespace EventSourcing.Domain.Tests.Game;

[Trait("Category", "Unit")]
public sealed class EconomyAggregateTests
{
    private static readonly Aggregate Economy = new("economy");

    [Fact]
    public void The_catalog_registers_the_documented_economy_events() =>
        Assert.Equal(["CurrencyEarned", "CurrencySpent", "WalletOpened"], Economy.Definition.EventTypes.Order(StringComparer.Ordinal));

    [Theory]
    [InlineData("WalletOpened", """{"ownerId":"player_001"}""")]
    [InlineData("CurrencyEarned", """{"currency":"gold","amount":1,"source":"loot"}""")]
    [InlineData("CurrencySpent", """{"currency":"gold","amount":1,"sink":"shop"}""")]
    public void Valid_payloads_are_accepted(string eventType, string payload) => Assert.Empty(Economy.Errors(eventType, payload));

    [Theory]
    [InlineData("CurrencyEarned", """{"currency":"","amount":5,"source":"loot"}""", "currency: must not be empty")]
    [InlineData("CurrencyEarned", """{"currency":"   ","amount":5,"source":"loot"}""", "currency: must not be empty")]
    [InlineData("CurrencyEarned", """{"currency":"gold","amount":0,"source":"loot"}""", "amount: must be greater than 0")]
    [InlineData("CurrencySpent", """{"currency":"","amount":-3,"sink":"shop"}""", "currency: must not be empty|amount: must be greater than 0")]
    [InlineData("CurrencySpent", """{"currency":"gold","amount":3}""", "sink: is required")]
    [InlineData("WalletOpened", "{}", "ownerId: is required")]
    public void Invalid_payloads_name_the_field(string eventType, string payload, string expected) =>
        Assert.Equal(expected.Split('|'), Economy.Errors(eventType, payload));

    [Fact]
    public void A_realistic_history_folds_into_the_documented_state_and_a_balance_may_go_below_zero()
    {
        Json.Equal("""{"ownerId":"player_001","balances":{"gold":460,"gems":-5}}""", Economy.Fold(GameHistories.Economy().Events));
    }

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
}
