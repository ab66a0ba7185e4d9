using System.Diagnostics.Metrics;
using System.Text.Json.Nodes;
using EventSourcing.Api.Caching;
using EventSourcing.Core.Aggregates;

namespace EventSourcing.Api.Aggregates;

/// <summary>
/// Current aggregate state with a hot snapshot in Redis: the response at some version, kept by the reads themselves.
/// A read takes it and asks PostgreSQL for the events after it (one indexed query, usually empty), so it still reflects
/// every acknowledged append; when there are none the cached text is the answer as it is. Without it (or with Redis
/// away) the state is the latest PostgreSQL snapshot plus the events after it.
/// </summary>
public sealed class CachedAggregateStates(AggregateStateReader states, CacheAside cache)
{
    private static readonly TimeSpan TimeToLive = TimeSpan.FromMinutes(10);

    private readonly Counter<long> _lookups =
        cache.LookupCounter("event_sourcing_aggregate_cache_lookups", "Aggregate hot-snapshot lookups by result (hit, miss, error)");

    /// <summary>The type is in the key: a read under the wrong type misses and gets its 404 from PostgreSQL.</summary>
    private static string Key(string aggregateType, Guid aggregateId) => $"aggregate:{aggregateType}:{aggregateId}";

    /// <summary>The response body of the current state, or null when there is no such aggregate of that type.</summary>
    public async Task<string?> CurrentJsonAsync(string aggregateType, Guid aggregateId, CancellationToken cancellationToken)
    {
        var key = Key(aggregateType, aggregateId);
        if (await cache.GetAsync(key, _lookups) is { } cached)
        {
            var newer = await states.CatchUpAsync(aggregateType, aggregateId, cached.Version,
                () => JsonNode.Parse(cached.Json)!["state"]!.DeepClone().AsObject(), cancellationToken);
            return newer is null ? cached.Json : await StoreAsync(key, newer);
        }

        return await states.LoadAsync(aggregateType, aggregateId, null, cancellationToken) is { } aggregate
            ? await StoreAsync(key, aggregate)
            : null;
    }

    public static JsonObject ToJson(AggregateState aggregate) => new()
    {
        ["aggregateId"] = aggregate.AggregateId.ToString(),
        ["aggregateType"] = aggregate.AggregateType,
        ["currentVersion"] = aggregate.Version,
        ["state"] = aggregate.State,
    };

    private async Task<string> StoreAsync(string key, AggregateState aggregate)
    {
        var json = ToJson(aggregate).ToJsonString();
        await cache.SetIfNotOlderAsync(key, aggregate.Version, json, TimeToLive);
        return json;
    }
}
