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
        const int kills = 300;
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));

        var appending = Task.Run(async () =>
        {
            for (var i = 0; i < kills; i++)
            {
                var response = await http.AppendAsync(ApiClient.Event(id, "player", "EnemyKilled", payload: new JsonObject { ["weapon"] = i % 3 == 0 ? "bow" : "sword" }));
                Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            }
        });

        // Kill it while events stream in, and let it come back.
        await Task.Delay(300, timeout.Token);
        // A crash, not a polite stop: SIGKILL the processor's process tree, mid-batch.
        var running = await graph.App.ResourceNotifications.WaitForResourceHealthyAsync("processor", timeout.Token);
        var pid = int.Parse(running.Snapshot.Properties.First(p => p.Name.EndsWith(".pid", StringComparison.Ordinal)).Value!.ToString()!, System.Globalization.CultureInfo.InvariantCulture);
        System.Diagnostics.Process.GetProcessById(pid).Kill(entireProcessTree: true);
        await graph.WaitForExitAsync("processor", timeout.Token);
        await Task.Delay(500, timeout.Token);
        await graph.StartResourceAsync("processor", timeout.Token);
        await appending;
        await graph.App.ResourceNotifications.WaitForResourceHealthyAsync("processor", timeout.Token);

        var summary = await ProcessingTests.WaitForReadModelAsync(http, "player_summary", id.ToString(), kills, TimeSpan.FromSeconds(90));
        Assert.Equal(kills, summary["version"]!.GetValue<long>());
        Assert.Equal(kills, summary["data"]!["totalKills"]!.GetValue<long>());
        Assert.Equal(kills - (kills / 3), summary["data"]!["killsByWeapon"]!["sword"]!.GetValue<long>());
        Assert.Equal("sword", summary["data"]!["favoriteWeapon"]!.GetValue<string>());
    }
}
