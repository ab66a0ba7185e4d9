using System.Text.Json;
using System.Text.Json.Nodes;
using EventSourcing.Domain.Events;

namespace EventSourcing.Domain.Aggregates;

/// <summary>How one aggregate type turns its events into state: validation of each payload, and the fold.</summary>
public interface IAggregateDefinition
{
    string AggregateType { get; }

    IReadOnlyCollection<string> EventTypes { get; }

    /// <summary>Field errors of a payload (empty when valid); an unknown event type is an error too.</summary>
    IEnumerable<KeyValuePair<string, string>> Validate(string eventType, int eventVersion, JsonElement payload);

    /// <summary>Folds events (in version order) into the state's JSON, starting from a snapshot's state when given.</summary>
    JsonElement Fold(Guid aggregateId, JsonElement? snapshot, IEnumerable<StoredEvent> events);
}

/// <summary>
/// A registered aggregate type: typed events (plain records, deserialized from the payload) applied to a typed state
/// by plain methods. Events are facts already decided by the game, so appliers accept them in any order.
/// </summary>
public abstract class AggregateDefinition<TState> : IAggregateDefinition
    where TState : new()
{
    internal static JsonSerializerOptions Json => DomainJson.Default.Options;

    private readonly Dictionary<(string Type, int Version), Registration> _events = [];

    public abstract string AggregateType { get; }

    public IReadOnlyCollection<string> EventTypes => [.. _events.Keys.Select(k => k.Type).Distinct()];

    /// <summary>Registers the event type named like <typeparamref name="TEvent"/> (schema version 1) with its applier.</summary>
    protected void On<TEvent>(Action<TState, TEvent> apply)
        where TEvent : notnull => On(1, apply);

    protected void On<TEvent>(int eventVersion, Action<TState, TEvent> apply)
        where TEvent : notnull =>
        _events[(typeof(TEvent).Name, eventVersion)] = new(payload => payload.Deserialize<TEvent>(Json)!, (state, e) => apply(state, (TEvent)e));

    /// <summary>An older schema of <typeparamref name="TNew"/>'s event type, upcast to the current one before it is applied.</summary>
    protected void Upcast<TOld, TNew>(int oldVersion, int newVersion, Func<TOld, TNew> upcast)
        where TNew : notnull =>
        _events[(typeof(TNew).Name, oldVersion)] = new(
            payload => upcast(payload.Deserialize<TOld>(Json)!),
            (state, e) => _events[(typeof(TNew).Name, newVersion)].Apply(state, e));

    public IEnumerable<KeyValuePair<string, string>> Validate(string eventType, int eventVersion, JsonElement payload)
    {
        if (!_events.TryGetValue((eventType, eventVersion), out var registration))
        {
            var known = string.Join(", ", _events.Keys.Select(k => $"{k.Type} v{k.Version}").Order());
            return [new("$eventType", $"'{eventType}' v{eventVersion} is not an event of '{AggregateType}' (known: {known})")];
        }

        try
        {
            return registration.Parse(payload) is IValidatableEvent validatable ? [.. validatable.Errors()] : [];
        }
        catch (JsonException ex)
        {
            return Describe(ex);
        }
    }

    public JsonElement Fold(Guid aggregateId, JsonElement? snapshot, IEnumerable<StoredEvent> events)
    {
        var state = snapshot is { } known ? known.Deserialize<TState>(Json)! : Initial(aggregateId);
        foreach (var e in events)
        {
            if (_events.TryGetValue((e.EventType, e.EventVersion), out var registration))
            {
                registration.Apply(state, registration.Parse(e.Payload));
            }
        }

        return JsonSerializer.SerializeToElement(state, Json);
    }

    protected virtual TState Initial(Guid aggregateId) => new();

    /// <summary>System.Text.Json's messages name .NET types; a game team needs the field and what is wrong with it.</summary>
    private static IEnumerable<KeyValuePair<string, string>> Describe(JsonException ex)
    {
        var field = ex.Path is { Length: > 1 } path ? path.TrimStart('$', '.') : "";
        var message = ex.Message;
        var missing = System.Text.RegularExpressions.Regex.Matches(message, "missing required properties including: (.*)");
        if (missing.Count > 0)
        {
            return missing[0].Groups[1].Value.Split(',')
                .Select(name => new KeyValuePair<string, string>(Join(field, name.Trim(' ', '\'', '.')), "is required"));
        }

        return [new(field, message.Contains("null", StringComparison.Ordinal) ? "must not be null" : "has the wrong type")];
    }

    private static string Join(string parent, string name) => parent.Length == 0 ? name : $"{parent}.{name}";

    /// <summary>How to read one event type's payload, and what it does to the state.</summary>
    private sealed record Registration(Func<JsonElement, object> Parse, Action<TState, object> Apply);
}

