using System.Net;
using System.Text.Json.Nodes;
using EventSourcing.Tests.Infrastructure;

namespace EventSourcing.Tests.Processing;

[Collection(GraphCollection.Name)]
public sealed class ProcessorRestartTests(GraphFixture graph)
{
    [Fact]
    public async Task Killing_the_processor_mid_stream_and_restarting_it_loses_and_double_counts_nothing()
    {
        using var http = ApiClient.Create(graph);
        var id = Guid.NewGuid();
        const int kills = 600;
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));

        // A game's pace (a few ms apart), so that the stream is still flowing when the processor dies.
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
        var processedBefore = (await ProcessingTests.WaitForReadModelAsync(http, "player_summary", id.ToString(), 20, TimeSpan.FromSeconds(60)))["version"]!.GetValue<long>();
        try
        {
            // A crash, not a polite stop: SIGKILL the processor's process tree.
            System.Diagnostics.Process.GetProcessById(graph.ProcessIds["processor"]).Kill(entireProcessTree: true);
            var appendedWhenKilled = (await (await http.GetAsync($"/api/v1/events/stream/{id}?limit=1")).JsonAsync())["currentVersion"]!.GetValue<long>();
            await graph.WaitForExitAsync("processor", timeout.Token);
            Assert.True(processedBefore < kills && appendedWhenKilled < kills,
                $"the kill came too late to be mid-stream: {processedBefore} processed and {appendedWhenKilled} appended of {kills}");
        }
        finally
        {
            await graph.StartResourceAsync("processor", timeout.Token);
        }

        await appending;

        var summary = await ProcessingTests.WaitForReadModelAsync(http, "player_summary", id.ToString(), kills, TimeSpan.FromSeconds(90));
        Assert.Equal(kills, summary["version"]!.GetValue<long>());
        Assert.Equal(kills, summary["data"]!["totalKills"]!.GetValue<long>());
        Assert.Equal(kills - ((kills + 2) / 3), summary["data"]!["killsByWeapon"]!["sword"]!.GetValue<long>());
        Assert.Equal("sword", summary["data"]!["favoriteWeapon"]!.GetValue<string>());
    }
}
