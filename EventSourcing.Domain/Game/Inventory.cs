using EventSourcing.Domain.Aggregates;

namespace EventSourcing.Domain.Game;

public sealed record InventoryCreated(string OwnerId, int Capacity) : IValidatableEvent
{
    public IEnumerable<KeyValuePair<string, string>> Errors() => EventRules.Positive("capacity", Capacity);
}

public sealed record InventoryItemAdded(string ItemId, long Quantity = 1) : IValidatableEvent
{
    public IEnumerable<KeyValuePair<string, string>> Errors() => EventRules.Positive("quantity", Quantity);
}

public sealed record InventoryItemRemoved(string ItemId, long Quantity = 1) : IValidatableEvent
{
    public IEnumerable<KeyValuePair<string, string>> Errors() => EventRules.Positive("quantity", Quantity);
}

public sealed record InventoryItemEquipped(string ItemId, string Slot);

public sealed record InventoryItemUnequipped(string Slot);

public sealed class InventoryState
{
    public string? OwnerId { get; set; }
    public int Capacity { get; set; }

    /// <summary>Quantity per item id; an item whose quantity reaches 0 is gone.</summary>
    public Dictionary<string, long> Items { get; set; } = [];

    /// <summary>Item id per equipment slot.</summary>
    public Dictionary<string, string> Equipped { get; set; } = [];
}

/// <summary>A player's bag: stackable items by quantity and what is equipped in which slot.</summary>
public sealed class InventoryAggregate : AggregateDefinition<InventoryState>
{
    public InventoryAggregate()
    {
        On<InventoryCreated>((s, e) => (s.OwnerId, s.Capacity) = (e.OwnerId, e.Capacity));
        On<InventoryItemAdded>((s, e) => s.Items.AddTo(e.ItemId, e.Quantity));
        On<InventoryItemRemoved>((s, e) => s.Items.AddTo(e.ItemId, -e.Quantity));
        On<InventoryItemEquipped>((s, e) => s.Equipped[e.Slot] = e.ItemId);
        On<InventoryItemUnequipped>((s, e) => s.Equipped.Remove(e.Slot));
    }

    public override string AggregateType => "inventory";
}
