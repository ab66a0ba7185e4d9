namespace EventSourcing.Domain.Tests.Support;

/// <summary>Shortcuts over a registered aggregate definition of <see cref="DomainCatalog.Default"/>.</summary>
internal sealed class Aggregate(string aggregateType)
{
    public IAggregateDefinition Definition { get; } = DomainCatalog.Default.For(aggregateType);

    /// <summary>The payload's field errors as "field: message", in the order Validate gives them.</summary>
    public string[] Errors(string eventType, string payload, int eventVersion = 1) =>
        [.. Definition.Validate(eventType, eventVersion, Json.Element(payload)).Select(e => $"{e.Key}: {e.Value}")];

    public JsonElement Fold(IEnumerable<StoredEvent> events, JsonElement? snapshot = null) => Definition.Fold(Guid.NewGuid(), snapshot, events);

    /// <summary>Folds (eventType, payload) pairs given in version order.</summary>
    public JsonElement Fold(params (string EventType, string Payload)[] events)
    {
        var id = Guid.NewGuid();
        return Definition.Fold(id, null, events.Select((e, i) => History.Event(id, aggregateType, i + 1, e.EventType, e.Payload)));
    }
}
