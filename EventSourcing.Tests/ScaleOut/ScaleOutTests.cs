using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using EventSourcing.Api.Outbox;
using EventSourcing.Client;
using Npgsql;
using Xunit.Abstractions;

namespace EventSourcing.Tests.ScaleOut;

/// <summary>The graph as scaled out in the AppHost: two APIs and two processors (Api:Replicas, Processor:Replicas).</summary>
public sealed class ScaleOutGraphFixture() : GraphFixture(["--Api:Replicas=2", "--Processor:Replicas=2"]);

[CollectionDefinition(Name)]
public sealed class ScaleOutCollection : ICollectionFixture<ScaleOutGraphFixture>
{
    public const string Name = "scale-out";
}

[Collection(ScaleOutCollection.Name)]
public sealed class ScaleOutTests(ScaleOutGraphFixture graph, ITestOutputHelper output)
{
    private const int Players = 40;
    private const int Writers = 8;

    [Fact]
    public async Task Two_apis_and_two_processors_share_the_load_and_lose_nothing_when_the_relaying_api_and_a_processor_are_killed()
    {
        // The orchestrator knows each replica's launcher (dotnet); the service is the process it started.
        var apis = graph.ReplicaProcessIds("api").ToDictionary(r => r.Key, r => ServiceProcesses.Find(r.Value));
        var processors = graph.ReplicaProcessIds("processor").ToDictionary(r => r.Key, r => ServiceProcesses.Find(r.Value));
        Assert.Equal(2, apis.Count);
        Assert.Equal(2, processors.Count);

        var client = graph.Client();
        var players = Enumerable.Range(0, Players).Select(_ => Guid.NewGuid()).ToArray();
        var acknowledged = new ConcurrentDictionary<Guid, Guid>(); // event id -> aggregate id
        using var stop = new CancellationTokenSource();
        var cpuBefore = apis.Values.ToDictionary(pid => pid, ServiceProcesses.CpuTicks);
        var writers = Enumerable.Range(0, Writers).Select(w => Task.Run(() => WriteUntilStoppedAsync(client, players, w, acknowledged, stop.Token))).ToArray();

        // Both APIs take requests: each one's CPU grows with its share of the load.
        await Task.Delay(TimeSpan.FromSeconds(5));
        var cpuGain = apis.Values.ToDictionary(pid => pid, pid => ServiceProcesses.CpuTicks(pid) - cpuBefore[pid]);
        output.WriteLine($"API CPU ticks during the first 5 s: {string.Join(", ", cpuGain.Select(g => $"pid {g.Key}: {g.Value}"))}; {acknowledged.Count} acknowledged");
        Assert.All(cpuGain.Values, gain => Assert.True(gain >= cpuGain.Values.Sum() / 5, $"the load is not shared: {string.Join(", ", cpuGain.Values)} ticks"));

        // Mid-run, SIGKILL the API that relays the outbox and one processor.
        var relaying = await RelayingProcessIdAsync();
        Assert.Contains(relaying, apis.Values);
        var killedProcessor = processors.Values.First();
        Process.GetProcessById(relaying).Kill();
        Process.GetProcessById(killedProcessor).Kill();
        var acknowledgedAtKill = acknowledged.Count;
        await Task.Delay(TimeSpan.FromSeconds(5));
        await stop.CancelAsync();
        await Task.WhenAll(writers);
        output.WriteLine($"{acknowledged.Count} events acknowledged, {acknowledgedAtKill} before the kill");
        Assert.True(acknowledged.Count > acknowledgedAtKill, "nothing was acknowledged after the kill");

        // Stored once: each stream holds exactly the events acknowledged for it.
        var expected = acknowledged.GroupBy(e => e.Value).ToDictionary(g => g.Key, g => g.Select(e => e.Key).ToHashSet());
        foreach (var (player, events) in expected)
        {
            var stored = await client.ReadStreamAsync(player).Select(e => e.EventId).ToListAsync();
            Assert.Equal(events.Count, stored.Count);
            Assert.Equal(events.Order(), stored.Order());
        }

        // The other API takes the relay over: every event reaches Kafka (at least once: a relay killed between a
        // publish and its checkpoint publishes again).
        var published = await PublishedEventIdsAsync(acknowledged.Keys.ToHashSet(), TimeSpan.FromSeconds(60));
        var missing = acknowledged.Keys.Where(id => !published.ContainsKey(id)).ToList();
        Assert.True(missing.Count == 0, $"{missing.Count} acknowledged events never reached Kafka");
        output.WriteLine($"published again after the kill: {published.Values.Count(n => n > 1)} events");

        // The surviving processor takes the partitions over: every kill counted exactly once.
        foreach (var (player, events) in expected)
        {
            var summary = await client.WaitForReadModelAsync<JsonElement>("player_summary", player.ToString(), events.Count, TimeSpan.FromSeconds(60));
            Assert.Equal(events.Count, summary.Data.GetProperty("totalKills").GetInt64());
        }

        // And processing settles: nothing pending once the dead processor's last report has aged out.
        var deadline = Stopwatch.StartNew();
        long pending;
        while ((pending = (await client.GetProcessingStatusAsync()).Pending) > 0 && deadline.Elapsed < TimeSpan.FromSeconds(90))
        {
            await Task.Delay(500);
        }

        Assert.Equal(0, pending);
    }

