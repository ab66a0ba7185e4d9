using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using EventSourcing.Client;
using EventSourcing.Contracts;

namespace EventSourcing.Tests.Processing;

[Collection(GraphCollection.Name)]
public sealed class ProcessorRestartTests(GraphFixture graph)
{
    [Fact]
    public async Task Killing_the_processor_mid_stream_and_restarting_it_loses_and_double_counts_nothing()
    {
        var client = graph.Client();
        using var http = ApiClient.Create(graph);
        var id = Guid.NewGuid();
        const int kills = 600;
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));

        // A game's pace (a few ms apart), so that the stream is still flowing when the processor dies. Raw HTTP: every
        // append must be a 201 at its one attempt while the processor dies, with no client retry to cover a failure.
        var appending = Task.Run(async () =>
        {
            for (var i = 0; i < kills; i++)
            {
                var response = await http.AppendAsync(ApiClient.Event(id, "player", "EnemyKilled", payload: new JsonObject { ["weapon"] = i % 3 == 0 ? "bow" : "sword" }));
                Assert.Equal(HttpStatusCode.Created, response.StatusCode);
                await Task.Delay(5);
            }
        });

        // Mid-stream: part of the history is processed, more is still being appended.
        var processedBefore = (await client.WaitForReadModelAsync<JsonElement>("player_summary", id.ToString(), 20, TimeSpan.FromSeconds(60))).Version;
        try
        {
            // A crash, not a polite stop: SIGKILL the processor's process tree.
            System.Diagnostics.Process.GetProcessById(graph.ProcessIds["processor"]).Kill(entireProcessTree: true);
            // The newest event's version: how many were appended.
            var appendedWhenKilled = (await client.ReadStreamAsync(id, direction: ReadDirection.Backward, pageSize: 1).FirstAsync()).AggregateVersion;
            await graph.WaitForExitAsync("processor", timeout.Token);
            Assert.True(processedBefore < kills && appendedWhenKilled < kills,
                $"the kill came too late to be mid-stream: {processedBefore} processed and {appendedWhenKilled} appended of {kills}");
        }
        finally
        {
            await graph.StartResourceAsync("processor", timeout.Token);
        }

        await appending;

        var summary = await client.WaitForReadModelAsync<JsonElement>("player_summary", id.ToString(), kills, TimeSpan.FromSeconds(90));
        Assert.Equal(kills, summary.Version);
        Assert.Equal(kills, summary.Data.GetProperty("totalKills").GetInt64());
        Assert.Equal(kills - ((kills + 2) / 3), summary.Data.GetProperty("killsByWeapon").GetProperty("sword").GetInt64());
        Assert.Equal("sword", summary.Data.GetProperty("favoriteWeapon").GetString());
    }

    [Fact]
    public async Task A_frozen_processor_leaves_what_it_has_not_consumed_pending()
    {
        var client = graph.Client();
        var processor = ServiceProcesses.Find(graph.ProcessIds["processor"]);
        var players = Enumerable.Range(0, 50).Select(_ => Guid.NewGuid()).ToList();
        // Frozen (SIGSTOP) for about two seconds, meant to be less than the consumer group's session timeout: still a
        // member, consuming nothing, its own last lag report (0) still fresh. The status must count from what the
        // group has committed.
        ServiceProcesses.Signal(processor, "STOP");
        ProcessingStatusResponse status;
        try
        {
            Assert.True((await client.AppendBatchAsync(players.Select(p => EventSourcingClient.Event(p, "player", "PlayerLevelUp", new { newLevel = 2, experienceGained = 10 })))).Created);
            var waited = Stopwatch.StartNew();
            while (((status = await client.GetProcessingStatusAsync()).RelayBacklog > 0 || status.ConsumerLag < players.Count)
                   && waited.Elapsed < TimeSpan.FromSeconds(2))
            {
                await Task.Delay(50);
            }
        }
        finally
        {
            ServiceProcesses.Signal(processor, "CONT");
        }

        Assert.Equal(0, status.RelayBacklog);
        Assert.True(status.ConsumerLag >= players.Count, $"consumer lag {status.ConsumerLag} while the processor was frozen, {players.Count} events on Kafka");
        Assert.True(status.Pending >= players.Count, $"pending {status.Pending} while the processor was frozen");

        foreach (var player in players)
        {
            await client.WaitForReadModelAsync<JsonElement>("player_summary", player.ToString(), 1);
        }

        var settled = Stopwatch.StartNew();
        while ((status = await client.GetProcessingStatusAsync()).ConsumerLag > 0)
        {
            Assert.True(settled.Elapsed < TimeSpan.FromSeconds(10), $"consumer lag {status.ConsumerLag} after every event was processed");
            await Task.Delay(50);
        }
    }
}
