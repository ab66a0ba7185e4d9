using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using EventSourcing.Domain.Events;

namespace EventSourcing.Domain.Appending;

/// <summary>
/// Checks a payload against the domain catalog. The catalog (registered aggregate types and their typed events)
/// plugs in here; until then every payload object is accepted.
/// </summary>
public interface IEventPayloadValidator
{
    IEnumerable<KeyValuePair<string, string>> Validate(string aggregateType, string eventType, int eventVersion, JsonObject payload);
}

/// <summary>
/// Turns a request body's event object into a <see cref="NewEvent"/>, collecting every field error (RFC 9457
/// <c>errors</c>: field name to messages) instead of stopping at the first.
/// </summary>
public sealed class AppendRequestParser(IEnumerable<IEventPayloadValidator> payloadValidators)
{
    public NewEvent? Parse(JsonNode? node, string prefix, Dictionary<string, List<string>> errors)
    {
        try
        {
            return ParseObject(node, prefix, errors);
        }
        catch (InvalidOperationException)
        {
            // System.Text.Json transcodes strings lazily: invalid UTF-8 or a lone surrogate surfaces here.
            Add(errors, prefix.TrimEnd('.') is { Length: > 0 } field ? field : "body", "contains text that is not valid Unicode");
            return null;
        }
        catch (ArgumentException)
        {
            // A JSON object's members are read into a dictionary on first use: a repeated name surfaces here.
            Add(errors, prefix.TrimEnd('.') is { Length: > 0 } field ? field : "body", StorableJson.RepeatedMember);
            return null;
        }
    }

    private NewEvent? ParseObject(JsonNode? node, string prefix, Dictionary<string, List<string>> errors)
    {
        if (node is not JsonObject body)
        {
            Add(errors, prefix.TrimEnd('.') is { Length: > 0 } field ? field : "body", "must be a JSON object");
            return null;
        }

        var before = errors.Count;
        var aggregateId = RequiredGuid(body, "aggregateId", prefix, errors);
        var aggregateType = Text(body, "aggregateType", prefix, errors, EventNames.AggregateType());
        var eventType = Text(body, "eventType", prefix, errors, EventNames.EventType());
        var eventVersion = OptionalInteger(body, "eventVersion", prefix, errors, min: 1, max: int.MaxValue) ?? 1;
        var payload = JsonObjectField(body, "payload", prefix, errors, required: true);
        var metadata = JsonObjectField(body, "metadata", prefix, errors, required: false) ?? [];
        var eventId = OptionalGuid(body, "eventId", prefix, errors);
        var causationId = OptionalGuid(body, "causationId", prefix, errors);
        var correlationId = OptionalGuid(body, "correlationId", prefix, errors);
        var expectedVersion = OptionalInteger(body, "expectedVersion", prefix, errors, min: 0, max: long.MaxValue);

        if (errors.Count > before || aggregateType is null || eventType is null || payload is null)
        {
            return null;
        }

        // A validator names payload fields; a name starting with '$' is a field of the envelope itself.
        foreach (var (field, message) in payloadValidators.SelectMany(v => v.Validate(aggregateType, eventType, (int)eventVersion, payload)))
        {
            Add(errors, field.StartsWith('$') ? prefix + field[1..] : $"{prefix}payload.{field}".TrimEnd('.'), message);
        }

        if (errors.Count > before)
        {
            return null;
        }

        return new NewEvent(
            eventId ?? Guid.CreateVersion7(), eventId is not null, aggregateId, aggregateType, eventType, (int)eventVersion,
            payload, metadata, causationId, correlationId, expectedVersion);
    }

    private static Guid RequiredGuid(JsonObject body, string name, string prefix, Dictionary<string, List<string>> errors)
    {
        if (!body.TryGetPropertyValue(name, out var node) || node is null)
        {
            Add(errors, prefix + name, "is required");
            return Guid.Empty;
        }

        return ParseGuid(node, name, prefix, errors) ?? Guid.Empty;
    }

    private static Guid? OptionalGuid(JsonObject body, string name, string prefix, Dictionary<string, List<string>> errors) =>
        body.TryGetPropertyValue(name, out var node) && node is not null ? ParseGuid(node, name, prefix, errors) : null;

    private static Guid? ParseGuid(JsonNode node, string name, string prefix, Dictionary<string, List<string>> errors)
    {
        if (node.GetValueKind() == JsonValueKind.String && Guid.TryParseExact(node.GetValue<string>(), "D", out var value))
        {
            return value;
        }

        Add(errors, prefix + name, EventNames.NotAUuid);
        return null;
    }

    private static string? Text(JsonObject body, string name, string prefix, Dictionary<string, List<string>> errors, Regex pattern)
    {
        if (!body.TryGetPropertyValue(name, out var node) || node is null)
        {
            Add(errors, prefix + name, "is required");
            return null;
        }

        if (node.GetValueKind() != JsonValueKind.String || !pattern.IsMatch(node.GetValue<string>()))
        {
            Add(errors, prefix + name, EventNames.MustMatch(pattern));
            return null;
        }

        return node.GetValue<string>();
    }

    private static long? OptionalInteger(JsonObject body, string name, string prefix, Dictionary<string, List<string>> errors, long min, long max)
    {
        if (!body.TryGetPropertyValue(name, out var node) || node is null)
        {
            return null;
        }

        if (node.GetValueKind() == JsonValueKind.Number
            && long.TryParse(node.ToJsonString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            && value >= min && value <= max)
        {
            return value;
        }

        Add(errors, prefix + name, $"must be an integer from {min} to {max}");
        return null;
    }

    private static JsonObject? JsonObjectField(JsonObject body, string name, string prefix, Dictionary<string, List<string>> errors, bool required)
    {
        if (!body.TryGetPropertyValue(name, out var node) || node is null)
        {
            if (required)
            {
                Add(errors, prefix + name, "is required");
            }

            return null;
        }

        if (node is not JsonObject obj)
        {
            Add(errors, prefix + name, "must be a JSON object");
            return null;
        }

        if (StorableJson.FindProblem(obj) is { } problem)
        {
            Add(errors, prefix + name, problem);
            return null;
        }

        return obj;
    }

    public static void Add(Dictionary<string, List<string>> errors, string field, string message)
    {
        if (!errors.TryGetValue(field, out var messages))
        {
            errors[field] = messages = [];
        }

        messages.Add(message);
    }
}

/// <summary>
/// What PostgreSQL's jsonb refuses although JSON allows it: NUL characters, unpaired surrogates, numbers beyond
/// numeric's range. Caught here so that one bad body is a 400 and never fails the commit it would share.
/// </summary>
public static class StorableJson
{
    public const string RepeatedMember = "repeats a member name";

    public static string? FindProblem(JsonNode? node) => node switch
    {
        JsonObject obj => obj.Select(p => BadText(p.Key) ?? FindProblem(p.Value)).FirstOrDefault(p => p is not null),
        JsonArray array => array.Select(FindProblem).FirstOrDefault(p => p is not null),
        JsonValue value when value.GetValueKind() == JsonValueKind.String => BadText(value.GetValue<string>()),
        JsonValue value when value.GetValueKind() == JsonValueKind.Number =>
            double.IsFinite(double.Parse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture)) ? null : "contains a number out of range",
        _ => null,
    };

    private static string? BadText(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\0')
            {
                return "contains a NUL character (\\u0000), which cannot be stored";
            }

            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                return "contains an unpaired UTF-16 surrogate";
            }
        }

        return null;
    }
}
