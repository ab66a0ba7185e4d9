namespace EventSourcing.Domain.Tests.Events;

public sealed class StoredEventOrderTests
{
    private static readonly Guid Id = Guid.Parse("aaaaaaaa-0000-4000-8000-000000000001");

    [Fact]
    public void InVersionOrder_sorts_by_version_and_keeps_each_version_once()
    {
        var events = new[] { 4L, 1, 3, 1, 2, 4, 4 }.Select(v => History.Event(Id, "quest_log", v, "Set", $$"""{"v":{{v}}}"""));

        var ordered = events.InVersionOrder();

        Assert.Equal([1L, 2L, 3L, 4L], ordered.Select(e => e.AggregateVersion));
        Assert.All(ordered, e => Assert.Equal(e.AggregateVersion, e.Payload.GetProperty("v").GetInt64()));
    }

    [Fact]
    public void InVersionOrder_of_nothing_is_empty()
    {
        Assert.Empty(Array.Empty<StoredEvent>().InVersionOrder());
    }
}