/// <summary>
/// An event whose payload has rules beyond its shape (an amount that must be positive, …), checked at append only:
/// stored events are facts and always replay.
/// </summary>
public interface IValidatableEvent
{
    /// <summary>Field errors (field name as in the payload, what is wrong); empty when valid.</summary>
    IEnumerable<KeyValuePair<string, string>> Errors();
}

/// <summary>Small building blocks for <see cref="IValidatableEvent.Errors"/>.</summary>
public static class EventRules
{
    public static IEnumerable<KeyValuePair<string, string>> Positive(string field, long value) =>
        value > 0 ? [] : [new(field, "must be greater than 0")];

    public static IEnumerable<KeyValuePair<string, string>> NotBlank(string field, string? value) =>
        string.IsNullOrWhiteSpace(value) ? [new(field, "must not be empty")] : [];

    /// <summary>
    /// A list whose items may not be null: the serializer's null check does not look inside lists, and a null item
    /// would only fail later, when the event is folded (it could then never be read or projected again).
    /// </summary>
    public static IEnumerable<KeyValuePair<string, string>> NoNullItems<T>(string field, IReadOnlyList<T?>? items) =>
        items?.Select((item, i) => (item, i)).Where(x => x.item is null).Select(x => new KeyValuePair<string, string>($"{field}[{x.i}]", "must not be null")) ?? [];
}

/// <summary>An unregistered aggregate type: its state is the JSON merge (RFC 7386) of its payloads in order.</summary>
public sealed class FreeFormAggregate(string aggregateType) : IAggregateDefinition
{
    public string AggregateType { get; } = aggregateType;

    public IReadOnlyCollection<string> EventTypes => [];

    public IEnumerable<KeyValuePair<string, string>> Validate(string eventType, int eventVersion, JsonElement payload) => [];

    /// <summary>The state is merged as a JSON tree (a merge patch edits it in place), converted once per fold.</summary>
    public JsonElement Fold(Guid aggregateId, JsonElement? snapshot, IEnumerable<StoredEvent> events)
    {
        var state = snapshot is { } known ? JsonObject.Create(known)!.DeepClone().AsObject() : [];
        foreach (var e in events)
        {
            JsonMergePatch.Apply(state, JsonObject.Create(e.Payload)!);
        }

        return JsonSerializer.SerializeToElement(state, DomainJson.Default.JsonObject);
    }
}

/// <summary>RFC 7386 JSON Merge Patch.</summary>
public static class JsonMergePatch
{
    public static void Apply(JsonObject target, JsonObject patch)
    {
        foreach (var (name, value) in patch)
        {
            if (value is null)
            {
                target.Remove(name);
            }
            else if (value is JsonObject patchObject)
            {
                if (target[name] is not JsonObject targetObject)
                {
                    targetObject = [];
                    target[name] = targetObject;
                }

                Apply(targetObject, patchObject);
            }
            else
            {
                target[name] = value.DeepClone();
            }
        }
    }
}
