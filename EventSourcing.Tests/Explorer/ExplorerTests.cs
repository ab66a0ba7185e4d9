using Aspire.Hosting.Testing;
using EventSourcing.Client;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace EventSourcing.Tests.Explorer;

/// <summary>The event explorer in Debian's Chromium, against the whole graph, through its pages as an operator uses them.</summary>
[Collection(GraphCollection.Name)]
public sealed class ExplorerTests(GraphFixture graph, ExplorerBrowser browser, ITestOutputHelper output) : IClassFixture<ExplorerBrowser>
{
    private Uri ExplorerUrl => graph.App.GetEndpoint("explorer", "http");

    [Fact]
    public async Task The_seed_player_is_found_by_id_and_stepped_from_version_1_to_the_last_with_its_state_and_diff()
    {
        var id = Guid.NewGuid();
        var playerId = "player_" + id.ToString("N")[..8];
        var client = graph.Client();
        await client.AppendBatchAsync(
        [
            EventSourcingClient.Event(id, "player", "PlayerCreated", new { PlayerId = playerId, Name = "CyberNinja" }),
            // The seed's example event, with its metadata.
            EventSourcingClient.Event(id, "player", "PlayerLevelUp", new { NewLevel = 25, ExperienceGained = 1500 },
                metadata: new { Source = "game_server_01", GameMode = "ranked" }),
            EventSourcingClient.Event(id, "player", "ItemAcquired", new { ItemId = "sword_001" }),
            EventSourcingClient.Event(id, "player", "AchievementUnlocked", new { AchievementId = "first_kill" }),
        ]);
        // Processed, so the page shows the read model the stream feeds.
        await client.WaitForReadModelAsync<System.Text.Json.JsonElement>("player_summary", playerId, 4);
        var explorer = await browser.OpenAsync(ExplorerUrl);
        var page = explorer.Page;

        await page.GotoAsync("/");
        await explorer.TestId("aggregate-search").FillAsync(id.ToString());
        await explorer.TestId("aggregate-search-submit").ClickAsync();
        await page.WaitForURLAsync($"**/aggregates/{id}");
        await Expect(explorer.TestId("event-row")).ToHaveCountAsync(4);
        await Expect(explorer.TestId("current-version")).ToHaveTextAsync("4");
        await Expect(explorer.TestId("event-row").Nth(1)).ToContainTextAsync("game_server_01");

        // Back to the first version with the slider, then forward one event at a time.
        await explorer.TestId("version-slider").FillAsync("1");
        await page.WaitForURLAsync("**?v=1");
        var expected = new (string State, string Path, string Kind)[]
        {
            ("\"name\": \"CyberNinja\"", "name", "added"),
            ("\"level\": 25", "level", "changed"),
            ("\"sword_001\"", "inventory", "changed"),
            ("\"first_kill\"", "achievements", "changed"),
        };
        var states = new List<string>();
        for (var version = 1; version <= expected.Length; version++)
        {
            if (version > 1)
            {
                await explorer.TestId("version-step-next").ClickAsync();
                await page.WaitForURLAsync($"**?v={version}");
            }

            var (state, path, kind) = expected[version - 1];
            await Expect(explorer.TestId("current-version")).ToHaveTextAsync(version.ToString(System.Globalization.CultureInfo.InvariantCulture));
            await Expect(explorer.TestId("state-view")).ToContainTextAsync(state);
            await Expect(explorer.TestId("event-diff").Locator($"[data-path='{path}']")).ToHaveAttributeAsync("data-kind", kind);
            states.Add(await explorer.TestId("state-view").InnerTextAsync());
            if (version == 1)
            {
                await explorer.ScreenshotAsync("aggregate-v1");
            }
        }

        Assert.Equal(states.Count, states.Distinct().Count());
        // The last version: nothing after it; the event it shows is highlighted in the list.
        Assert.Equal("true", await explorer.TestId("version-step-next").GetAttributeAsync("aria-disabled"));
        await Expect(page.Locator("[data-testid=event-row].selected")).ToHaveAttributeAsync("data-version", "4");
        await Expect(explorer.TestId("read-model")).ToContainTextAsync(playerId);
        await explorer.ScreenshotAsync("aggregate");
        Assert.Empty(explorer.Errors);
    }

    [Fact]
    public async Task A_dead_lettered_event_shows_its_error_and_is_retried_from_the_processing_page()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var client = graph.Client();
        var dead = await client.AppendDeadLetteredEventAsync(timeout.Token);
        var eventId = dead.EventId;

        var explorer = await browser.OpenAsync(ExplorerUrl);
        await explorer.Page.GotoAsync("/processing?status=dead_lettered");
        var row = explorer.Page.Locator($"[data-testid=failed-event][data-event-id='{eventId}']");
        await Expect(row).ToHaveAttributeAsync("data-status", "dead_lettered");
        await Expect(row).ToContainTextAsync(dead.Error!);
        await explorer.ScreenshotAsync("processing");

        await row.GetByTestId("retry-event").ClickAsync();
        await Expect(explorer.TestId("action-result")).ToContainTextAsync(eventId.ToString());

