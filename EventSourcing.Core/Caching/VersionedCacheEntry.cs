using System.Globalization;

namespace EventSourcing.Core.Caching;

/// <summary>
/// A Redis cache entry that knows the version it holds: "version|json". It is only ever replaced by one at least as
/// new (<see cref="SetIfNotOlderScript"/>), so a reader that loaded a document just before an update can never put
/// the older one back over the update.
/// </summary>
public static class VersionedCacheEntry
{
    /// <summary>
    /// KEYS = the keys; ARGV[1] = TTL in ms, then per key its version and entry (ARGV[2i], ARGV[2i + 1]). One call
    /// stores a whole batch; returns how many entries were stored.
    /// </summary>
    public const string SetIfNotOlderScript =
        """
        local stored = 0
        for i, key in ipairs(KEYS) do
            local version = tonumber(ARGV[2 * i])
            local current = redis.call('GET', key)
            local held = current and tonumber(string.match(current, '^(%d+)|'))
            if not (held and held > version) then
                redis.call('SET', key, ARGV[2 * i + 1], 'PX', ARGV[1])
                stored = stored + 1
            end
        end
        return stored
        """;

    /// <summary>The keys and arguments of <see cref="SetIfNotOlderScript"/> for a batch of (key, version, json).</summary>
    public static (string[] Keys, string[] Arguments) ScriptInput(IReadOnlyCollection<(string Key, long Version, string Json)> entries, TimeSpan timeToLive)
    {
        var arguments = new List<string> { ((long)timeToLive.TotalMilliseconds).ToString(CultureInfo.InvariantCulture) };
        foreach (var (_, version, json) in entries)
        {
            arguments.Add(version.ToString(CultureInfo.InvariantCulture));
            arguments.Add(Entry(version, json));
        }

        return ([.. entries.Select(e => e.Key)], [.. arguments]);
    }

    public static string Entry(long version, string json) => $"{version.ToString(CultureInfo.InvariantCulture)}|{json}";

    /// <summary>The version and the JSON of an entry.</summary>
    public static (long Version, string Json) Parse(string entry)
    {
        var separator = entry.IndexOf('|', StringComparison.Ordinal);
        return (long.Parse(entry.AsSpan(0, separator), CultureInfo.InvariantCulture), entry[(separator + 1)..]);
    }
}
