using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Text.Unicode;
using EventSourcing.Domain.Events;

namespace EventSourcing.Domain.Appending;

/// <summary>
/// Checks a payload against the domain catalog. The catalog (registered aggregate types and their typed events)
/// plugs in here; until then every payload object is accepted.
/// </summary>
public interface IEventPayloadValidator
{
    IEnumerable<KeyValuePair<string, string>> Validate(string aggregateType, string eventType, int eventVersion, JsonElement payload);
}

/// <summary>
/// Turns a request body's event object into a <see cref="NewEvent"/>, collecting every field error (RFC 9457
/// <c>errors</c>: field name to messages) instead of stopping at the first. It reads the parsed body as it is (one
/// pass over its members); payload and metadata are copied out of it, so the body's document can be released.
/// </summary>
public sealed class AppendRequestParser(IEnumerable<IEventPayloadValidator> payloadValidators)
{
    private static readonly string[] Names =
        ["aggregateId", "aggregateType", "eventType", "eventVersion", "payload", "metadata", "eventId", "causationId", "correlationId", "expectedVersion"];

    private const int AggregateId = 0, AggregateType = 1, EventType = 2, EventVersion = 3, Payload = 4, Metadata = 5,
        EventId = 6, CausationId = 7, CorrelationId = 8, ExpectedVersion = 9;

