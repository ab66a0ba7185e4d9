using EventSourcing.Domain.ReadModels;
using EventSourcing.Domain.Tests.Support;

namespace EventSourcing.Domain.Tests.ReadModels;

[Trait("Category", "Unit")]
public sealed class WalletBalanceProjectionTests
{
    private static readonly IReadModelProjection Wallet = Projections.Named("wallet_balance");

    [Fact]
    public void A_realistic_history_gives_the_documented_document()
    {
        var document = Wallet.Fold(GameHistories.Economy());

        Json.Equal("""
            {"ownerId":"player_001","balances":{"gold":460,"gems":-5},"totalEarned":{"gold":580,"gems":20},
             "totalSpent":{"gold":120,"gems":25},"earnedBySource":{"quest_reward":500,"loot":100},
             "transactions":5,"lastTransactionAt":"2024-12-27T16:00:50Z"}
            """, document);
        Assert.Equal("player_001", Wallet.IdOf(GameHistories.WalletId, document));
    }

    [Fact]
    public void Opening_a_wallet_is_not_a_transaction()
    {
        var document = Wallet.Fold(GameHistories.Economy(), count: 1);

        Assert.Equal(0, document["transactions"]!.GetValue<long>());
        Assert.Null(document["lastTransactionAt"]);
        Json.Equal("{}", document["balances"]);
    }

    [Fact]
    public void The_id_is_the_aggregate_id_until_the_owner_is_known()
    {
        var document = Wallet.Fold(("CurrencyEarned", """{"currency":"gold","amount":5,"source":"loot"}"""));

        Assert.Equal(GameHistories.WalletId.ToString(), Wallet.IdOf(GameHistories.WalletId, document));
    }
}
