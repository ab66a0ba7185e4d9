using System.Text.Json.Nodes;
using EventSourcing.Core.Domain;
using EventSourcing.Core.Events;

namespace EventSourcing.Core.Aggregates;

public sealed record AggregateState(Guid AggregateId, string AggregateType, long Version, JsonObject State, int EventsApplied);

/// <summary>
/// An aggregate's state straight from its events, so it reflects every acknowledged append whatever the processor's
/// lag (read-your-writes). Snapshots will shorten the fold; they are not built yet.
/// </summary>
public sealed class AggregateStateReader(EventReader reader, DomainCatalog catalog)
{
    private const int PageSize = 1000;

    /// <summary>Null when the aggregate has no events or is of another type.</summary>
    public async Task<AggregateState?> LoadAsync(string aggregateType, Guid aggregateId, long? atVersion, CancellationToken cancellationToken)
    {
        var stream = await reader.FindStreamAsync(aggregateId, cancellationToken);
        if (stream is null || stream.AggregateType != aggregateType)
        {
            return null;
        }

        var upTo = Math.Min(atVersion ?? stream.CurrentVersion, stream.CurrentVersion);
        var events = new List<StoredEvent>();
        long? from = 1;
        while (from is { } next && next <= upTo)
        {
            var page = await reader.ReadStreamAsync(aggregateId, next, PageSize, ReadDirection.Forward, cancellationToken);
            events.AddRange(page!.Events.Where(e => e.AggregateVersion <= upTo));
            from = page.NextFromVersion;
        }

        var state = catalog.For(aggregateType).Fold(aggregateId, events);
        return new AggregateState(aggregateId, aggregateType, upTo, state, events.Count);
    }
}
