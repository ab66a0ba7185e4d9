using System.Text.Json;
using System.Text.Json.Nodes;
using EventSourcing.Core.Events;

namespace EventSourcing.Core.ReadModels;

/// <summary>A read model fed by one aggregate type: one document per aggregate.</summary>
public interface IReadModelProjection
{
    string ModelName { get; }

    string AggregateType { get; }

    /// <summary>Applies one event to the document (null: the aggregate has no document yet).</summary>
    JsonObject Apply(JsonObject? document, StoredEvent e);

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
        var data = current?.Data;
        foreach (var e in events)
        {
            data = projection.Apply(data, e);
        }

        var document = new ReadModelDocument(projection.IdOf(aggregateId, data!), projection.ModelName, data!, events[^1].AggregateVersion, now);
        ReadModelStore.EnsureStorable(document);
        return document;
    }
}

/// <summary>A projection written as a plain class with one <c>Apply</c> per event it cares about.</summary>
public abstract class ReadModelProjection<TDocument> : IReadModelProjection
    where TDocument : new()
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly Dictionary<string, Action<TDocument, StoredEvent>> _appliers = [];

    public abstract string ModelName { get; }

    public abstract string AggregateType { get; }

    protected void On<TEvent>(Action<TDocument, TEvent, StoredEvent> apply) => On(typeof(TEvent).Name, apply);

    protected void On<TEvent>(string eventType, Action<TDocument, TEvent, StoredEvent> apply) =>
        _appliers[eventType] = (document, e) => apply(document, e.Payload.Deserialize<TEvent>(Json)!, e);

    public JsonObject Apply(JsonObject? document, StoredEvent e)
    {
        var typed = document is null ? new TDocument() : document.Deserialize<TDocument>(Json)!;
        if (_appliers.TryGetValue(e.EventType, out var apply))
        {
            apply(typed, e);
        }

        Touch(typed, e);
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
