using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;
using StackExchange.Redis;

namespace EventSourcing.Caching;

/// <summary>
/// Every Redis call goes through this circuit breaker (the seed's "circuit breaker for external services"). Redis is a
/// cache: when it stops answering, each call would wait for its timeout before the caller falls back to PostgreSQL.
/// After a few failures the circuit opens and calls are skipped at once (the fallback is immediate); after the break it
/// lets a trial call through, and closes again when Redis answers.
/// </summary>
public sealed class CacheCircuit
{
    private readonly ResiliencePipeline _pipeline;

    public CacheCircuit(TimeProvider timeProvider, ILogger<CacheCircuit> logger)
    {
        _pipeline = new ResiliencePipelineBuilder { TimeProvider = timeProvider }
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                FailureRatio = 0.5,
                MinimumThroughput = 2,
                // A short window: a burst of failures opens it even right after plenty of successes.
                SamplingDuration = TimeSpan.FromSeconds(2),
                BreakDuration = TimeSpan.FromSeconds(5),
                ShouldHandle = new PredicateBuilder().Handle<Exception>(IsCacheFailure),
                OnOpened = args =>
                {
                    logger.LogWarning("Redis circuit open for {Break}: calls skip the cache ({Reason})", args.BreakDuration, args.Outcome.Exception?.Message);
                    return default;
                },
                OnClosed = _ =>
                {
                    logger.LogInformation("Redis circuit closed: the cache is back");
                    return default;
                },
            })
            .Build();
    }

    /// <summary>
    /// Runs a Redis call; <see cref="CacheCallOutcome.Skipped"/> when the circuit is open (nothing was sent),
    /// <see cref="CacheCallOutcome.Failed"/> when Redis failed (counted towards opening the circuit).
    /// </summary>
    public async ValueTask<CacheCall<T>> ExecuteAsync<T>(Func<CancellationToken, ValueTask<T>> call, CancellationToken cancellationToken = default)
    {
        try
        {
            return new CacheCall<T>(await _pipeline.ExecuteAsync(call, cancellationToken), CacheCallOutcome.Done);
        }
        catch (BrokenCircuitException)
        {
            return new CacheCall<T>(default, CacheCallOutcome.Skipped);
        }
        catch (Exception ex) when (IsCacheFailure(ex) && !cancellationToken.IsCancellationRequested)
        {
            return new CacheCall<T>(default, CacheCallOutcome.Failed, ex.Message);
        }
    }

    /// <summary>
    /// What Redis being away looks like: its exceptions, timeouts, and commands the client cancels when it drops a
    /// connection (a frozen server ends that way; our calls carry no cancellation of their own).
    /// </summary>
    private static bool IsCacheFailure(Exception ex) => ex is RedisException or TimeoutException or OperationCanceledException;
}

public enum CacheCallOutcome
{
    Done,
    Failed,
    Skipped,
}

public readonly record struct CacheCall<T>(T? Value, CacheCallOutcome Outcome, string? Error = null);
