using System.Text.RegularExpressions;

namespace EventSourcing.Domain.Events;

/// <summary>The contract's names (aggregate types, event types) and the field errors that refuse a bad one.</summary>
public static partial class EventNames
{
    public const string NotAUuid = "must be a UUID";

    // The patterns end in \z, not $: in .NET, $ also matches before a final newline, which would let "player\n" in.

    /// <summary>Aggregate types, and read-model names, which follow the same rule.</summary>
    [GeneratedRegex(@"^[a-z][a-z0-9_]{0,99}\z", RegexOptions.CultureInvariant)]
    public static partial Regex AggregateType();

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9_.]{0,199}\z", RegexOptions.CultureInvariant)]
    public static partial Regex EventType();

    /// <summary>The field error of a value that does not match <paramref name="pattern"/>, in the contract's notation.</summary>
    public static string MustMatch(Regex pattern) => $"must match {pattern.ToString().Replace(@"\z", "$", StringComparison.Ordinal)}";
}
