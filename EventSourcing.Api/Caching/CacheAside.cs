using System.Diagnostics.Metrics;
using EventSourcing.Core.Caching;
using StackExchange.Redis;

namespace EventSourcing.Api.Caching;

/// <summary>
/// Redis as a cache beside PostgreSQL: a lookup counts as hit, miss or error (Redis away); every failure only costs
/// speed, never correctness, because the caller then reads PostgreSQL.
/// </summary>
public sealed class CacheAside(IConnectionMultiplexer redis, ILogger<CacheAside> logger)
{
    public bool Available => redis.IsConnected;

    /// <summary>The cached version and JSON, or null (a miss, or Redis away) after counting the lookup on <paramref name="lookups"/>.</summary>
    public async Task<(long Version, string Json)?> GetAsync(string key, Counter<long> lookups)
    {
        try
        {
            if (!redis.IsConnected)
            {
                throw new RedisConnectionException(ConnectionFailureType.UnableToConnect, "not connected");
            }

            var cached = await redis.GetDatabase().StringGetAsync(key);
            Count(lookups, cached.HasValue ? "hit" : "miss");
            return cached.HasValue ? VersionedCacheEntry.Parse(cached!) : null;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            Count(lookups, "error");
            logger.LogDebug("Cache unavailable: {Message}", ex.Message);
            return null;
        }
    }

    /// <summary>Stores the entry unless Redis holds a newer version of it already.</summary>
    public async Task SetIfNotOlderAsync(string key, long version, string json, TimeSpan timeToLive)
    {
        if (!redis.IsConnected)
        {
            return;
        }

        try
        {
            var (keys, arguments) = VersionedCacheEntry.ScriptInput([(key, version, json)], timeToLive);
            await redis.GetDatabase().ScriptEvaluateAsync(VersionedCacheEntry.SetIfNotOlderScript, [.. keys.Select(k => (RedisKey)k)],
                [.. arguments.Select(a => (RedisValue)a)], CommandFlags.FireAndForget);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            // Serving from PostgreSQL is correct, just slower.
        }
    }

    private static void Count(Counter<long> lookups, string result) => lookups.Add(1, new KeyValuePair<string, object?>("result", result));
}
