using System.Text.Json;
using System.Text.Json.Nodes;
using EventSourcing.Core.Events;

namespace EventSourcing.Core.Aggregates;

/// <summary>How one aggregate type turns its events into state: validation of each payload, and the fold.</summary>
public interface IAggregateDefinition
{
    string AggregateType { get; }

    IReadOnlyCollection<string> EventTypes { get; }

    /// <summary>Field errors of a payload (empty when valid); an unknown event type is an error too.</summary>
    IEnumerable<KeyValuePair<string, string>> Validate(string eventType, int eventVersion, JsonObject payload);

    /// <summary>Folds events (in version order) into the state's JSON, starting from a snapshot's state when given.</summary>
    JsonObject Fold(Guid aggregateId, JsonObject? snapshot, IEnumerable<StoredEvent> events);
}

/// <summary>
/// A registered aggregate type: typed events (plain records, deserialized from the payload) applied to a typed state
/// by plain methods. Events are facts already decided by the game, so appliers accept them in any order.
/// </summary>
public abstract class AggregateDefinition<TState> : IAggregateDefinition
    where TState : new()
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        RespectRequiredConstructorParameters = true,
        RespectNullableAnnotations = true,
    };

    private readonly Dictionary<(string Type, int Version), Func<JsonObject, Action<TState>>> _appliers = [];

    public abstract string AggregateType { get; }

    public IReadOnlyCollection<string> EventTypes => [.. _appliers.Keys.Select(k => k.Type).Distinct()];

    /// <summary>Registers event type <paramref name="eventType"/> (schema version 1) with its applier.</summary>
    protected void On<TEvent>(string eventType, Action<TState, TEvent> apply) => On(eventType, 1, apply);

    protected void On<TEvent>(string eventType, int eventVersion, Action<TState, TEvent> apply) =>
        _appliers[(eventType, eventVersion)] = payload =>
        {
            var e = payload.Deserialize<TEvent>(Json)!;
            return state => apply(state, e);
        };

    /// <summary>An older schema of an event, upcast to the current one before it is applied.</summary>
    protected void Upcast<TOld, TNew>(string eventType, int oldVersion, int newVersion, Func<TOld, TNew> upcast) =>
        _appliers[(eventType, oldVersion)] = payload =>
        {
            var old = payload.Deserialize<TOld>(Json)!;
            var current = _appliers[(eventType, newVersion)];
            return current(JsonSerializer.SerializeToNode(upcast(old), Json)!.AsObject());
        };

    public IEnumerable<KeyValuePair<string, string>> Validate(string eventType, int eventVersion, JsonObject payload)
    {
        if (!_appliers.TryGetValue((eventType, eventVersion), out var applier))
        {
            var known = string.Join(", ", _appliers.Keys.Select(k => $"{k.Type} v{k.Version}").Order());
            return [new("$eventType", $"'{eventType}' v{eventVersion} is not an event of '{AggregateType}' (known: {known})")];
        }

        try
        {
            applier(payload);
            return [];
        }
        catch (JsonException ex)
        {
            return Describe(ex);
        }
    }

    public JsonObject Fold(Guid aggregateId, JsonObject? snapshot, IEnumerable<StoredEvent> events)
    {
        var state = snapshot is null ? Initial(aggregateId) : snapshot.Deserialize<TState>(Json)!;
        foreach (var e in events)
        {
            if (_appliers.TryGetValue((e.EventType, e.EventVersion), out var applier))
            {
                applier(e.Payload)(state);
            }
        }

        return JsonSerializer.SerializeToNode(state, Json)!.AsObject();
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
}

/// <summary>An unregistered aggregate type: its state is the JSON merge (RFC 7386) of its payloads in order.</summary>
public sealed class FreeFormAggregate(string aggregateType) : IAggregateDefinition
{
    public string AggregateType { get; } = aggregateType;

    public IReadOnlyCollection<string> EventTypes => [];

    public IEnumerable<KeyValuePair<string, string>> Validate(string eventType, int eventVersion, JsonObject payload) => [];

    public JsonObject Fold(Guid aggregateId, JsonObject? snapshot, IEnumerable<StoredEvent> events)
    {
        var state = snapshot?.DeepClone().AsObject() ?? [];
        foreach (var e in events)
        {
            JsonMergePatch.Apply(state, e.Payload);
        }

        return state;
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
