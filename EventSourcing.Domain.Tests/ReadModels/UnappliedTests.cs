namespace EventSourcing.Domain.Tests.ReadModels;

/// <summary>Exactly-once effect over at-least-once delivery: Unapplied and GapBefore.</summary>
public sealed class UnappliedTests
{
    private static readonly Guid Id = GameHistories.PlayerId;

    private static StoredEvent Kill(long version) => History.Event(Id, "player", version, "EnemyKilled", """{"weapon":"bow"}""");

    private static List<StoredEvent> Kills(params long[] versions) => [.. versions.Select(Kill)];

    private static ReadModelDocument At(long version) =>
        new(Id.ToString(), "player_summary", Json.Obj("{}"), version, Projections.Now);

    private static long[] Versions(IEnumerable<StoredEvent> events) => [.. events.Select(e => e.AggregateVersion)];

    [Fact]
    public void Without_a_document_everything_is_unapplied_once_in_version_order()
    {
        ReadModelDocument? none = null;

        Assert.Equal([1L, 2L, 3L, 4L], Versions(none.Unapplied(Kills(3, 1, 2, 1, 4, 3))));
    }

    [Fact]
    public void A_document_at_v3_given_v2_to_v5_applies_4_and_5()
    {
        Assert.Equal([4L, 5L], Versions(At(3).Unapplied(Kills(2, 3, 4, 5))));
        Assert.Equal([4L, 5L], Versions(At(3).Unapplied(Kills(5, 2, 4, 3, 5, 4))));
    }

    [Fact]
    public void A_redelivery_of_applied_events_applies_nothing()
    {
        Assert.Empty(At(5).Unapplied(Kills(1, 2, 3, 4, 5, 5)));
        Assert.Empty(At(5).Unapplied([]));
    }

    [Fact]
    public void The_same_version_delivered_twice_is_kept_once_even_as_different_instances()
    {
        var unapplied = At(1).Unapplied([Kill(2), Kill(2), Kill(3)]);

        Assert.Equal([2L, 3L], Versions(unapplied));
    }

    [Fact]
    public void Redelivered_and_reordered_events_are_applied_once()
    {
        var summary = Projections.Named("player_summary");
        var document = summary.ApplyAll(Id, null, Kills(1, 2, 3), Projections.Now);

        var delivered = Kills(3, 2, 5, 4, 3, 5);
        var fresh = document.Unapplied(delivered);
        Assert.Null(document.GapBefore(fresh));
        document = summary.ApplyAll(Id, document, fresh, Projections.Now);
        var again = document.Unapplied(delivered);

        Assert.Equal(5, document.Data["totalKills"]!.GetValue<long>());
        Assert.Equal(5, document.Version);
        Assert.Empty(again);
    }

    [Fact]
    public void A_gap_before_the_first_unapplied_event_is_reported()
    {
        var document = At(5);

        Assert.Equal((6L, 6L), document.GapBefore(document.Unapplied(Kills(7, 8))));
        Assert.Equal((6L, 8L), document.GapBefore(document.Unapplied(Kills(9))));
    }

    [Fact]
    public void No_gap_when_the_next_version_is_there()
    {
        var document = At(5);

        Assert.Null(document.GapBefore(document.Unapplied(Kills(6, 7))));
        Assert.Null(document.GapBefore(document.Unapplied(Kills(7, 6, 5))));
        Assert.Null(document.GapBefore([]));
    }

    [Fact]
    public void Without_a_document_the_gap_starts_at_version_1()
    {
        ReadModelDocument? none = null;

        Assert.Equal((1L, 2L), none.GapBefore(none.Unapplied(Kills(3, 4))));
        Assert.Null(none.GapBefore(none.Unapplied(Kills(1))));
    }
}
