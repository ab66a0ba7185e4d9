namespace EventSourcing.Domain.Tests.Appending;

public sealed class AppendDecisionTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);
    private static readonly Guid A = Guid.Parse("aaaaaaaa-0000-4000-8000-000000000001");
    private static readonly Guid B = Guid.Parse("bbbbbbbb-0000-4000-8000-000000000002");
    private static readonly Guid C = Guid.Parse("cccccccc-0000-4000-8000-000000000003");

    private static NewEvent Level(Guid aggregateId, int level, long? expectedVersion = null, Guid? eventId = null, string aggregateType = "player") =>
        new(eventId ?? Guid.CreateVersion7(), eventId is not null, aggregateId, aggregateType, "PlayerLevelUp", 1,
            Json.Element($$"""{"newLevel":{{level}},"experienceGained":100}"""), Json.Element("""{"source":"game_server_01"}"""),
            null, null, expectedVersion);

    /// <summary>What the store holds for an event appended earlier (a real position, an earlier time; its JSON read back from text).</summary>
    private static StoredEvent Stored(NewEvent e, long version, long position) =>
        new(e.EventId, e.AggregateId, e.AggregateType, version, e.EventType, e.EventVersion, Now.AddMinutes(-5),
            Json.Element(e.Payload.GetRawText()), Json.Element(e.Metadata.GetRawText()), e.CausationId, e.CorrelationId, position);

    private static AppendDecision Decision(Dictionary<Guid, StreamState>? streams = null, params StoredEvent[] existing) =>
        new(streams ?? [], existing.ToDictionary(e => e.EventId), Now);

    private static AppendOutcome.Stored Accepted(AppendOutcome outcome) => Assert.IsType<AppendOutcome.Stored>(outcome);

    private static AppendOutcome.Rejected Refused(AppendOutcome outcome) => Assert.IsType<AppendOutcome.Rejected>(outcome);

    /// <summary>The decision refuses the request for this reason at this event, and inserts nothing.</summary>
    private static AppendOutcome.Rejected Refused(AppendDecision decision, IReadOnlyList<NewEvent> request, AppendRejection reason, int index)
    {
        var rejected = Refused(decision.Decide(request));

        Assert.Equal(reason, rejected.Reason);
        Assert.Equal(index, rejected.Index);
        Assert.Empty(decision.Inserts);
        return rejected;
    }

    private static Dictionary<Guid, long> Versions(AppendDecision decision) =>
        decision.LastOfEachStream.ToDictionary(e => e.AggregateId, e => e.AggregateVersion);

    [Fact]
    public void The_first_event_of_a_new_aggregate_gets_version_1_and_carries_the_request_as_given()
    {
        var decision = Decision();
        var request = Level(A, 25, eventId: Guid.NewGuid()) with
        {
            CausationId = Guid.NewGuid(),
            CorrelationId = Guid.NewGuid(),
        };

        var stored = Accepted(decision.Decide([request], "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"));

        Assert.False(stored.AllDuplicates);
        var e = Assert.Single(stored.Events);
        Assert.Equal(1, e.AggregateVersion);
        Assert.Equal(0, e.Position);
        Assert.Equal(Now, e.OccurredAt);
        Assert.Equal(request.EventId, e.EventId);
        Assert.Equal(A, e.AggregateId);
        Assert.Equal("player", e.AggregateType);
        Assert.Equal("PlayerLevelUp", e.EventType);
        Assert.Equal(1, e.EventVersion);
        Assert.Equal(request.CausationId, e.CausationId);
        Assert.Equal(request.CorrelationId, e.CorrelationId);
        Assert.Equal("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", e.TraceParent);
        Json.Equal("""{"newLevel":25,"experienceGained":100}""", e.Payload);
        Json.Equal("""{"source":"game_server_01"}""", e.Metadata);
        Assert.Same(e, Assert.Single(decision.Inserts));
        Assert.Equal(new Dictionary<Guid, long> { [A] = 1 }, Versions(decision));
    }

    [Fact]
    public void Without_an_expected_version_events_go_on_top_of_the_current_version()
    {
        var decision = Decision(new() { [A] = new StreamState("player", 4) });

        var stored = Accepted(decision.Decide([Level(A, 5), Level(A, 6)]));

        Assert.Equal([5L, 6L], stored.Events.Select(e => e.AggregateVersion));
        Assert.Equal(new Dictionary<Guid, long> { [A] = 6 }, Versions(decision));
    }

    [Fact]
    public void Expected_version_0_on_a_new_aggregate_is_accepted()
    {
        var stored = Accepted(Decision().Decide([Level(A, 1, expectedVersion: 0)]));

        Assert.Equal(1, Assert.Single(stored.Events).AggregateVersion);
    }

    [Fact]
    public void Expected_version_0_on_an_existing_aggregate_is_a_version_conflict()
    {
        var decision = Decision(new() { [A] = new StreamState("player", 3) });

        var rejected = Refused(decision, [Level(A, 1, expectedVersion: 0)], AppendRejection.VersionConflict, index: 0);

        Assert.Equal(3, rejected.CurrentVersion);
        Assert.Equal(0, rejected.ExpectedVersion);
    }

    [Fact]
    public void The_matching_expected_version_is_accepted()
    {
        var stored = Accepted(Decision(new() { [A] = new StreamState("player", 4) }).Decide([Level(A, 5, expectedVersion: 4)]));

        Assert.Equal(5, Assert.Single(stored.Events).AggregateVersion);
    }

    [Fact]
    public void A_wrong_expected_version_is_a_version_conflict_with_the_current_and_expected_versions_and_the_event_index()
    {
        var decision = Decision(new() { [A] = new StreamState("player", 4) });

        // Event 0 (a new aggregate) and event 1 (A at 4 -> 5) are fine; event 2 expects 7 while A is at 5 by then.
        var request = new[] { Level(B, 1, expectedVersion: 0), Level(A, 5, expectedVersion: 4), Level(A, 6, expectedVersion: 7) };

        var rejected = Refused(decision, request, AppendRejection.VersionConflict, index: 2);

        Assert.Equal(5, rejected.CurrentVersion);
        Assert.Equal(7, rejected.ExpectedVersion);
        Assert.Contains(A.ToString(), rejected.Detail, StringComparison.Ordinal);
        Assert.Empty(decision.LastOfEachStream);
    }

    [Fact]
    public void Events_of_one_request_see_the_versions_its_earlier_events_created()
    {
        var stored = Accepted(Decision().Decide([Level(A, 1, expectedVersion: 0), Level(A, 2, expectedVersion: 1), Level(A, 3, expectedVersion: 2)]));

        Assert.Equal([1L, 2L, 3L], stored.Events.Select(e => e.AggregateVersion));
    }

    [Fact]
    public void Appending_with_another_aggregate_type_is_an_aggregate_type_conflict()
    {
        var decision = Decision(new() { [A] = new StreamState("player", 2) });

        var rejected = Refused(decision, [Level(A, 3, aggregateType: "quest")], AppendRejection.AggregateTypeConflict, index: 0);

        Assert.Equal(2, rejected.CurrentVersion);
        Assert.Null(rejected.ExpectedVersion);
        Assert.Contains("'player'", rejected.Detail, StringComparison.Ordinal);
        Assert.Contains("'quest'", rejected.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_type_change_inside_one_request_is_an_aggregate_type_conflict_at_that_event()
    {
        var decision = Decision();

        var rejected = Refused(decision, [Level(A, 1), Level(A, 2, aggregateType: "guild")], AppendRejection.AggregateTypeConflict, index: 1);

        Assert.Equal(1, rejected.CurrentVersion);
    }

    [Fact]
    public void The_same_client_event_id_with_the_same_content_returns_the_stored_event_and_writes_nothing()
    {
        var original = Level(A, 25, expectedVersion: 2, eventId: Guid.NewGuid());
        var stored = Stored(original, version: 3, position: 42);
        // The stream moved on since: a retry's stale expected version does not matter, it is the same event.
        var decision = Decision(new() { [A] = new StreamState("player", 5) }, stored);
        var retry = Level(A, 25, expectedVersion: 2, eventId: original.EventId);

        var outcome = Accepted(decision.Decide([retry]));

        Assert.True(outcome.AllDuplicates);
        var e = Assert.Single(outcome.Events);
        Assert.Same(stored, e);
        Assert.Equal(3, e.AggregateVersion);
        Assert.Equal(42, e.Position);
        Assert.Empty(decision.Inserts);
        Assert.Empty(decision.LastOfEachStream);
    }

    [Theory]
    [InlineData("payload")]
    [InlineData("metadata")]
    [InlineData("eventType")]
    [InlineData("eventVersion")]
    [InlineData("aggregateId")]
    [InlineData("causationId")]
    [InlineData("correlationId")]
    public void The_same_client_event_id_with_different_content_is_an_event_id_conflict(string changed)
    {
        var original = Level(A, 25, eventId: Guid.NewGuid());
        var decision = Decision(new() { [A] = new StreamState("player", 3), [B] = new StreamState("player", 1) }, Stored(original, 3, 42));
        var other = changed switch
        {
            "payload" => original with { Payload = Json.Element("""{"newLevel":26,"experienceGained":100}""") },
            "metadata" => original with { Metadata = EventJson.EmptyObject },
            "eventType" => original with { EventType = "PlayerRenamed" },
            "eventVersion" => original with { EventVersion = 2 },
            "aggregateId" => original with { AggregateId = B },
            "causationId" => original with { CausationId = Guid.NewGuid() },
            _ => original with { CorrelationId = Guid.NewGuid() },
        };

        var rejected = Refused(decision, [Level(A, 1), other], AppendRejection.EventIdConflict, index: 1);

        Assert.Contains(original.EventId.ToString(), rejected.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_server_generated_id_found_in_the_store_is_a_retry_of_this_request_not_a_duplicate()
    {
        // The commit succeeded but its outcome was lost; the retry finds its own events already stored.
        var original = Level(A, 25);
        Assert.False(original.EventIdGiven);
        var stored = Stored(original, version: 1, position: 7);
        var decision = Decision(new() { [A] = new StreamState("player", 1) }, stored);

        var outcome = Accepted(decision.Decide([original]));

        Assert.False(outcome.AllDuplicates);
        Assert.Same(stored, Assert.Single(outcome.Events));
        Assert.Empty(decision.Inserts);
    }

    [Fact]
    public void A_batch_is_all_or_nothing_and_the_next_request_is_decided_as_if_the_rejected_one_never_came()
    {
        var decision = Decision(new() { [A] = new StreamState("player", 2) });
        var firstId = Guid.NewGuid();

        // Events 0 and 1 would be fine; event 2 conflicts (A would be at 3, not 9): nothing of the request is kept.
        var rejected = Refused(decision, [Level(A, 3, eventId: firstId), Level(B, 1), Level(A, 4, expectedVersion: 9)], AppendRejection.VersionConflict, index: 2);
        Assert.Equal(3, rejected.CurrentVersion);
        Assert.Empty(decision.LastOfEachStream);

        // A is still at 2 and B does not exist; the rejected request's event ids were never stored either.
        var next = Accepted(decision.Decide([Level(A, 3, expectedVersion: 2), Level(B, 1, expectedVersion: 0)]));
        var reused = Accepted(decision.Decide([Level(C, 7, eventId: firstId)]));

        Assert.Equal([3L, 1L], next.Events.Select(e => e.AggregateVersion));
        Assert.False(reused.AllDuplicates);
        Assert.Equal(C, Assert.Single(reused.Events).AggregateId);
        Assert.Equal(3, decision.Inserts.Count);
        Assert.Equal(new Dictionary<Guid, long> { [A] = 3, [B] = 1, [C] = 1 }, Versions(decision));
    }

    [Fact]
    public void A_later_request_of_the_same_group_sees_the_version_an_earlier_one_created()
    {
        var decision = Decision();

        var first = Accepted(decision.Decide([Level(A, 1)]));
        var second = Accepted(decision.Decide([Level(A, 2, expectedVersion: 1)]));
        var stale = Refused(decision.Decide([Level(A, 2, expectedVersion: 1)]));

        Assert.Equal(1, Assert.Single(first.Events).AggregateVersion);
        Assert.Equal(2, Assert.Single(second.Events).AggregateVersion);
        Assert.Equal(AppendRejection.VersionConflict, stale.Reason);
        Assert.Equal(2, stale.CurrentVersion);
        Assert.Equal(1, stale.ExpectedVersion);
        Assert.Equal(2, decision.Inserts.Count);
    }

    [Fact]
    public void The_same_event_id_twice_inside_one_request_is_one_event_and_not_a_duplicate()
    {
        var decision = Decision();
        var id = Guid.NewGuid();

        var outcome = Accepted(decision.Decide([Level(A, 1, eventId: id), Level(A, 1, eventId: id)]));

        Assert.False(outcome.AllDuplicates);
        Assert.Equal(2, outcome.Events.Count);
        Assert.Same(outcome.Events[0], outcome.Events[1]);
        Assert.Equal(1, outcome.Events[0].AggregateVersion);
        Assert.Same(outcome.Events[0], Assert.Single(decision.Inserts));
        Assert.Equal(new Dictionary<Guid, long> { [A] = 1 }, Versions(decision));
    }

    [Fact]
    public void The_same_event_id_twice_inside_one_request_with_different_content_is_an_event_id_conflict()
    {
        var decision = Decision();
        var id = Guid.NewGuid();

        Refused(decision, [Level(A, 1, eventId: id), Level(A, 2, eventId: id)], AppendRejection.EventIdConflict, index: 1);
    }

    /// <summary>A group whose first request inserted one event of A with a client event id.</summary>
    private static (AppendDecision Decision, Guid Id, StoredEvent First) AfterAFirstRequest()
    {
        var decision = Decision();
        var id = Guid.NewGuid();
        var first = Accepted(decision.Decide([Level(A, 1, eventId: id)]));
        return (decision, id, first.Events[0]);
    }

    [Fact]
    public void A_request_repeating_an_event_inserted_by_an_earlier_request_of_the_group_is_all_duplicates()
    {
        var (decision, id, first) = AfterAFirstRequest();

        var repeat = Accepted(decision.Decide([Level(A, 1, eventId: id)]));

        Assert.True(repeat.AllDuplicates);
        Assert.Same(first, Assert.Single(repeat.Events));
        Assert.Single(decision.Inserts);
    }

    [Fact]
    public void A_request_mixing_a_repeat_and_a_new_event_is_not_all_duplicates()
    {
        var (decision, id, first) = AfterAFirstRequest();

        var mixed = Accepted(decision.Decide([Level(A, 1, eventId: id), Level(A, 2)]));

        Assert.False(mixed.AllDuplicates);
        Assert.Same(first, mixed.Events[0]);
        Assert.Equal(2, mixed.Events[1].AggregateVersion);
        Assert.Equal(2, decision.Inserts.Count);
    }

    [Fact]
    public void Inserts_keep_decision_order_and_LastOfEachStream_gives_each_aggregates_highest_version()
    {
        var decision = Decision(new() { [A] = new StreamState("player", 5) });

        Accepted(decision.Decide([Level(A, 6), Level(B, 1), Level(A, 7)]));
        Refused(decision.Decide([Level(C, 1), Level(A, 8, expectedVersion: 5)]));
        Accepted(decision.Decide([Level(B, 2), Level(C, 1)]));

        Assert.Equal(
            [(A, 6L), (B, 1L), (A, 7L), (B, 2L), (C, 1L)],
            decision.Inserts.Select(e => (e.AggregateId, e.AggregateVersion)));
        Assert.All(decision.Inserts, e => Assert.Equal(0, e.Position));
        Assert.Equal(3, decision.LastOfEachStream.Count());
        Assert.Equal(new Dictionary<Guid, long> { [A] = 7, [B] = 2, [C] = 1 }, Versions(decision));
    }

    [Fact]
    public void The_streams_given_are_not_changed_by_the_decision()
    {
        var streams = new Dictionary<Guid, StreamState> { [A] = new StreamState("player", 5) };
        var decision = new AppendDecision(streams, new Dictionary<Guid, StoredEvent>(), Now);

        Accepted(decision.Decide([Level(A, 6)]));

        Assert.Equal(new StreamState("player", 5), streams[A]);
        Assert.Single(streams);
    }

    [Fact]
    public void Payload_equality_for_idempotency_is_by_content_not_by_instance()
    {
        var original = Level(A, 25, eventId: Guid.NewGuid());
        var stored = Stored(original, 1, 1);
        // Same members in another order, parsed again: still the same event.
        var retry = original with { Payload = JsonElement.Parse("""{"experienceGained":100,"newLevel":25}""") };

        var outcome = Accepted(Decision(new() { [A] = new StreamState("player", 1) }, stored).Decide([retry]));

        Assert.True(outcome.AllDuplicates);
    }
}
