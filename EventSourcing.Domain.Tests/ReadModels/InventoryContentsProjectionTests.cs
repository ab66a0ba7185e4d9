using EventSourcing.Domain.ReadModels;
using EventSourcing.Domain.Tests.Support;

namespace EventSourcing.Domain.Tests.ReadModels;

[Trait("Category", "Unit")]
public sealed class InventoryContentsProjectionTests
{
    private static readonly IReadModelProjection Contents = Projections.Named("inventory_contents");

    [Fact]
    public void A_realistic_history_gives_the_documented_document()
    {
        var document = Contents.Fold(GameHistories.Inventory());

        Json.Equal("""
            {"ownerId":"player_001","capacity":3,"items":{"potion":3,"sword_001":1,"gem_red":2},"distinctItems":3,
             "totalQuantity":6,"equipped":{"main_hand":"sword_001"},"overCapacity":false}
            """, document);
        Assert.Equal("player_001", Contents.IdOf(GameHistories.InventoryId, document));
    }

    [Fact]
    public void More_distinct_items_than_capacity_is_flagged()
    {
        var document = Contents.Fold(GameHistories.Inventory(), count: 9);

        Assert.True(document["overCapacity"]!.GetValue<bool>());
        Assert.Equal(4, document["distinctItems"]!.GetValue<int>());
        Assert.Equal(7, document["totalQuantity"]!.GetValue<long>());
    }

    [Fact]
    public void A_bag_of_unknown_capacity_is_never_over_capacity()
    {
        var document = Contents.Fold(
            ("InventoryItemAdded", """{"itemId":"a"}"""),
            ("InventoryItemAdded", """{"itemId":"b"}"""));

        Assert.False(document["overCapacity"]!.GetValue<bool>());
        Assert.Equal(2, document["distinctItems"]!.GetValue<int>());
    }

    [Fact]
    public void The_id_is_the_aggregate_id_until_the_owner_is_known()
    {
        var document = Contents.Fold(("InventoryItemAdded", """{"itemId":"a"}"""));

        Assert.Equal(GameHistories.InventoryId.ToString(), Contents.IdOf(GameHistories.InventoryId, document));
    }
}
