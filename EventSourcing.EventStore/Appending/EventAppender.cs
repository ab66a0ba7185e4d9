using System.Diagnostics;
using System.Threading.Channels;
using EventSourcing.Domain.Appending;
using EventSourcing.Domain.Events;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace EventSourcing.EventStore.Appending;

/// <summary>
/// The write path. Requests queue on a channel; one writer loop drains whatever has queued into a single transaction
/// (group commit), so concurrent appends share one fsync instead of paying one each. Only a committed transaction
/// completes a request, so an acknowledged event is durable.
/// </summary>
public sealed class EventAppender(
    NpgsqlDataSource dataSource,
    TimeProvider timeProvider,
    EventStoreMetrics metrics,
    ILogger<EventAppender> logger) : BackgroundService
{
    /// <summary>Events per commit at most; larger groups gain little and hold the stream locks longer.</summary>
    public const int MaxEventsPerCommit = 1000;

    /// <summary>
    /// Groups in flight at once: while one waits for its fsync the next is being decided. Both lock stream rows in
    /// id order and only then the position counter, so they serialise where they must and cannot deadlock.
    /// Two were not faster than one on our CPU-bound machines (BENCHMARKS.md), so one it is.
    /// </summary>
    public const int Writers = 1;

    private static readonly TimeSpan[] RetryDelays = [TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)];

    private readonly Channel<PendingAppend> _queue = Channel.CreateBounded<PendingAppend>(
        new BoundedChannelOptions(20_000) { SingleReader = false, FullMode = BoundedChannelFullMode.Wait });

    public async Task<AppendOutcome> AppendAsync(IReadOnlyList<NewEvent> events, CancellationToken cancellationToken)
    {
        var pending = new PendingAppend(events, Activity.Current?.Id);
        await _queue.Writer.WriteAsync(pending, cancellationToken);
        // Once queued, the request is decided even if the caller goes away: never abandon a commit half-way.
        return await pending.Completion.Task;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.WhenAll(Enumerable.Range(0, Writers).Select(_ => Task.Run(() => WriteLoopAsync(stoppingToken), CancellationToken.None)));

        // Whatever is still queued at shutdown is refused, not silently dropped.
        _queue.Writer.TryComplete();
        while (_queue.Reader.TryRead(out var left))
        {
            left.Completion.TrySetResult(new AppendOutcome.Unavailable("the service is shutting down"));
        }
    }

    private async Task WriteLoopAsync(CancellationToken stoppingToken)
    {
        var group = new List<PendingAppend>();
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken))
            {
                group.Clear();
                var events = 0;
                while (events < MaxEventsPerCommit && _queue.Reader.TryPeek(out var next)
                       && (group.Count == 0 || events + next.Events.Count <= MaxEventsPerCommit)
                       && _queue.Reader.TryRead(out next))
                {
                    group.Add(next);
                    events += next.Events.Count;
                }

                await CommitGroupAsync(group, CancellationToken.None);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task CommitGroupAsync(List<PendingAppend> group, CancellationToken cancellationToken)
    {
        var outcomes = await TryCommitAsync(group, cancellationToken);
        if (outcomes is null && group.Count > 1)
        {
            // A data error the validation did not foresee: find the request at fault by committing each alone.
            foreach (var single in group)
            {
                await CommitGroupAsync([single], cancellationToken);
            }

            return;
        }

        outcomes ??= [new AppendOutcome.Rejected(AppendRejection.InvalidData, "the store refused this data", 0)];
        for (var i = 0; i < group.Count; i++)
        {
            Complete(group[i], outcomes[i]);
        }
    }

    /// <summary>Null when PostgreSQL refused the data itself (not a conflict, not an outage).</summary>
    private async Task<AppendOutcome[]?> TryCommitAsync(List<PendingAppend> group, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
                return await AppendTransaction.ExecuteAsync(connection, group, timeProvider.GetUtcNow(), retry: attempt > 0, cancellationToken);
            }
            catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected
                                               && attempt < RetryDelays.Length)
            {
                // Another writer (another replica) created the same stream or event first: decide again.
                logger.LogDebug("Append group raced another writer ({SqlState}); retrying", ex.SqlState);
            }
            catch (PostgresException ex) when (ex.SqlState.StartsWith("22", StringComparison.Ordinal) || ex.SqlState.StartsWith("23", StringComparison.Ordinal))
            {
                logger.LogWarning(ex, "The store refused an append group's data");
                return null;
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException && attempt < RetryDelays.Length)
            {
                // Retrying is safe even if the lost commit did happen: every event already has its id, so the retry
                // finds it stored and answers with it instead of writing it twice.
                logger.LogWarning("Event store unreachable (attempt {Attempt}): {Message}", attempt + 1, ex.Message);
                await Task.Delay(RetryDelays[attempt], cancellationToken);
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
            {
                logger.LogError(ex, "Event store unavailable; refusing {Count} request(s)", group.Count);
                return [.. group.Select(_ => new AppendOutcome.Unavailable("the event store is unavailable"))];
            }
        }
    }

    private void Complete(PendingAppend request, AppendOutcome outcome)
    {
        if (outcome is AppendOutcome.Stored { AllDuplicates: false } stored)
        {
            metrics.Appended(stored.Events);
        }

        metrics.AppendLatency(Stopwatch.GetElapsedTime(request.EnqueuedAt), outcome);
        request.Completion.TrySetResult(outcome);
    }
}
