using EventSourcing.Caching;
using EventSourcing.Domain.ReadModels;
using StackExchange.Redis;

namespace EventSourcing.Processor.Processing;

/// <summary>
/// Keeps the API's cached read-model documents current: each updated document is written through (never over a newer
/// one), ids a document left and documents swapped by a replay are dropped.
/// </summary>
public sealed class ReadModelCacheUpdater(IConnectionMultiplexer redis, CacheCircuit circuit, ILogger<ReadModelCacheUpdater> logger)
{
    private const int KeysPerCall = 1000;

    /// <param name="updated">The documents a lane committed.</param>
    /// <param name="removed">Ids documents moved away from (player_summary: aggregate id, then the playerId).</param>
    public Task StoreAsync(IReadOnlyCollection<ReadModelDocument> updated, IEnumerable<(string ModelName, string Id)> removed) =>
        WhenConnectedAsync(async database =>
        {
            if (updated.Count == 0)
            {
                return;
            }

            // One script call for the whole set (a call per document cost the processor more than its projections).
            var write = database.SetIfNotOlderAsync(
                [.. updated.Select(d => (ReadModelCache.Key(d.ModelName, d.Id), d.Version, ReadModelCache.ToJsonText(d)))], ReadModelCache.TimeToLive);
            var stale = removed.Select(r => (RedisKey)ReadModelCache.Key(r.ModelName, r.Id)).ToArray();
            await Task.WhenAll(write, stale.Length == 0 ? Task.CompletedTask : database.KeyDeleteAsync(stale));
        });

    public Task InvalidateAsync(string modelName, IEnumerable<string> ids) =>
        WhenConnectedAsync(async database =>
        {
            foreach (var chunk in ids.Distinct().Select(id => (RedisKey)ReadModelCache.Key(modelName, id)).Chunk(KeysPerCall))
            {
                await database.KeyDeleteAsync(chunk);
            }
        });

    private async Task WhenConnectedAsync(Func<IDatabase, Task> update)
    {
        if (!redis.IsConnected)
        {
            // Redis away: nothing to update that could be served (reads fall back to PostgreSQL, and entries
            // written before the outage expire within the TTL). Never stall processing on the cache.
            return;
        }

        var call = await circuit.ExecuteAsync(async _ =>
        {
            await update(redis.GetDatabase());
            return true;
        });
        if (call.Outcome == CacheCallOutcome.Failed)
        {
            // The cache entries expire on their own (short TTL).
            logger.LogWarning("Could not update cached read models: {Message}", call.Error);
        }
    }
}
