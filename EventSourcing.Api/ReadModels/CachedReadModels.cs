using System.Diagnostics.Metrics;
using EventSourcing.Api.Caching;
using EventSourcing.Core.ReadModels;

namespace EventSourcing.Api.ReadModels;

/// <summary>
/// Read-model documents through Redis (cache-aside; the processor writes each updated document through).
/// Redis being away only costs speed: every read falls back to PostgreSQL.
/// </summary>
public sealed class CachedReadModels : IDisposable
{
    public const string MeterName = "EventSourcing.ReadModelCache";

    private readonly ReadModelStore _store;
    private readonly CacheAside _cache;
    private readonly Meter _meter;
    private readonly Counter<long> _lookups;

    public CachedReadModels(ReadModelStore store, CacheAside cache, IMeterFactory meterFactory)
    {
        _store = store;
        _cache = cache;
        _meter = meterFactory.Create(MeterName);
        _lookups = _meter.CreateCounter<long>("event_sourcing_read_model_cache_lookups", "{lookup}", "Read-model cache lookups by result (hit, miss, error)");
    }

    /// <summary>The document's JSON as the endpoint serves it (from Redis as stored: no parsing on a hit), or null.</summary>
    public async Task<string?> GetAsync(string modelName, string id, CancellationToken cancellationToken)
    {
        var key = ReadModelCache.Key(modelName, id);
        if (await _cache.GetAsync(key, _lookups) is { } cached)
        {
            return cached.Json;
        }

        if (await _store.GetAsync(modelName, id, cancellationToken) is not { } document)
        {
            return null;
        }

        var json = ReadModelCache.ToJson(document).ToJsonString();
        await _cache.SetIfNotOlderAsync(key, document.Version, json, ReadModelCache.TimeToLive);
        return json;
    }

    public void Dispose() => _meter.Dispose();
}
