using EventSourcing.Domain.Events;

namespace EventSourcing.Domain.Appending;

/// <summary>An aggregate as the append path sees it: its type (which never changes) and its current version.</summary>
public sealed record StreamState(string AggregateType, long Version);

/// <summary>
/// The heart of appending, without the database: requests of one group commit are decided one after the other
/// against the locked streams and the events that may already be stored. A request is all or nothing: a conflict
/// rejects it and changes nothing, so its neighbours in the group are decided as if it had never come; an accepted
/// request's new events and versions are seen by the requests decided after it.
/// </summary>
/// <param name="streams">The current state of every stream the group touches (none: a new aggregate).</param>
/// <param name="existing">Stored events whose ids the group names (client-chosen ids, or every id on a retry).</param>
public sealed class AppendDecision(IReadOnlyDictionary<Guid, StreamState> streams, IReadOnlyDictionary<Guid, StoredEvent> existing, DateTimeOffset now)
{
    private readonly Dictionary<Guid, StreamState> _streams = new(streams);
    private readonly Dictionary<Guid, StoredEvent> _existing = new(existing);
    private readonly List<StoredEvent> _inserts = [];

    /// <summary>The new events of every accepted request, in decision order (positions not assigned yet: 0).</summary>
    public IReadOnlyList<StoredEvent> Inserts => _inserts;

    /// <summary>The versions the group leaves the streams at (accepted requests only).</summary>
    public IEnumerable<StoredEvent> LastOfEachStream => _inserts.GroupBy(e => e.AggregateId).Select(g => g.MaxBy(e => e.AggregateVersion)!);

    /// <summary>
    /// Decides one request: <see cref="AppendOutcome.Stored"/> with its events (new ones at position 0, repeats as
    /// stored), or <see cref="AppendOutcome.Rejected"/> for the first event that cannot be appended.
    /// </summary>
    /// <param name="traceParent">The request's trace, stored with its new events so consumers continue it.</param>
    public AppendOutcome Decide(IReadOnlyList<NewEvent> request, string? traceParent = null)
    {
        var results = new List<StoredEvent>(request.Count);
        var versions = new Dictionary<Guid, StreamState>();
        var mine = new Dictionary<Guid, StoredEvent>();
        // Only a client-chosen eventId makes a repeat a duplicate (200); a server-generated one repeats only when a
        // commit whose outcome was lost is retried, and that is still this request's 201. A repeat inside the request
        // itself is one event, not a duplicate of an earlier request.
        var allDuplicates = true;
        for (var i = 0; i < request.Count; i++)
        {
            var e = request[i];
            if (_existing.TryGetValue(e.EventId, out var earlier) || mine.TryGetValue(e.EventId, out earlier))
            {
                if (!e.SameContentAs(earlier))
                {
                    return new AppendOutcome.Rejected(AppendRejection.EventIdConflict, $"eventId {e.EventId} was already used for a different event", i);
                }

                allDuplicates &= e.EventIdGiven && !mine.ContainsKey(e.EventId);
                results.Add(earlier);
                continue;
            }

            var current = versions.GetValueOrDefault(e.AggregateId) ?? _streams.GetValueOrDefault(e.AggregateId);
            if (current is not null && current.AggregateType != e.AggregateType)
            {
                return new AppendOutcome.Rejected(AppendRejection.AggregateTypeConflict,
                    $"aggregate {e.AggregateId} is a '{current.AggregateType}', not a '{e.AggregateType}'", i, current.Version);
            }

            var currentVersion = current?.Version ?? 0;
            if (e.ExpectedVersion is { } expected && expected != currentVersion)
            {
                return new AppendOutcome.Rejected(AppendRejection.VersionConflict,
                    $"aggregate {e.AggregateId} is at version {currentVersion}, not {expected}", i, currentVersion, expected);
            }

            var stored = new StoredEvent(e.EventId, e.AggregateId, e.AggregateType, currentVersion + 1, e.EventType, e.EventVersion,
                now, e.Payload, e.Metadata, e.CausationId, e.CorrelationId, Position: 0, traceParent);
            versions[e.AggregateId] = new StreamState(e.AggregateType, currentVersion + 1);
            mine[e.EventId] = stored;
            results.Add(stored);
            allDuplicates = false;
        }

        foreach (var (id, state) in versions)
        {
            _streams[id] = state;
        }

        foreach (var stored in mine.Values)
        {
            _existing[stored.EventId] = stored;
            _inserts.Add(stored);
        }

        return new AppendOutcome.Stored(results, allDuplicates);
    }
}
