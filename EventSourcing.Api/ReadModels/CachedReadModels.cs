using System.Diagnostics.Metrics;
using EventSourcing.Api.Caching;
using EventSourcing.Caching;
using EventSourcing.EventStore.ReadModels;

namespace EventSourcing.Api.ReadModels;

/// <summary>
/// Read-model documents through Redis (cache-aside; the processor writes each updated document through).
/// Redis being away only costs speed: every read falls back to PostgreSQL.
/// </summary>
public sealed class CachedReadModels(ReadModelStore store, CacheAside cache)
{
    private readonly Counter<long> _lookups =
        cache.LookupCounter("event_sourcing_read_model_cache_lookups", "Read-model cache lookups by result (hit, miss, error)");

    /// <summary>The document's JSON as the endpoint serves it (from Redis as stored: no parsing on a hit), or null.</summary>
    public async Task<string?> GetAsync(string modelName, string id, CancellationToken cancellationToken)
    {
        var key = ReadModelCache.Key(modelName, id);
        if (await cache.GetAsync(key, _lookups) is { } cached)
        {
            return cached.Json;
        }

        if (await store.GetAsync(modelName, id, cancellationToken) is not { } document)
        {
            return null;
        }

        var json = ReadModelCache.ToJsonText(document);
        await cache.SetIfNotOlderAsync(key, document.Version, json, ReadModelCache.TimeToLive);
        return json;
    }
}
