using System.Text.Json;
using EventSourcing.Domain.Appending;
using EventSourcing.Domain.Game;

namespace EventSourcing.Domain.Aggregates;

/// <summary>
/// The registered aggregate types. Appends of their events are validated against the typed payloads; any other
/// aggregate type is free-form (state = JSON merge of its payloads).
/// </summary>
public sealed class DomainCatalog : IEventPayloadValidator
{
    private readonly Dictionary<string, IAggregateDefinition> _registered;

    public DomainCatalog(IEnumerable<IAggregateDefinition> definitions) =>
        _registered = definitions.ToDictionary(d => d.AggregateType);

    public static DomainCatalog Default { get; } = new(
    [
        new PlayerAggregate(), new QuestAggregate(), new CombatSessionAggregate(), new TournamentAggregate(),
        new GuildAggregate(), new EconomyAggregate(), new InventoryAggregate(),
    ]);

    public IReadOnlyCollection<IAggregateDefinition> Registered => _registered.Values;

    public IAggregateDefinition For(string aggregateType) =>
        _registered.TryGetValue(aggregateType, out var definition) ? definition : new FreeFormAggregate(aggregateType);

    public IEnumerable<KeyValuePair<string, string>> Validate(string aggregateType, string eventType, int eventVersion, JsonElement payload) =>
        _registered.TryGetValue(aggregateType, out var definition) ? definition.Validate(eventType, eventVersion, payload) : [];
}