        // Processed again from a fresh count (and, still poison, failing again).
        var again = await client.WaitForFailedEventAsync(eventId, e => e.LastAttempt > dead.LastAttempt, timeout.Token);
        Assert.InRange(again.Attempts, 1, 5);
        Assert.Empty(explorer.Errors);
    }

    [Fact]
    public async Task The_analytics_page_draws_the_three_charts_with_data()
    {
        var client = graph.Client();
        var playerId = "player_" + Guid.NewGuid().ToString("N")[..8];
        await client.AppendAsync(Guid.NewGuid(), "player", "PlayerCreated", new { PlayerId = playerId, Name = "Charted" });
        await client.WaitForReadModelAsync<System.Text.Json.JsonElement>("player_summary", playerId, 1);

        var explorer = await browser.OpenAsync(ExplorerUrl);
        await explorer.Page.GotoAsync("/analytics");
        foreach (var chart in new[] { "chart-events-per-day", "chart-processing-latency", "chart-aggregate-sizes" })
        {
            // Chart.js drew the canvas and holds at least one value above zero.
            var values = await explorer.TestId(chart).EvaluateAsync<int>(
                "canvas => { const c = Chart.getChart(canvas); return c ? c.data.datasets.reduce((n, d) => n + d.data.filter(v => v > 0).length, 0) : -1; }");
            Assert.True(values > 0, $"{chart}: {values} values above zero");
        }

        await explorer.ScreenshotAsync("analytics");
        Assert.Empty(explorer.Errors);
    }

    [Fact]
    public async Task The_live_tail_shows_events_as_they_are_appended()
    {
        var explorer = await browser.OpenAsync(ExplorerUrl);
        await explorer.Page.GotoAsync("/");
        await Expect(explorer.TestId("live-tail")).ToHaveAttributeAsync("data-status", "live");

        var id = Guid.NewGuid();
        await graph.Client().AppendAsync(id, "player", "PlayerCreated", new { PlayerId = "player_" + id.ToString("N")[..8], Name = "Tailed" });
        await Expect(explorer.Page.Locator("[data-testid=tail-row]", new PageLocatorOptions { HasText = id.ToString() })).ToHaveCountAsync(1);
        await explorer.ScreenshotAsync("streams");
        Assert.Empty(explorer.Errors);
    }

    [Fact]
    public async Task Actions_need_an_admin_token_and_a_pasted_token_stays_out_of_urls()
    {
        var explorer = await browser.OpenAsync(ExplorerUrl);
        var page = explorer.Page;
        await page.GotoAsync("/token");
        await Expect(explorer.TestId("token-scopes")).ToHaveTextAsync("events:read events:admin");

        // A reader's token, pasted: pages read, actions are refused with the API's reason.
        var reader = ApiClient.Token("events:read");
        await explorer.TestId("token-input").FillAsync(reader);
        await explorer.TestId("token-save").ClickAsync();
        await Expect(explorer.TestId("token-scopes")).ToHaveTextAsync("events:read");
        Assert.DoesNotContain(reader, page.Url, StringComparison.Ordinal);
        Assert.DoesNotContain(reader, await page.ContentAsync(), StringComparison.Ordinal);

        await page.GotoAsync("/processing");
        await Expect(explorer.TestId("processing-status")).ToBeVisibleAsync();
        await explorer.TestId("replay-start").ClickAsync();
        await Expect(explorer.TestId("action-result")).ToContainTextAsync("403");

        await page.GotoAsync("/token");
        await explorer.TestId("token-forget").ClickAsync();
        await Expect(explorer.TestId("token-scopes")).ToHaveTextAsync("events:read events:admin");
        Assert.Empty(explorer.Errors);
    }

    [Fact]
    public async Task A_long_stream_lists_the_200_events_around_the_selected_version()
    {
        var id = Guid.NewGuid();
        await graph.Client().AppendBatchAsync(Enumerable.Range(1, 250)
            .Select(level => EventSourcingClient.Event(id, "player", "PlayerLevelUp", new { NewLevel = level, ExperienceGained = 10 })));
        var explorer = await browser.OpenAsync(ExplorerUrl);

        await explorer.Page.GotoAsync($"/aggregates/{id}");
        await Expect(explorer.TestId("event-row")).ToHaveCountAsync(200);
        await Expect(explorer.TestId("event-row").First).ToHaveAttributeAsync("data-version", "51");
        await Expect(explorer.TestId("event-row").Last).ToHaveAttributeAsync("data-version", "250");

        await explorer.TestId("event-window").GetByRole(AriaRole.Link, new() { Name = "first" }).ClickAsync();
        await Expect(explorer.TestId("current-version")).ToHaveTextAsync("1");
        await Expect(explorer.TestId("event-row").First).ToHaveAttributeAsync("data-version", "1");
        await Expect(explorer.TestId("event-row").Last).ToHaveAttributeAsync("data-version", "200");

        // A hand-edited version falls back to the last one.
        await explorer.Page.GotoAsync($"/aggregates/{id}?v=abc");
        await Expect(explorer.TestId("current-version")).ToHaveTextAsync("250");
        Assert.Empty(explorer.Errors);
    }

    [Fact]
    public async Task A_bad_search_says_what_an_id_looks_like_and_an_unknown_id_has_no_events()
    {
        var explorer = await browser.OpenAsync(ExplorerUrl);
        await explorer.Page.GotoAsync("/");
        await explorer.TestId("aggregate-search").FillAsync("not-an-id");
        await explorer.TestId("aggregate-search-submit").ClickAsync();
        await Expect(explorer.TestId("api-error")).ToContainTextAsync("is not an aggregate id");

        await explorer.Page.GotoAsync($"/aggregates/{Guid.NewGuid()}");
        await Expect(explorer.TestId("aggregate-not-found")).ToBeVisibleAsync();
        Assert.Empty(explorer.Errors);
        output.WriteLine($"screenshots: {ExplorerBrowser.ScreenshotDirectory}");
    }
}
