using EventSourcing.Domain.Game;

namespace EventSourcing.Domain.Tests.Aggregates;

public sealed class DomainCatalogTests
{
    [Fact]
    public void The_default_catalog_registers_the_seven_game_aggregate_types()
    {
        Assert.Equal(
            ["combat_session", "economy", "guild", "inventory", "player", "quest", "tournament"],
            DomainCatalog.Default.Registered.Select(d => d.AggregateType).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_registered_type_gets_its_definition_and_any_other_type_is_free_form()
    {
        Assert.IsType<PlayerAggregate>(DomainCatalog.Default.For("player"));
        Assert.Same(DomainCatalog.Default.For("quest"), DomainCatalog.Default.For("quest"));

        var other = Assert.IsType<FreeFormAggregate>(DomainCatalog.Default.For("quest_log"));
        Assert.Equal("quest_log", other.AggregateType);
        Assert.Empty(other.EventTypes);
    }

    [Fact]
    public void Validation_of_an_unregistered_type_accepts_any_payload()
    {
        Assert.Empty(DomainCatalog.Default.Validate("quest_log", "Whatever", 7, Json.Element("""{"amount":-1,"x":null}""")));
    }

    [Fact]
    public void Validation_of_a_registered_type_uses_its_definition()
    {
        var error = Assert.Single(DomainCatalog.Default.Validate("combat_session", "DamageDealt", 1, Json.Element("""{"attackerId":"a","targetId":"b","amount":0}""")));

        Assert.Equal("amount", error.Key);
        Assert.Equal("must be greater than 0", error.Value);
    }

    [Fact]
    public void A_catalog_built_from_other_definitions_knows_only_those()
    {
        var catalog = new DomainCatalog([new GuildAggregate()]);

        Assert.Equal(["guild"], catalog.Registered.Select(d => d.AggregateType));
        Assert.IsType<FreeFormAggregate>(catalog.For("player"));
        Assert.Empty(catalog.Validate("player", "PlayerLevelUp", 1, EventJson.EmptyObject));
    }

    [Theory]
    [MemberData(nameof(GameHistories.AggregateTypes), MemberType = typeof(GameHistories))]
    public void Every_event_of_the_realistic_histories_is_a_valid_append(string aggregateType)
    {
        var definition = DomainCatalog.Default.For(aggregateType);

        Assert.All(GameHistories.For(aggregateType).Events, e =>
            Assert.Empty(definition.Validate(e.EventType, e.EventVersion, e.Payload)));
    }

    [Fact]
    public void Stored_events_of_a_type_no_longer_registered_are_skipped_by_the_fold()
    {
        var player = new Aggregate("player");
        var id = Guid.NewGuid();
        var known = History.Event(id, "player", 1, "PlayerLevelUp", """{"newLevel":3}""");
        var retired = History.Event(id, "player", 2, "PlayerTeleported", """{"to":"moon"}""");

        Json.Equal(player.Definition.Fold(id, null, [known]), player.Definition.Fold(id, null, [known, retired]));
    }
}
