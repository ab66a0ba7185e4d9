using System.Text.Json.Nodes;
using EventSourcing.Domain.Game;

namespace EventSourcing.Domain.ReadModels;

public sealed class InventoryContents
{
    public string? OwnerId { get; set; }
    public int Capacity { get; set; }
    public Dictionary<string, long> Items { get; set; } = [];
    public int DistinctItems { get; set; }
    public long TotalQuantity { get; set; }
    public Dictionary<string, string> Equipped { get; set; } = [];

    /// <summary>More distinct items than slots: the game let it happen (events are facts), the read model flags it.</summary>
    public bool OverCapacity { get; set; }
}

/// <summary>inventory_contents: item quantities, what is equipped, how full the bag is.</summary>
public sealed class InventoryContentsProjection : ReadModelProjection<InventoryContents>
{
    public InventoryContentsProjection()
    {
        On<InventoryCreated>((d, e, _) => (d.OwnerId, d.Capacity) = (e.OwnerId, e.Capacity));
        On<InventoryItemAdded>((d, e, _) => d.Items.AddTo(e.ItemId, e.Quantity));
        On<InventoryItemRemoved>((d, e, _) => d.Items.AddTo(e.ItemId, -e.Quantity));
        On<InventoryItemEquipped>((d, e, _) => d.Equipped[e.Slot] = e.ItemId);
        On<InventoryItemUnequipped>((d, e, _) => d.Equipped.Remove(e.Slot));
    }

    public override string ModelName => "inventory_contents";

    public override string AggregateType => "inventory";

    public override string IdOf(Guid aggregateId, JsonObject document) => NaturalIdOr(aggregateId, document, "ownerId");

    protected override void Touch(InventoryContents d, Events.StoredEvent e)
    {
        (d.DistinctItems, d.TotalQuantity) = (d.Items.Count, d.Items.Values.Sum());
        d.OverCapacity = d.Capacity > 0 && d.DistinctItems > d.Capacity;
    }
}
