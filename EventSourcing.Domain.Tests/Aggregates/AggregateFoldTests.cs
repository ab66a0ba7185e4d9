namespace EventSourcing.Domain.Tests.Aggregates;

/// <summary>What every registered aggregate's fold promises, over its realistic history.</summary>
public sealed class AggregateFoldTests
{
    [Theory]
    [MemberData(nameof(GameHistories.AggregateTypes), MemberType = typeof(GameHistories))]
    public void Folding_from_a_snapshot_plus_the_later_events_equals_folding_everything(string aggregateType)
    {
        var definition = DomainCatalog.Default.For(aggregateType);
        var history = GameHistories.For(aggregateType);
        var events = history.Events;
        var everything = definition.Fold(history.AggregateId, null, events);

        for (var at = 0; at <= events.Count; at++)
        {
            var snapshot = definition.Fold(history.AggregateId, null, events.Take(at));
            // Snapshots are stored as JSON text and read back.
            var stored = Json.Element(snapshot.GetRawText());

            Json.Equal(everything, definition.Fold(history.AggregateId, stored, events.Skip(at)));
        }
    }

    [Theory]
    [MemberData(nameof(GameHistories.AggregateTypes), MemberType = typeof(GameHistories))]
    public void Folding_changes_neither_the_snapshot_nor_the_events(string aggregateType)
    {
        var definition = DomainCatalog.Default.For(aggregateType);
        var history = GameHistories.For(aggregateType);
        var half = history.Events.Count / 2;
        var snapshot = definition.Fold(history.AggregateId, null, history.Events.Take(half));
        var snapshotBefore = snapshot.GetRawText();
        var payloadsBefore = history.Events.Select(e => e.Payload.GetRawText()).ToList();

        var first = definition.Fold(history.AggregateId, snapshot, history.Events.Skip(half));
        var second = definition.Fold(history.AggregateId, snapshot, history.Events.Skip(half));

        Assert.Equal(snapshotBefore, snapshot.GetRawText());
        Assert.Equal(payloadsBefore, history.Events.Select(e => e.Payload.GetRawText()));
        Json.Equal(first, second);
        // Each fold builds its own state: two results are never the same element of one document.
        Assert.NotEqual(first, second);
    }

    [Theory]
    [MemberData(nameof(GameHistories.AggregateTypes), MemberType = typeof(GameHistories))]
    public void Events_in_reverse_order_are_accepted(string aggregateType)
    {
        // Events are facts the game already decided: no applier refuses one because of what came (or not) before.
        var definition = DomainCatalog.Default.For(aggregateType);
        var history = GameHistories.For(aggregateType);

        var state = definition.Fold(history.AggregateId, null, history.Events.Reverse());

        Assert.NotEmpty(state.EnumerateObject());
    }
}
