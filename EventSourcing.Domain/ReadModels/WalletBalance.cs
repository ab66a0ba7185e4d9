using System.Text.Json.Nodes;
using EventSourcing.Domain.Events;
using EventSourcing.Domain.Game;

namespace EventSourcing.Domain.ReadModels;

public sealed class WalletBalance
{
    public string? OwnerId { get; set; }
    public Dictionary<string, long> Balances { get; set; } = [];
    public Dictionary<string, long> TotalEarned { get; set; } = [];
    public Dictionary<string, long> TotalSpent { get; set; } = [];

    /// <summary>Earned per source (quest_reward, loot, …), all currencies together.</summary>
    public Dictionary<string, long> EarnedBySource { get; set; } = [];
    public long Transactions { get; set; }
    public string? LastTransactionAt { get; set; }
}

/// <summary>wallet_balance (economy): balances, totals earned and spent per currency, where the money came from.</summary>
public sealed class WalletBalanceProjection : ReadModelProjection<WalletBalance>
{
    public WalletBalanceProjection()
    {
        On<WalletOpened>((d, e, _) => d.OwnerId = e.OwnerId);
        On<CurrencyEarned>((d, e, stored) =>
        {
            d.Balances[e.Currency] = d.Balances.GetValueOrDefault(e.Currency) + e.Amount;
            d.TotalEarned.AddTo(e.Currency, e.Amount);
            d.EarnedBySource.AddTo(e.Source, e.Amount);
            Transaction(d, stored);
        });
        On<CurrencySpent>((d, e, stored) =>
        {
            d.Balances[e.Currency] = d.Balances.GetValueOrDefault(e.Currency) - e.Amount;
            d.TotalSpent.AddTo(e.Currency, e.Amount);
            Transaction(d, stored);
        });
    }

    public override string ModelName => "wallet_balance";

    public override string AggregateType => "economy";

    public override string IdOf(Guid aggregateId, JsonObject document) => NaturalIdOr(aggregateId, document, "ownerId");

    private static void Transaction(WalletBalance d, StoredEvent e) => (d.Transactions, d.LastTransactionAt) = (d.Transactions + 1, EventJson.Timestamp(e.OccurredAt));
}
