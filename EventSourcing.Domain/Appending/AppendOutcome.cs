using EventSourcing.Domain.Events;

namespace EventSourcing.Domain.Appending;

/// <summary>What happened to one append request (a single event or a whole batch).</summary>
public abstract record AppendOutcome
{
    private AppendOutcome()
    {
    }

    /// <summary>Written now (201), or every event was an idempotent retry of stored ones (200).</summary>
    public sealed record Stored(IReadOnlyList<StoredEvent> Events, bool AllDuplicates) : AppendOutcome;

    /// <summary>Refused without writing anything (409 or 400).</summary>
    public sealed record Rejected(AppendRejection Reason, string Detail, int Index, long? CurrentVersion = null, long? ExpectedVersion = null) : AppendOutcome;

    /// <summary>The store could not be reached after retries (503).</summary>
    public sealed record Unavailable(string Detail) : AppendOutcome;
}

public enum AppendRejection
{
    VersionConflict,
    AggregateTypeConflict,
    EventIdConflict,
    InvalidData,
}
