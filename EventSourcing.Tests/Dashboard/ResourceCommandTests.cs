using System.Text.Json;
using Aspire.Hosting.ApplicationModel;
using EventSourcing.AppHost.Dashboard;
using EventSourcing.Contracts;
using Microsoft.Extensions.DependencyInjection;

namespace EventSourcing.Tests.Dashboard;

/// <summary>The api resource's dashboard commands, executed as the dashboard executes them.</summary>
[Collection(GraphCollection.Name)]
public sealed class ResourceCommandTests(GraphFixture graph)
{
    [Fact]
    public async Task The_api_links_its_reference_and_its_OpenAPI_document_and_both_answer()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var api = await graph.App.ResourceNotifications.WaitForResourceAsync("api", e => e.Snapshot.Urls.Length >= 3, timeout.Token);
        using var http = new HttpClient();
        foreach (var (path, name) in new[] { ("/scalar", "API reference (Scalar)"), ("/openapi/v1.json", "OpenAPI document") })
        {
            var link = Assert.Single(api.Snapshot.Urls, u => u.DisplayProperties.DisplayName == name);
            Assert.EndsWith(path, link.Url, StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri(link.Url), timeout.Token)).StatusCode);
        }
    }

    [Fact]
    public async Task Replay_all_read_models_starts_a_replay_of_every_model_that_completes()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var result = await ExecuteAsync(ApiCommands.ReplayAll, timeout.Token);

        var replay = JsonSerializer.Deserialize(result.Data!.Value, ContractJson.Default.ReplayResponse)!;
        var done = await graph.Client().WaitForReplayAsync(replay.ReplayId, pollInterval: TimeSpan.FromMilliseconds(200), cancellationToken: timeout.Token);
        Assert.True(done.Status == "completed", $"replay {done.Status}: {done.Error}");
        Assert.Equal(ReadModelNames(), done.Models.Order());
    }

    [Fact]
    public async Task Retry_dead_lettered_events_puts_a_dead_lettered_event_back_into_processing()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var client = graph.Client();
        var dead = await client.AppendDeadLetteredEventAsync(timeout.Token);

        var result = await ExecuteAsync(ApiCommands.RetryDeadLettered, timeout.Token);
        Assert.True(JsonSerializer.Deserialize(result.Data!.Value, ContractJson.Default.RetryAllResponse)!.Requeued >= 1);

        // Processed again from a fresh count (and, still poison, failing again).
        var again = await client.WaitForFailedEventAsync(dead.EventId, e => e.LastAttempt > dead.LastAttempt, timeout.Token);
        Assert.InRange(again.Attempts, 1, 5);
    }

    private async Task<ExecuteCommandResult> ExecuteAsync(string command, CancellationToken cancellationToken)
    {
        var result = await graph.App.Services.GetRequiredService<ResourceCommandService>().ExecuteCommandAsync("api", command, cancellationToken);
        Assert.True(result.Success, result.Message);
        Assert.NotNull(result.Data);
        return result;
    }

    private static IEnumerable<string> ReadModelNames() => EventSourcing.Domain.ReadModels.ReadModelCatalog.All.Select(p => p.ModelName).Order();
}
