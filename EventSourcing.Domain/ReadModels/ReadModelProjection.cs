using System.Text.Json;
using System.Text.Json.Nodes;
using EventSourcing.Domain.Events;

namespace EventSourcing.Domain.ReadModels;

/// <summary>A read model fed by one aggregate type: one document per aggregate.</summary>
public interface IReadModelProjection
{
    string ModelName { get; }

    string AggregateType { get; }

    /// <summary>The document after the events, in order (null: the aggregate has no document yet).</summary>
    JsonObject Fold(JsonObject? document, IReadOnlyList<StoredEvent> events);

    /// <summary>The document's id: may change as the aggregate's events reveal it (player_summary: the playerId).</summary>
    string IdOf(Guid aggregateId, JsonObject document);
}

public static class ReadModelProjectionExtensions
{
    /// <summary>
    /// The document after <paramref name="events"/> (consecutive versions, all newer than <paramref name="current"/>);
    /// throws when an event cannot be applied or the document would grow past the size cap.
    /// </summary>
    public static ReadModelDocument ApplyAll(this IReadModelProjection projection, Guid aggregateId, ReadModelDocument? current,
        IReadOnlyList<StoredEvent> events, DateTimeOffset now)
    {
        var data = projection.Fold(current?.Data, events);
        var document = new ReadModelDocument(projection.IdOf(aggregateId, data), projection.ModelName, data, events[^1].AggregateVersion, now);
        document.EnsureStorable();
        return document;
    }

    /// <summary>
    /// Exactly-once effect over at-least-once delivery: of the events given (any order, repeats allowed), those the
    /// document has not applied yet, once each, in version order. Everything up to the document's version is skipped.
    /// </summary>
    public static List<StoredEvent> Unapplied(this ReadModelDocument? document, IEnumerable<StoredEvent> events) =>
        events.Where(e => e.AggregateVersion > (document?.Version ?? 0)).InVersionOrder();

    /// <summary>
    /// The versions missing between the document and the first unapplied event (delivered v7 while it holds v5: 6..6),
    /// which must be applied first; null when there is no gap.
    /// </summary>
    public static (long From, long To)? GapBefore(this ReadModelDocument? document, IReadOnlyList<StoredEvent> unapplied)
    {
        var next = (document?.Version ?? 0) + 1;
        return unapplied.Count > 0 && unapplied[0].AggregateVersion > next ? (next, unapplied[0].AggregateVersion - 1) : null;
    }
}

/// <summary>A projection written as a plain class with one <c>Apply</c> per event it cares about.</summary>
public abstract class ReadModelProjection<TDocument> : IReadModelProjection
    where TDocument : new()
{
    /// <summary>
    /// The domain's source-generated JSON, without the append-time strictness: a stored event is a fact to apply, and a
    /// document is read back as it was written.
    /// </summary>
    private static readonly JsonSerializerOptions Json = new(DomainJson.Default.Options)
    {
        RespectRequiredConstructorParameters = false,
        RespectNullableAnnotations = false,
    };
    private readonly Dictionary<string, Action<TDocument, StoredEvent>> _appliers = [];

    public abstract string ModelName { get; }

    public abstract string AggregateType { get; }

    protected void On<TEvent>(Action<TDocument, TEvent, StoredEvent> apply) => On(typeof(TEvent).Name, apply);

    protected void On<TEvent>(string eventType, Action<TDocument, TEvent, StoredEvent> apply) =>
        _appliers[eventType] = (document, e) => apply(document, e.Payload.Deserialize<TEvent>(Json)!, e);

    /// <summary>The document is converted to <typeparamref name="TDocument"/> once per batch of events, not per event.</summary>
    public JsonObject Fold(JsonObject? document, IReadOnlyList<StoredEvent> events)
    {
        var typed = document is null ? new TDocument() : document.Deserialize<TDocument>(Json)!;
        foreach (var e in events)
        {
            if (_appliers.TryGetValue(e.EventType, out var apply))
            {
                apply(typed, e);
            }

            Touch(typed, e);
        }

        return JsonSerializer.SerializeToNode(typed, Json)!.AsObject();
    }

    public abstract string IdOf(Guid aggregateId, JsonObject document);

    /// <summary>The document's natural id (its <paramref name="field"/>, e.g. playerId) once an event has named it, else the aggregate id.</summary>
    protected static string NaturalIdOr(Guid aggregateId, JsonObject document, string field) =>
        document[field] is JsonValue value && value.TryGetValue<string>(out var id) && id.Length > 0 ? id : aggregateId.ToString();

    /// <summary>Called for every event, handled or not (e.g. to track when the aggregate was last seen).</summary>
    protected virtual void Touch(TDocument document, StoredEvent e)
    {
    }
}
