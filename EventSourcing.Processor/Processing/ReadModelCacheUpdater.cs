using EventSourcing.Core.Caching;
using EventSourcing.Core.ReadModels;
using StackExchange.Redis;

namespace EventSourcing.Processor.Processing;

/// <summary>
/// Keeps the API's cached read-model documents current: each updated document is written through (never over a newer
/// one), ids a document left and documents swapped by a replay are dropped.
/// </summary>
public sealed class ReadModelCacheUpdater(IConnectionMultiplexer redis, ILogger<ReadModelCacheUpdater> logger)
{
    private const int KeysPerCall = 1000;

    public Task StoreAsync(IReadOnlyCollection<ReadModelDocument> updated, IEnumerable<string> removedIds) =>
        WhenConnectedAsync(async database =>
        {
            // Pipelined: one round trip for the whole set.
            var writes = updated.Select(d => database.ScriptEvaluateAsync(VersionedCacheEntry.SetIfNotOlderScript, [ReadModelCache.Key(d.ModelName, d.Id)],
                [d.Version, VersionedCacheEntry.Entry(d.Version, ReadModelCache.ToJson(d).ToJsonString()), (long)ReadModelCache.TimeToLive.TotalMilliseconds]));
            var removed = removedIds.SelectMany(id => updated.Select(d => (RedisKey)ReadModelCache.Key(d.ModelName, id))).ToArray();
            await Task.WhenAll(writes.Append(removed.Length == 0 ? Task.CompletedTask : database.KeyDeleteAsync(removed)));
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

        try
        {
            await update(redis.GetDatabase());
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            // The cache entries expire on their own (short TTL).
            logger.LogWarning("Could not update cached read models: {Message}", ex.Message);
        }
    }
}
