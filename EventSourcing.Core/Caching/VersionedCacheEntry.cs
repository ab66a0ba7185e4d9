using System.Globalization;

namespace EventSourcing.Core.Caching;

/// <summary>
/// A Redis cache entry that knows the version it holds: "version|json". It is only ever replaced by one at least as
/// new (<see cref="SetIfNotOlderScript"/>), so a reader that loaded a document just before an update can never put
/// the older one back over the update.
/// </summary>
public static class VersionedCacheEntry
{
    /// <summary>KEYS[1] = key, ARGV[1] = version, ARGV[2] = entry, ARGV[3] = TTL in ms. Returns 1 when stored.</summary>
    public const string SetIfNotOlderScript =
        """
        local current = redis.call('GET', KEYS[1])
        if current then
            local version = tonumber(string.match(current, '^(%d+)|'))
            if version and version > tonumber(ARGV[1]) then return 0 end
        end
        redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
        return 1
        """;

    public static string Entry(long version, string json) => $"{version.ToString(CultureInfo.InvariantCulture)}|{json}";

    /// <summary>The version and the JSON of an entry.</summary>
    public static (long Version, string Json) Parse(string entry)
    {
        var separator = entry.IndexOf('|', StringComparison.Ordinal);
        return (long.Parse(entry.AsSpan(0, separator), CultureInfo.InvariantCulture), entry[(separator + 1)..]);
    }
}
