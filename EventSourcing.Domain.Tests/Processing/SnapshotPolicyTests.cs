namespace EventSourcing.Domain.Tests.Processing;

public sealed class SnapshotPolicyTests
{
    [Theory]
    [InlineData(1, 99, false)]
    [InlineData(1, 100, true)]
    [InlineData(100, 100, true)]
    [InlineData(99, 101, true)]
    [InlineData(101, 101, false)]
    [InlineData(101, 199, false)]
    [InlineData(150, 250, true)]
    [InlineData(1, 1000, true)]
    [InlineData(200, 200, true)]
    [InlineData(201, 299, false)]
    public void A_snapshot_is_due_when_a_batch_crosses_or_hits_a_multiple_of_the_interval(long first, long last, bool due)
    {
        Assert.Equal(due, new SnapshotPolicy(100).IsDue(first, last));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void An_interval_of_zero_or_less_never_snapshots(int interval)
    {
        var policy = new SnapshotPolicy(interval);

        Assert.False(policy.IsDue(1, 1));
        Assert.False(policy.IsDue(1, 100_000));
    }

    [Fact]
    public void An_interval_of_one_snapshots_after_every_batch()
    {
        var policy = new SnapshotPolicy(1);

        Assert.True(policy.IsDue(1, 1));
        Assert.True(policy.IsDue(7, 9));
    }

    [Fact]
    public void Consecutive_batches_snapshot_once_per_multiple_of_the_interval_they_cover()
    {
        var policy = new SnapshotPolicy(10);
        var random = new Random(2217);
        var dueBatches = 0;
        var first = 1L;
        while (first <= 1000)
        {
            var last = Math.Min(1000, first + random.Next(0, 7));
            var multiples = Enumerable.Range((int)first, (int)(last - first + 1)).Count(v => v % 10 == 0);

            Assert.Equal(multiples > 0, policy.IsDue(first, last));
            dueBatches += policy.IsDue(first, last) ? 1 : 0;
            first = last + 1;
        }

        // Batches of at most 7 versions never hold two multiples of 10: one snapshot per multiple.
        Assert.Equal(100, dueBatches);
    }
}