    /// <summary>Appends kills to random players until stopped, each retried with its own event id until acknowledged.</summary>
    private static async Task WriteUntilStoppedAsync(EventSourcingClient client, Guid[] players, int writer, ConcurrentDictionary<Guid, Guid> acknowledged,
        CancellationToken stop)
    {
        var random = new Random(writer);
        while (!stop.IsCancellationRequested)
        {
            var player = players[random.Next(players.Length)];
            var eventId = Guid.CreateVersion7();
            var request = EventSourcingClient.Event(player, "player", "EnemyKilled", new { weapon = "bow" }, eventId: eventId);
            // Once sent, an event is retried until acknowledged even after the stop: an unanswered append may be stored.
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await client.AppendAsync(request, CancellationToken.None);
                    acknowledged[eventId] = player;
                    break;
                }
                catch (Exception ex) when (ex is HttpRequestException or EventSourcingApiException or TaskCanceledException && attempt < 100)
                {
                    await Task.Delay(100, CancellationToken.None);
                }
            }
        }
    }

    /// <summary>The API process holding the relay's advisory lock, from the connection's application_name ("EventSourcing.Api 4711").</summary>
    private async Task<int> RelayingProcessIdAsync()
    {
        await using var store = new NpgsqlConnection(await graph.ConnectionStringAsync("eventstore"));
        await store.OpenAsync();
        await using var command = new NpgsqlCommand(
            """
            SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
            WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1 AND ((l.classid::bigint << 32) | l.objid::bigint) = @key
            """, store);
        command.Parameters.AddWithValue("key", KafkaOutboxRelay.RelayLockKey);
        var name = (string)(await command.ExecuteScalarAsync())!;
        return int.Parse(name.Split(' ')[^1], System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>How many times each of <paramref name="wanted"/> is on events.player, reading until all are seen or the time is up.</summary>
    private async Task<Dictionary<Guid, int>> PublishedEventIdsAsync(HashSet<Guid> wanted, TimeSpan timeout)
    {
        using var consumer = await graph.ConsumerAsync("events.player", "scale-out-check");
        var seen = new Dictionary<Guid, int>();
        var deadline = Stopwatch.StartNew();
        var idle = Stopwatch.StartNew();
        // After the last wanted event, read on for a moment to count re-publications.
        while (deadline.Elapsed < timeout && !(seen.Count == wanted.Count && idle.Elapsed > TimeSpan.FromSeconds(2)))
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is not { } result)
            {
                continue;
            }

            idle.Restart();
            var header = result.Message.Headers.FirstOrDefault(h => h.Key == "eventId");
            if (header is not null && Guid.TryParse(Encoding.UTF8.GetString(header.GetValueBytes()), out var id) && wanted.Contains(id))
            {
                seen[id] = seen.GetValueOrDefault(id) + 1;
            }
        }

        consumer.Close();
        return seen;
    }
}
