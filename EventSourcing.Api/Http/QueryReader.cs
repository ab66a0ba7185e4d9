using System.Globalization;
using System.Text.Json;
using EventSourcing.Domain.Appending;
using EventSourcing.Domain.Events;

namespace EventSourcing.Api.Http;

/// <summary>Parses query parameters, collecting one error per bad value (unknown names are ignored).</summary>
public sealed class QueryReader(IQueryCollection query)
{
    public Dictionary<string, List<string>> Errors { get; } = [];

    public bool HasErrors => Errors.Count > 0;

    public int Limit() => (int)(Integer(ApiParameters.Limit) ?? (int)ApiParameters.Limit.Default!);

    public long? Integer(ApiParameter parameter)
    {
        var (name, min, max) = (parameter.Name, parameter.Minimum, parameter.Maximum);
        if (Raw(name) is not { } text)
        {
            return null;
        }

        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }

        Error(name, $"must be an integer from {min} to {max}");
        return null;
    }

    public Guid? Uuid(ApiParameter parameter)
    {
        var name = parameter.Name;
        if (Raw(name) is not { } text)
        {
            return null;
        }

        if (Guid.TryParseExact(text, "D", out var value))
        {
            return value;
        }

        Error(name, EventNames.NotAUuid);
        return null;
    }

    public DateTimeOffset? Timestamp(ApiParameter parameter)
    {
        var name = parameter.Name;
        if (Raw(name) is not { } text)
        {
            return null;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value))
        {
            return value;
        }

        Error(name, "must be an RFC 3339 timestamp");
        return null;
    }

    public string? Matching(ApiParameter parameter)
    {
        var (name, pattern) = (parameter.Name, parameter.Pattern!);
        if (Raw(name) is not { } text)
        {
            return null;
        }

        if (pattern.IsMatch(text))
        {
            return text;
        }

        Error(name, EventNames.MustMatch(pattern));
        return null;
    }

    public bool? Boolean(ApiParameter parameter)
    {
        var name = parameter.Name;
        if (Raw(name) is not { } text)
        {
            return null;
        }

        if (bool.TryParse(text, out var value))
        {
            return value;
        }

        Error(name, "must be true or false");
        return null;
    }

    public T? Choice<T>(ApiParameter parameter)
        where T : struct, Enum
    {
        var name = parameter.Name;
        if (Raw(name) is not { } text)
        {
            return null;
        }

        if (Enum.TryParse<T>(text, ignoreCase: true, out var value) && !int.TryParse(text, CultureInfo.InvariantCulture, out _))
        {
            return value;
        }

        Error(name, "must be one of " + string.Join(", ", Enum.GetNames<T>().Select(n => n.ToLowerInvariant())));
        return null;
    }

    /// <summary>Text (a page cursor), at most the parameter's length.</summary>
    public string? Text(ApiParameter parameter)
    {
        if (Raw(parameter.Name) is not { } text)
        {
            return null;
        }

        if (parameter.MaxLength is { } max && text.Length > max)
        {
            Error(parameter.Name, $"must be at most {max} characters");
            return null;
        }

        return text;
    }

    /// <summary>A JSON object (a containment filter) as its text; anything else, or what jsonb cannot hold, is an error.</summary>
    public string? JsonObject(ApiParameter parameter)
    {
        if (Text(parameter) is not { } text)
        {
            return null;
        }

        const string Expected = "must be a JSON object (URL-encoded), such as {\"weapon\":\"bow\"}";
        string? problem;
        try
        {
            using var document = JsonDocument.Parse(text);
            problem = document.RootElement.ValueKind == JsonValueKind.Object ? StorableJson.FindProblem(document.RootElement) : Expected;
        }
        catch (JsonException)
        {
            problem = Expected;
        }

        if (problem is null)
        {
            return text;
        }

        Error(parameter.Name, problem);
        return null;
    }

    /// <summary>A route value that must be a UUID; a bad one is an error under the route parameter's name.</summary>
    public Guid RouteUuid(ApiParameter parameter, string text)
    {
        var name = parameter.Name;
        if (Guid.TryParseExact(text, "D", out var value))
        {
            return value;
        }

        Error(name, EventNames.NotAUuid);
        return Guid.Empty;
    }

    /// <summary>A route value that must match the parameter's pattern (an aggregate type, a model name).</summary>
    public string RouteMatching(ApiParameter parameter, string text)
    {
        var (name, pattern) = (parameter.Name, parameter.Pattern!);
        if (!pattern.IsMatch(text))
        {
            Error(name, EventNames.MustMatch(pattern));
        }

        return text;
    }

    private string? Raw(string name)
    {
        var values = query[name];
        if (values.Count > 1)
        {
            Error(name, "must be given once");
            return null;
        }

        return values.Count == 1 ? values[0] : null;
    }

    public void Error(string name, string message) => AppendRequestParser.Add(Errors, name, message);
}
