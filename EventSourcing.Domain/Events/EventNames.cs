using System.Text.RegularExpressions;

namespace EventSourcing.Domain.Events;

/// <summary>The contract's names (aggregate types, event types) and the field errors that refuse a bad one.</summary>
public static partial class EventNames
{
    public const string NotAUuid = "must be a UUID";

    /// <summary>Aggregate types, and read-model names, which follow the same rule.</summary>
    [GeneratedRegex("^[a-z][a-z0-9_]{0,99}$", RegexOptions.CultureInvariant)]
    public static partial Regex AggregateType();

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_.]{0,199}$", RegexOptions.CultureInvariant)]
    public static partial Regex EventType();

    /// <summary>The field error of a value that does not match <paramref name="pattern"/>.</summary>
    public static string MustMatch(Regex pattern) => $"must match {pattern}";
}
