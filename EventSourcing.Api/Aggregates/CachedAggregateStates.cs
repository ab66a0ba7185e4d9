using System.Diagnostics.Metrics;
using System.Text.Json;
using EventSourcing.Api.Caching;
using EventSourcing.Contracts;
using EventSourcing.EventStore.Aggregates;
using Microsoft.Extensions.Caching.Memory;

namespace EventSourcing.Api.Aggregates;

/// <summary>
/// Current aggregate state from a hot snapshot: the response at some version, kept by the reads themselves in this
/// process's memory and in Redis. A read takes the newest it finds (memory, then Redis) and asks PostgreSQL for the
/// events after it (one indexed query, usually empty), so it still reflects every acknowledged append, whichever
/// replica took it; when there are none the cached text is the answer as it is. Without either (or with Redis away)
/// the state is the latest PostgreSQL snapshot plus the events after it.
/// </summary>
/// <remarks>
/// The state at a version never changes (events are immutable), so a copy in one replica's memory is never wrong, only
/// possibly old, and the PostgreSQL query settles that. The memory tier saves the Redis round trip of a hot aggregate:
/// two thread wake-ups, the dearest thing on our 2-core VMs (BENCHMARKS.md).
/// </remarks>
public sealed class CachedAggregateStates : IDisposable
{
    private static readonly TimeSpan TimeToLive = TimeSpan.FromMinutes(10);

    private readonly AggregateStateReader _states;
    private readonly CacheAside _cache;
    private readonly MemoryCache? _memory;
    private readonly Counter<long> _lookups;

    /// <param name="memoryEntries">How many states this process keeps (0: none, every read asks Redis).</param>
    public CachedAggregateStates(AggregateStateReader states, CacheAside cache, int memoryEntries)
    {
        _states = states;
        _cache = cache;
        _memory = memoryEntries > 0 ? new MemoryCache(new MemoryCacheOptions { SizeLimit = memoryEntries }) : null;
        _lookups = cache.LookupCounter("event_sourcing_aggregate_cache_lookups",
            "Aggregate hot-snapshot lookups by result (hit, miss, error) and tier (memory, redis)");
    }

    /// <summary>The type is in the key: a read under the wrong type misses and gets its 404 from PostgreSQL.</summary>
    private static string Key(string aggregateType, Guid aggregateId) => $"aggregate:{aggregateType}:{aggregateId}";

    /// <summary>The response body of the current state, or null when there is no such aggregate of that type.</summary>
    public async Task<string?> CurrentJsonAsync(string aggregateType, Guid aggregateId, CancellationToken cancellationToken)
    {
        var key = Key(aggregateType, aggregateId);
        var known = FromMemory(key);
        if (known is null && await _cache.GetAsync(key, _lookups) is { } fromRedis)
        {
            known = new HotState(fromRedis.Version, fromRedis.Json);
            Remember(key, known);
        }

        if (known is not null)
        {
            var newer = await _states.CatchUpAsync(aggregateType, aggregateId, known.Version,
                () => JsonSerializer.Deserialize(known.Json, ContractJson.Default.AggregateStateResponse)!.State, cancellationToken);
            return newer is null ? known.Json : await StoreAsync(key, newer);
        }

        return await _states.LoadAsync(aggregateType, aggregateId, null, cancellationToken) is { } aggregate
            ? await StoreAsync(key, aggregate)
            : null;
    }

    public static AggregateStateResponse ToResponse(AggregateState aggregate) =>
        new(aggregate.AggregateId, aggregate.AggregateType, aggregate.Version, aggregate.State);

    private HotState? FromMemory(string key)
    {
        if (_memory?.TryGetValue(key, out HotState? state) is true)
        {
            CacheAside.Count(_lookups, "hit", tier: "memory");
            return state;
        }

        return null;
    }

    /// <summary>Keeps the state unless this process already holds a newer one (concurrent reads race to store).</summary>
    private void Remember(string key, HotState state)
    {
        if (_memory is not null && !(_memory.TryGetValue(key, out HotState? held) && held!.Version >= state.Version))
        {
            _memory.Set(key, state, new MemoryCacheEntryOptions { Size = 1, SlidingExpiration = TimeToLive });
        }
    }

    private async Task<string> StoreAsync(string key, AggregateState aggregate)
    {
        var json = JsonSerializer.Serialize(ToResponse(aggregate), ContractJson.Default.AggregateStateResponse);
        Remember(key, new HotState(aggregate.Version, json));
        await _cache.SetIfNotOlderAsync(key, aggregate.Version, json, TimeToLive);
        return json;
    }

    public void Dispose() => _memory?.Dispose();

    private sealed record HotState(long Version, string Json);
}
