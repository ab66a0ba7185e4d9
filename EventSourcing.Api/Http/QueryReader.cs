using System.Globalization;
using System.Text.RegularExpressions;
using EventSourcing.Domain.Appending;
using EventSourcing.Domain.Events;

namespace EventSourcing.Api.Http;

/// <summary>Parses query parameters, collecting one error per bad value (unknown names are ignored).</summary>
public sealed class QueryReader(IQueryCollection query)
{
    public Dictionary<string, List<string>> Errors { get; } = [];

    public bool HasErrors => Errors.Count > 0;

    public int Limit(int fallback = 100, int max = 1000) => (int)(Integer("limit", 1, max) ?? fallback);

    public long? Integer(string name, long min, long max)
    {
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

    public Guid? Uuid(string name)
    {
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

    public DateTimeOffset? Timestamp(string name)
    {
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

    public string? Matching(string name, Regex pattern)
    {
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

    public bool? Boolean(string name)
    {
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

    public T? Choice<T>(string name)
        where T : struct, Enum
    {
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

    /// <summary>A route value that must be a UUID; a bad one is an error under the route parameter's name.</summary>
    public Guid RouteUuid(string name, string text)
    {
        if (Guid.TryParseExact(text, "D", out var value))
        {
            return value;
        }

        Error(name, EventNames.NotAUuid);
        return Guid.Empty;
    }

    /// <summary>A route value that must match <paramref name="pattern"/> (an aggregate type, a model name).</summary>
    public string RouteMatching(string name, string text, Regex pattern)
    {
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
