namespace EventSourcing.Domain.Tests.Support;

/// <summary>One aggregate's stored events, built in version order (10 seconds apart unless a time is given).</summary>
internal sealed class History(string aggregateType, Guid aggregateId)
{
    public static readonly DateTimeOffset T0 = new(2024, 12, 27, 16, 0, 0, TimeSpan.Zero);

    private readonly List<StoredEvent> _events = [];

    public string AggregateType => aggregateType;

    public Guid AggregateId => aggregateId;

    public IReadOnlyList<StoredEvent> Events => _events;

    /// <summary>The next event (version = count + 1).</summary>
    public History Then(string eventType, string payload, int eventVersion = 1, DateTimeOffset? at = null)
    {
        var version = _events.Count + 1;
        _events.Add(Event(aggregateId, aggregateType, version, eventType, payload, eventVersion, at ?? T0.AddSeconds(10 * (version - 1))));
        return this;
    }

    /// <summary>The next events: one of the type for each value, see <see cref="Each"/>.</summary>
    public History ThenEach(string eventType, string member, params string[] values)
    {
        foreach (var (type, payload) in Each(eventType, member, values))
        {
            Then(type, payload);
        }

        return this;
    }

    /// <summary>One (eventType, payload) for each value, in the order given, the payload {"member":value}.</summary>
    public static (string EventType, string Payload)[] Each(string eventType, string member, params string[] values) =>
        [.. values.Select(v => (eventType, new JsonObject { [member] = v }.ToJsonString()))];

    public static StoredEvent Event(Guid aggregateId, string aggregateType, long version, string eventType, string payload,
        int eventVersion = 1, DateTimeOffset? at = null) =>
        Event(aggregateId, aggregateType, version, eventType, Json.Element(payload), eventVersion, at);

    public static StoredEvent Event(Guid aggregateId, string aggregateType, long version, string eventType, JsonElement payload,
        int eventVersion = 1, DateTimeOffset? at = null) =>
        new(Guid.CreateVersion7(), aggregateId, aggregateType, version, eventType, eventVersion,
            at ?? T0.AddSeconds(10 * (version - 1)), payload, EventJson.EmptyObject, null, null, Position: 1000 + version);
}
