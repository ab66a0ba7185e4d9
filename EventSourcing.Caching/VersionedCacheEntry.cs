using System.Globalization;
using StackExchange.Redis;

namespace EventSourcing.Caching;

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

    /// <summary>Stores the entries (key, version, JSON) in one script call, each unless Redis holds a newer version.</summary>
    public static Task SetIfNotOlderAsync(this IDatabase database, IReadOnlyCollection<(string Key, long Version, string Json)> entries,
        TimeSpan timeToLive, CommandFlags flags = CommandFlags.None)
    {
        var arguments = new List<RedisValue> { (long)timeToLive.TotalMilliseconds };
        foreach (var (_, version, json) in entries)
        {
            arguments.Add(version);
            arguments.Add(Entry(version, json));
        }

        return database.ScriptEvaluateAsync(SetIfNotOlderScript, [.. entries.Select(e => (RedisKey)e.Key)], [.. arguments], flags);
    }

    private static string Entry(long version, string json) => $"{version.ToString(CultureInfo.InvariantCulture)}|{json}";

    /// <summary>The version and the JSON of an entry.</summary>
    public static (long Version, string Json) Parse(string entry)
    {
        var separator = entry.IndexOf('|', StringComparison.Ordinal);
        return (long.Parse(entry.AsSpan(0, separator), CultureInfo.InvariantCulture), entry[(separator + 1)..]);
    }
}
