using EventSourcing.Domain.Tests.Support;

namespace EventSourcing.Domain.Tests.Game;

[Trait("Category", "Unit")]
public sealed class InventoryAggregateTests
{
    private static readonly Aggregate Inventory = new("inventory");

    [Fact]
    public void The_catalog_registers_the_documented_inventory_events() =>
        Assert.Equal(
            ["InventoryCreated", "InventoryItemAdded", "InventoryItemEquipped", "InventoryItemRemoved", "InventoryItemUnequipped"],
            Inventory.Definition.EventTypes.Order(StringComparer.Ordinal));

    [Theory]
    [InlineData("InventoryCreated", """{"ownerId":"p","capacity":1}""")]
    [InlineData("InventoryItemAdded", """{"itemId":"potion","quantity":5}""")]
    [InlineData("InventoryItemAdded", """{"itemId":"potion"}""")]
    [InlineData("InventoryItemRemoved", """{"itemId":"potion","quantity":2}""")]
    [InlineData("InventoryItemRemoved", """{"itemId":"potion"}""")]
    [InlineData("InventoryItemEquipped", """{"itemId":"sword","slot":"main_hand"}""")]
    [InlineData("InventoryItemUnequipped", """{"slot":"main_hand"}""")]
    public void Valid_payloads_are_accepted(string eventType, string payload) => Assert.Empty(Inventory.Errors(eventType, payload));

    [Theory]
    [InlineData("InventoryCreated", """{"ownerId":"p","capacity":0}""", "capacity: must be greater than 0")]
    [InlineData("InventoryItemAdded", """{"itemId":"potion","quantity":0}""", "quantity: must be greater than 0")]
    [InlineData("InventoryItemRemoved", """{"itemId":"potion","quantity":-1}""", "quantity: must be greater than 0")]
    [InlineData("InventoryItemEquipped", """{"itemId":"sword"}""", "slot: is required")]
    [InlineData("InventoryItemUnequipped", """{"slot":null}""", "slot: must not be null")]
    public void Invalid_payloads_name_the_field(string eventType, string payload, string expected) =>
        Assert.Equal(expected.Split('|'), Inventory.Errors(eventType, payload));

    [Fact]
    public void A_realistic_history_folds_into_the_documented_state()
    {
        Json.Equal("""
            {"ownerId":"player_001","capacity":3,"items":{"potion":3,"sword_001":1,"gem_red":2},"equipped":{"main_hand":"sword_001"}}
            """, Inventory.Fold(GameHistories.Inventory().Events));
    }

    [Fact]
    public void Quantities_default_to_one_stack_and_an_item_at_zero_is_gone()
    {
        var state = Inventory.Fold(
            ("InventoryItemAdded", """{"itemId":"arrow"}"""),
            ("InventoryItemAdded", """{"itemId":"arrow","quantity":19}"""),
            ("InventoryItemAdded", """{"itemId":"potion","quantity":2}"""),
            ("InventoryItemRemoved", """{"itemId":"potion","quantity":2}"""),
            ("InventoryItemAdded", """{"itemId":"rope"}"""),
            ("InventoryItemRemoved", """{"itemId":"rope","quantity":5}"""));

        Json.Equal("""{"arrow":20}""", state["items"]);
    }

    [Fact]
    public void Equipping_before_the_bag_is_created_is_kept()
    {
        var state = Inventory.Fold(
            ("InventoryItemEquipped", """{"itemId":"sword","slot":"main_hand"}"""),
            ("InventoryItemEquipped", """{"itemId":"axe","slot":"main_hand"}"""),
            ("InventoryCreated", """{"ownerId":"p","capacity":10}"""));

        Json.Equal("""{"ownerId":"p","capacity":10,"items":{},"equipped":{"main_hand":"axe"}}""", state);
    }
}
