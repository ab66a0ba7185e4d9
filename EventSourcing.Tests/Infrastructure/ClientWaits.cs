using System.Diagnostics;
using EventSourcing.Client;
using EventSourcing.Contracts;

namespace EventSourcing.Tests.Infrastructure;

/// <summary>Waits for what the processor makes eventually visible, read through <see cref="EventSourcingClient"/>.</summary>
public static class ClientWaits
{
    /// <summary>The read-model document once it reflects <paramref name="version"/> (within <paramref name="timeout"/>, 30 s).</summary>
    public static async Task<ReadModel<T>> WaitForReadModelAsync<T>(this EventSourcingClient client, string model, string id, long version,
        TimeSpan? timeout = null)
    {
        var limit = timeout ?? TimeSpan.FromSeconds(30);
        var waited = Stopwatch.StartNew();
        while (true)
        {
            if (await client.GetReadModelAsync<T>(model, id) is { } document && document.Version >= version)
            {
                return document;
            }

            Assert.True(waited.Elapsed < limit, $"{model}/{id} did not reach version {version} within {limit}");
            await Task.Delay(25);
        }
    }

    /// <summary>The event's failed or dead-lettered entry once it meets <paramref name="condition"/>.</summary>
    public static async Task<FailedEvent> WaitForFailedEventAsync(this EventSourcingClient client, Guid eventId, Func<FailedEvent, bool> condition,
        CancellationToken cancellationToken)
    {
        while (true)
        {
            var failed = (await client.ListFailedEventsAsync(limit: 1000, cancellationToken: cancellationToken)).FirstOrDefault(e => e.EventId == eventId);
            if (failed is not null && condition(failed))
            {
                return failed;
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    /// <summary>
    /// Appends a poison event (valid at append time, but its quest_progress document would exceed the read-model size
    /// limit) and waits until it is dead-lettered.
    /// </summary>
    public static async Task<FailedEvent> AppendDeadLetteredEventAsync(this EventSourcingClient client, CancellationToken cancellationToken)
    {
        var poison = await client.AppendAsync(Guid.NewGuid(), "quest", "QuestStarted", new
        {
            QuestId = "poison_" + Guid.NewGuid().ToString("N")[..8],
            Title = "Too big",
            Objectives = new[] { new { Id = "o1", Description = new string('x', 70_000) } },
        }, cancellationToken: cancellationToken);
        return await client.WaitForFailedEventAsync(poison.Value.EventId, e => e.Status == "dead_lettered", cancellationToken);
    }
}
