using StackExchange.Redis;

namespace EventSourcing.Caching;

/// <summary>How the API and the processor connect to Redis (the cache is optional: both work without it).</summary>
public static class RedisConnectionOptions
{
    public static void Configure(ConfigurationOptions options)
    {
        // Start and keep retrying while Redis is away: reads fall back to PostgreSQL and readiness says degraded.
        options.AbortOnConnectFail = false;
        // The client's own I/O threads hand every reply to the thread pool: two more thread wake-ups per command, and
        // wake-ups are the dearest thing on a small shared VM (BENCHMARKS.md, session 5: CPU per read-model GET).
        options.SocketManager = SocketManager.ThreadPool;
        // A cache answer later than this is worse than asking PostgreSQL; a few such and the circuit opens (CacheCircuit).
        options.AsyncTimeout = 1000;
    }
}
