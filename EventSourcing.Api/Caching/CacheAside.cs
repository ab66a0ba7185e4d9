using System.Diagnostics.Metrics;
using EventSourcing.Caching;
using StackExchange.Redis;

namespace EventSourcing.Api.Caching;

/// <summary>
/// Redis as a cache beside PostgreSQL: a lookup counts as hit, miss or error (Redis away) on its cache's counter;
/// every failure only costs speed, never correctness, because the caller then reads PostgreSQL.
/// </summary>
public sealed class CacheAside : IDisposable
{
    public const string MeterName = "EventSourcing.Cache";

    private readonly IConnectionMultiplexer _redis;
    private readonly ILogger<CacheAside> _logger;
    private readonly Meter _meter;

    public CacheAside(IConnectionMultiplexer redis, IMeterFactory meterFactory, ILogger<CacheAside> logger)
    {
        _redis = redis;
        _logger = logger;
        _meter = meterFactory.Create(MeterName);
    }

    /// <summary>The lookup counter of one cache (hit, miss, error), e.g. event_sourcing_read_model_cache_lookups.</summary>
    public Counter<long> LookupCounter(string name, string description) => _meter.CreateCounter<long>(name, "{lookup}", description);

    /// <summary>The cached version and JSON, or null (a miss, or Redis away) after counting the lookup on <paramref name="lookups"/>.</summary>
    public async Task<(long Version, string Json)?> GetAsync(string key, Counter<long> lookups)
    {
        try
        {
            if (!_redis.IsConnected)
            {
                throw new RedisConnectionException(ConnectionFailureType.UnableToConnect, "not connected");
            }

            var cached = await _redis.GetDatabase().StringGetAsync(key);
            Count(lookups, cached.HasValue ? "hit" : "miss");
            return cached.HasValue ? VersionedCacheEntry.Parse(cached!) : null;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            Count(lookups, "error");
            _logger.LogDebug("Cache unavailable: {Message}", ex.Message);
            return null;
        }
    }

    /// <summary>Stores the entry unless Redis holds a newer version of it already.</summary>
    public async Task SetIfNotOlderAsync(string key, long version, string json, TimeSpan timeToLive)
    {
        if (!_redis.IsConnected)
        {
            return;
        }

        try
        {
            await _redis.GetDatabase().SetIfNotOlderAsync([(key, version, json)], timeToLive, CommandFlags.FireAndForget);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            // Serving from PostgreSQL is correct, just slower.
        }
    }

    /// <summary>Counts one lookup of a cache by its result (hit, miss, error) and the tier that answered (memory, redis).</summary>
    public static void Count(Counter<long> lookups, string result, string tier = "redis") =>
        lookups.Add(1, new KeyValuePair<string, object?>("result", result), new KeyValuePair<string, object?>("tier", tier));

    public void Dispose() => _meter.Dispose();
}
