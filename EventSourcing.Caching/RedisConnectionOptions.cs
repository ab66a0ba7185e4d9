using StackExchange.Redis;

namespace EventSourcing.Caching;

/// <summary>How the API and the processor connect to Redis (the cache is optional: both work without it).</summary>
public static class RedisConnectionOptions
{
    public static void Configure(ConfigurationOptions options)
    {
        // Start and keep retrying while Redis is away: reads fall back to PostgreSQL and readiness says degraded.
        options.AbortOnConnectFail = false;
        // The client's own I/O threads hand every reply to the thread pool, two more thread wake-ups per command.
        // Context switches are the dearest thing on our 2-core VMs: read-model GET at 1,000/s cost the API 503 µs
        // of CPU and 11 switches per request with them, 290 µs and 5.9 on the thread pool (BENCHMARKS.md).
        options.SocketManager = SocketManager.ThreadPool;
    }
}
