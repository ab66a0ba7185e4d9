using System.Diagnostics.Metrics;
using EventSourcing.Caching;
using StackExchange.Redis;

namespace EventSourcing.Api.Caching;

/// <summary>
/// Redis as a cache beside PostgreSQL, through the circuit breaker: a lookup counts as hit, miss, error (Redis failed)
/// or skipped (circuit open) on its cache's counter; every failure only costs speed, never correctness, because the
/// caller then reads PostgreSQL.
/// </summary>
public sealed class CacheAside : IDisposable
{
    public const string MeterName = "EventSourcing.Cache";

    private readonly IConnectionMultiplexer _redis;
    private readonly CacheCircuit _circuit;
    private readonly ILogger<CacheAside> _logger;
    private readonly Meter _meter;

    public CacheAside(IConnectionMultiplexer redis, CacheCircuit circuit, IMeterFactory meterFactory, ILogger<CacheAside> logger)
    {
        _redis = redis;
        _circuit = circuit;
        _logger = logger;
        _meter = meterFactory.Create(MeterName);
    }

    /// <summary>The lookup counter of one cache (hit, miss, error), e.g. event_sourcing_read_model_cache_lookups.</summary>
    public Counter<long> LookupCounter(string name, string description) => _meter.CreateCounter<long>(name, "{lookup}", description);

    /// <summary>
    /// The cached version and JSON, or null (a miss, Redis away, or the circuit open) after counting the lookup on
    /// <paramref name="lookups"/> as hit, miss, error or skipped.
    /// </summary>
    public async Task<(long Version, string Json)?> GetAsync(string key, Counter<long> lookups)
    {
        var call = await _circuit.ExecuteAsync(async _ =>
        {
            if (!_redis.IsConnected)
            {
                throw new RedisConnectionException(ConnectionFailureType.UnableToConnect, "not connected");
            }

            return await _redis.GetDatabase().StringGetAsync(key);
        });
        switch (call.Outcome)
        {
            case CacheCallOutcome.Done:
                Count(lookups, call.Value.HasValue ? "hit" : "miss");
                return call.Value.HasValue ? VersionedCacheEntry.Parse(call.Value!) : null;
            case CacheCallOutcome.Skipped:
                Count(lookups, "skipped");
                return null;
            default:
                Count(lookups, "error");
                _logger.LogDebug("Cache unavailable: {Message}", call.Error);
                return null;
        }
    }

    /// <summary>Stores the entry unless Redis holds a newer version of it already (nothing when Redis is away).</summary>
    public async Task SetIfNotOlderAsync(string key, long version, string json, TimeSpan timeToLive)
    {
        if (_redis.IsConnected)
        {
            // Fire and forget: serving from PostgreSQL is correct, just slower, so a failed store changes nothing.
            await _circuit.ExecuteAsync(async _ =>
            {
                await _redis.GetDatabase().SetIfNotOlderAsync([(key, version, json)], timeToLive, CommandFlags.FireAndForget);
                return true;
            });
        }
    }

    /// <summary>Counts one lookup of a cache by its result (hit, miss, error) and the tier that answered (memory, redis).</summary>
    public static void Count(Counter<long> lookups, string result, string tier = "redis") =>
        lookups.Add(1, new KeyValuePair<string, object?>("result", result), new KeyValuePair<string, object?>("tier", tier));

    public void Dispose() => _meter.Dispose();
}
