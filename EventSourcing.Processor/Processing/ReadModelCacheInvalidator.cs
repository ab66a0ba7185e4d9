using EventSourcing.Core.ReadModels;
using StackExchange.Redis;

namespace EventSourcing.Processor.Processing;

/// <summary>Drops cached read-model documents after their rows changed (the API caches aside, with a short TTL).</summary>
public sealed class ReadModelCacheInvalidator(IConnectionMultiplexer redis, ILogger<ReadModelCacheInvalidator> logger)
{
    private const int KeysPerCall = 1000;

    public async Task InvalidateAsync(string modelName, IEnumerable<string> ids)
    {
        if (!redis.IsConnected)
        {
            // Redis away: nothing to invalidate that could be served (reads fall back to PostgreSQL, and entries
            // written before the outage expire within the TTL). Never stall processing on the cache.
            return;
        }

        try
        {
            foreach (var chunk in ids.Distinct().Select(id => (RedisKey)ReadModelCache.Key(modelName, id)).Chunk(KeysPerCall))
            {
                await redis.GetDatabase().KeyDeleteAsync(chunk);
            }
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            // The cache entries expire on their own (short TTL).
            logger.LogWarning("Could not invalidate cached read models: {Message}", ex.Message);
        }
    }
}
