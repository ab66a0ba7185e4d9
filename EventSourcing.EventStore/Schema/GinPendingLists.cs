using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace EventSourcing.EventStore.Schema;

/// <summary>
/// Merges the pending lists of the GIN indexes a service writes, off its write path. With <c>fastupdate</c> on
/// (migration 0011) an insert appends its GIN entries to the index's pending list instead of descending the index once
/// per entry, and merging the list in bulk costs a fraction of that (BENCHMARKS.md, session 9). PostgreSQL merges it in
/// whichever insert finds it over <c>gin_pending_list_limit</c> (4 MB), and that insert (an append group holding its
/// stream locks, a projector batch) would stall for the whole merge; merged every <see cref="Interval"/>, the list
/// never gets there. If no cleaner runs, PostgreSQL's own behaviour applies: slower, never wrong, since queries read
/// the pending list too.
/// </summary>
public sealed class GinPendingLists(
    NpgsqlDataSource dataSource,
    TimeProvider timeProvider,
    ILogger<GinPendingLists> logger,
    IReadOnlyList<string> indexes) : BackgroundService
{
    /// <summary>
    /// Larger merges cost less per entry (BENCHMARKS.md, session 9), but the list must stay under its 4 MB limit: half
    /// a second of a payload index's entries does at the rates measured here; far above them, inserts merge it again.
    /// </summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);

    /// <summary>The indexes that the API's appends write.</summary>
    public static readonly string[] EventIndexes = ["event_store.idx_events_payload_gin", "event_store.idx_events_metadata_gin"];

    /// <summary>The index that the processor's projections write.</summary>
    public static readonly string[] ReadModelIndexes = ["event_store.idx_read_models_data_gin"];

    private bool _failing;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, timeProvider);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await MergeAsync(stoppingToken);
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.InsufficientPrivilege)
            {
                logger.LogWarning("Cannot merge GIN pending lists ({Message}); inserts will merge them themselves", ex.MessageText);
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
            {
                // Once as a warning (a missing index, a statement timeout), then quietly while it lasts (an outage).
                logger.Log(_failing ? LogLevel.Debug : LogLevel.Warning, "GIN pending lists not merged this round: {Message}", ex.Message);
                _failing = true;
                continue;
            }

            _failing = false;
        }
    }

    /// <summary>Merges every pending list now; returns the pages merged (0 when another instance is merging them).</summary>
    public async Task<long> MergeAsync(CancellationToken cancellationToken)
    {
        // One instance merges at a time (replicas would otherwise queue on the index's cleanup lock, each holding a
        // connection); the lock goes with the statement. An index that does not exist (yet) is skipped, not an error
        // for the others. A merge runs until the list is empty, so it is bounded: the next round continues it.
        await using var command = dataSource.CreateCommand(
            """
            SELECT coalesce(sum(gin_clean_pending_list(to_regclass(i))), 0)::bigint FROM unnest(@indexes) AS i
            WHERE to_regclass(i) IS NOT NULL AND pg_try_advisory_xact_lock(hashtext('gin_pending_lists:' || array_to_string(@indexes, ',')))
            """);
        command.CommandTimeout = 10;
        command.Parameters.AddWithValue("indexes", indexes.ToArray());
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}
