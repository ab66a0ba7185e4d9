namespace EventSourcing.Domain.Tests.Processing;

public sealed class RetryPolicyTests
{
    [Fact]
    public void The_default_policy_retries_five_times_starting_at_one_second()
    {
        Assert.Equal(5, RetryPolicy.Default.MaxAttempts);
        Assert.Equal(TimeSpan.FromSeconds(1), RetryPolicy.Default.FirstDelay);
        Assert.Equal(TimeSpan.FromMinutes(5), RetryPolicy.MaxDelay);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 4)]
    [InlineData(4, 8)]
    [InlineData(5, 16)]
    [InlineData(8, 128)]
    [InlineData(9, 256)]
    [InlineData(10, 300)]
    [InlineData(11, 300)]
    [InlineData(30, 300)]
    [InlineData(1000, 300)]
    public void The_delay_doubles_after_each_failure_and_is_capped_at_five_minutes(int failures, int seconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(seconds), RetryPolicy.Default.DelayAfter(failures));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    public void Before_any_failure_the_delay_is_the_first_delay(int failures)
    {
        Assert.Equal(TimeSpan.FromSeconds(1), RetryPolicy.Default.DelayAfter(failures));
    }

    [Fact]
    public void Delays_never_shrink_and_never_exceed_the_cap()
    {
        var policy = new RetryPolicy(100, TimeSpan.FromMilliseconds(250));
        var delays = Enumerable.Range(1, 100).Select(policy.DelayAfter).ToList();

        Assert.Equal(TimeSpan.FromMilliseconds(250), delays[0]);
        Assert.All(delays.Zip(delays.Skip(1)), pair => Assert.True(pair.First <= pair.Second));
        Assert.All(delays, d => Assert.InRange(d, TimeSpan.FromMilliseconds(250), RetryPolicy.MaxDelay));
        Assert.Equal(RetryPolicy.MaxDelay, delays[^1]);
    }

    [Fact]
    public void A_first_delay_above_the_cap_is_capped()
    {
        Assert.Equal(RetryPolicy.MaxDelay, new RetryPolicy(3, TimeSpan.FromMinutes(10)).DelayAfter(1));
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(1, false)]
    [InlineData(4, false)]
    [InlineData(5, true)]
    [InlineData(6, true)]
    public void The_event_is_dead_lettered_after_MaxAttempts_failures(int failures, bool exhausted)
    {
        Assert.Equal(exhausted, RetryPolicy.Default.IsExhausted(failures));
    }

    [Fact]
    public void The_schedule_lists_the_delay_after_each_failure_up_to_MaxAttempts()
    {
        Assert.Equal([1, 2, 4, 8, 16], RetryPolicy.Default.Schedule().Select(d => d.TotalSeconds));
        Assert.Equal([0.5, 1, 2], new RetryPolicy(3, TimeSpan.FromMilliseconds(500)).Schedule().Select(d => d.TotalSeconds));

        var long12 = new RetryPolicy(12, TimeSpan.FromSeconds(1)).Schedule();
        Assert.Equal(12, long12.Length);
        Assert.Equal([256, 300, 300, 300], long12[8..].Select(d => d.TotalSeconds));
    }
}