    public NewEvent? Parse(JsonElement body, string prefix, Dictionary<string, List<string>> errors)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            Add(errors, prefix.TrimEnd('.') is { Length: > 0 } field ? field : "body", "must be a JSON object");
            return null;
        }

        var before = errors.Count;
        var fields = new JsonElement?[Names.Length];
        foreach (var member in body.EnumerateObject())
        {
            var index = Array.FindIndex(Names, member.NameEquals);
            if (index < 0)
            {
                continue; // members the contract does not name are ignored
            }

            if (fields[index] is not null)
            {
                Add(errors, prefix + Names[index], StorableJson.RepeatedMember);
            }

            fields[index] = member.Value;
        }

        var aggregateId = Uuid(fields, AggregateId, prefix, errors, required: true) ?? Guid.Empty;
        var aggregateType = Text(fields, AggregateType, prefix, errors, EventNames.AggregateType());
        var eventType = Text(fields, EventType, prefix, errors, EventNames.EventType());
        var eventVersion = Integer(fields, EventVersion, prefix, errors, min: 1, max: int.MaxValue) ?? 1;
        var payload = JsonObjectField(fields, Payload, prefix, errors, required: true);
        var metadata = JsonObjectField(fields, Metadata, prefix, errors, required: false) ?? EventJson.EmptyObject;
        var eventId = Uuid(fields, EventId, prefix, errors, required: false);
        var causationId = Uuid(fields, CausationId, prefix, errors, required: false);
        var correlationId = Uuid(fields, CorrelationId, prefix, errors, required: false);
        var expectedVersion = Integer(fields, ExpectedVersion, prefix, errors, min: 0, max: long.MaxValue);

        if (errors.Count > before || aggregateType is null || eventType is null || payload is not { } validPayload)
        {
            return null;
        }

        // A validator names payload fields; a name starting with '$' is a field of the envelope itself.
        foreach (var (field, message) in payloadValidators.SelectMany(v => v.Validate(aggregateType, eventType, (int)eventVersion, validPayload)))
        {
            Add(errors, field.StartsWith('$') ? prefix + field[1..] : $"{prefix}payload.{field}".TrimEnd('.'), message);
        }

        if (errors.Count > before)
        {
            return null;
        }

        return new NewEvent(
            eventId ?? Guid.CreateVersion7(), eventId is not null, aggregateId, aggregateType, eventType, (int)eventVersion,
            validPayload.Clone(), metadata.Clone(), causationId, correlationId, expectedVersion);
    }

    /// <summary>The field's value, or null when it is absent or JSON null (which the contract treats as absent).</summary>
    private static JsonElement? Present(JsonElement?[] fields, int index) =>
        fields[index] is { ValueKind: not JsonValueKind.Null } value ? value : null;

    private static Guid? Uuid(JsonElement?[] fields, int index, string prefix, Dictionary<string, List<string>> errors, bool required)
    {
        if (Present(fields, index) is not { } value)
        {
            if (required)
            {
                Add(errors, prefix + Names[index], "is required");
            }

            return null;
        }

        if (value.ValueKind == JsonValueKind.String && Guid.TryParseExact(StorableJson.ReadString(value), "D", out var id))
        {
            return id;
        }

        Add(errors, prefix + Names[index], EventNames.NotAUuid);
        return null;
    }

    private static string? Text(JsonElement?[] fields, int index, string prefix, Dictionary<string, List<string>> errors, Regex pattern)
    {
        if (Present(fields, index) is not { } value)
        {
            Add(errors, prefix + Names[index], "is required");
            return null;
        }

        var text = value.ValueKind == JsonValueKind.String ? StorableJson.ReadString(value) : null;
        if (text is null || !pattern.IsMatch(text))
        {
            Add(errors, prefix + Names[index], EventNames.MustMatch(pattern));
            return null;
        }

        return text;
    }

    private static long? Integer(JsonElement?[] fields, int index, string prefix, Dictionary<string, List<string>> errors, long min, long max)
    {
        if (Present(fields, index) is not { } value)
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number) && number >= min && number <= max)
        {
            return number;
        }

        Add(errors, prefix + Names[index], $"must be an integer from {min} to {max}");
        return null;
    }

    private static JsonElement? JsonObjectField(JsonElement?[] fields, int index, string prefix, Dictionary<string, List<string>> errors, bool required)
    {
        if (Present(fields, index) is not { } value)
        {
            if (required)
            {
                Add(errors, prefix + Names[index], "is required");
            }

            return null;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            Add(errors, prefix + Names[index], "must be a JSON object");
            return null;
        }

        if (StorableJson.FindProblem(value) is { } problem)
        {
            Add(errors, prefix + Names[index], problem);
            return null;
        }

        return value;
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
/// numeric's range; and repeated member names, which JSON leaves undefined. Caught here so that one bad body is a 400
/// and never fails the commit it would share. Payload strings are only decoded when they contain an escape: raw UTF-8
/// text can hold neither a NUL nor a surrogate once it is valid UTF-8.
/// </summary>
public static class StorableJson
{
    public const string RepeatedMember = "repeats a member name";
    public const string NotUnicode = "contains text that is not valid Unicode";

    public static string? FindProblem(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                HashSet<string>? seen = null;
                foreach (var member in element.EnumerateObject())
                {
                    var name = ReadName(member);
                    if (name is null)
                    {
                        return NotUnicode;
                    }

                    seen ??= new HashSet<string>(StringComparer.Ordinal);
                    if (!seen.Add(name))
                    {
                        return RepeatedMember;
                    }

                    if ((BadText(name) ?? FindProblem(member.Value)) is { } problem)
                    {
                        return problem;
                    }
                }

                return null;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    if (FindProblem(item) is { } problem)
                    {
                        return problem;
                    }
                }

                return null;
            case JsonValueKind.String:
                // Valid UTF-8 without an escape holds neither a NUL nor a surrogate: only an escaped string is decoded.
                var raw = JsonMarshal.GetRawUtf8Value(element);
                if (!Utf8.IsValid(raw))
                {
                    return NotUnicode;
                }

                return raw.IndexOf((byte)'\\') < 0 ? null : ReadString(element) is { } text ? BadText(text) : NotUnicode;
            case JsonValueKind.Number:
                return element.TryGetDouble(out var number) && double.IsFinite(number) ? null : "contains a number out of range";
            default:
                return null;
        }
    }

    /// <summary>A string value, or null when its bytes are not valid UTF-8 or its escapes not valid UTF-16.</summary>
    public static string? ReadString(JsonElement value)
    {
        if (!Utf8.IsValid(JsonMarshal.GetRawUtf8Value(value)))
        {
            return null;
        }

        try
        {
            return value.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    private static string? ReadName(JsonProperty member)
    {
        if (!Utf8.IsValid(JsonMarshal.GetRawUtf8PropertyName(member)))
        {
            return null;
        }

        try
        {
            return member.Name;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

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
