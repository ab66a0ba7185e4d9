using EventSourcing.Domain.Aggregates;

namespace EventSourcing.Domain.Game;

public sealed record WalletOpened(string OwnerId);

public sealed record CurrencyEarned(string Currency, long Amount, string Source) : IValidatableEvent
{
    public IEnumerable<KeyValuePair<string, string>> Errors() => EventRules.NotBlank("currency", Currency).Concat(EventRules.Positive("amount", Amount));
}

public sealed record CurrencySpent(string Currency, long Amount, string Sink) : IValidatableEvent
{
    public IEnumerable<KeyValuePair<string, string>> Errors() => EventRules.NotBlank("currency", Currency).Concat(EventRules.Positive("amount", Amount));
}

public sealed class EconomyState
{
    public string? OwnerId { get; set; }

    /// <summary>Per currency. A balance may go below zero: spending is a fact the game already decided.</summary>
    public Dictionary<string, long> Balances { get; set; } = [];
}

/// <summary>A player's wallet in the game economy: currencies earned (quest rewards, loot) and spent (shops, fees).</summary>
public sealed class EconomyAggregate : AggregateDefinition<EconomyState>
{
    public EconomyAggregate()
    {
        On<WalletOpened>((s, e) => s.OwnerId = e.OwnerId);
        On<CurrencyEarned>((s, e) => s.Balances[e.Currency] = s.Balances.GetValueOrDefault(e.Currency) + e.Amount);
        On<CurrencySpent>((s, e) => s.Balances[e.Currency] = s.Balances.GetValueOrDefault(e.Currency) - e.Amount);
    }

    public override string AggregateType => "economy";
}
