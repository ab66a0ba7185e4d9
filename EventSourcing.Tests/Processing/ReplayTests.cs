using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using EventSourcing.Client;
using EventSourcing.Contracts;

namespace EventSourcing.Tests.Processing;

/// <summary>Blue/green replay of read models: identical documents, appends during the replay not lost, progress reported.</summary>
[Collection(GraphCollection.Name)]
public sealed class ReplayTests(GraphFixture graph)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private static async Task<ReplayResponse> StartReplayAsync(EventSourcingClient client, string? model)
    {
        var accepted = await client.ReplayAsync(model);
        Assert.True(accepted.Status is "queued" or "running", $"{accepted}");
        return accepted;
    }

    private static async Task<ReplayResponse> WaitForReplayAsync(EventSourcingClient client, Guid replayId)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        var done = await client.WaitForReplayAsync(replayId, pollInterval: TimeSpan.FromMilliseconds(100), cancellationToken: timeout.Token);
        Assert.True(done.Status == "completed", $"{done}");
        return done;
    }

    private static AppendEventRequest PlayerEvent(Guid id, string eventType, object payload) => EventSourcingClient.Event(id, "player", eventType, payload);

    [Fact]
    public async Task Replaying_a_read_model_rebuilds_identical_documents_and_keeps_appends_made_meanwhile()
    {
        var client = graph.Client();
        var players = Enumerable.Range(0, 5).Select(_ => (Aggregate: Guid.NewGuid(), PlayerId: "player_" + Guid.NewGuid().ToString("N")[..8])).ToList();
        foreach (var (aggregate, playerId) in players)
        {
            Assert.True((await client.AppendBatchAsync(
            [
                PlayerEvent(aggregate, "PlayerCreated", new { PlayerId = playerId, Name = "Replay" }),
                PlayerEvent(aggregate, "ExperienceGained", new { Amount = 300 }), // v1, upcast on replay
                PlayerEvent(aggregate, "PlayerLevelUp", new { NewLevel = 12, ExperienceGained = 100 }),
                PlayerEvent(aggregate, "EnemyKilled", new { Weapon = "katana" }),
                PlayerEvent(aggregate, "PlayerDied", new { }),
            ])).Created);
        }

        var before = new Dictionary<string, ReadModel<JsonElement>>();
        foreach (var (_, playerId) in players)
        {
            before[playerId] = await client.WaitForReadModelAsync<JsonElement>("player_summary", playerId, 5, Timeout);
        }

        var replay = await StartReplayAsync(client, "player_summary");
        // Appends while the replay runs: the replay's catch-up or the processor (after the swap) must apply them.
        var (busyAggregate, busyPlayer) = players[0];
        for (var i = 0; i < 20; i++)
        {
            Assert.True((await client.AppendAsync(PlayerEvent(busyAggregate, "EnemyKilled", new { Weapon = "pistol" }))).Created);
        }

        var done = await WaitForReplayAsync(client, replay.ReplayId);
        Assert.Equal(1, done.ModelsDone);
        Assert.True(done.EventsTotal >= 25, $"{done}");
        Assert.True(done.EventsDone >= done.EventsTotal - 20, $"{done}");
        Assert.Equal(1, done.Progress, 1);
        Assert.Equal(0, done.EtaSeconds);

        foreach (var (_, playerId) in players.Skip(1))
        {
            var after = (await client.GetReadModelAsync<JsonElement>("player_summary", playerId))!;
            Assert.Equal(before[playerId].Version, after.Version);
            Assert.True(JsonElement.DeepEquals(before[playerId].Data, after.Data), $"{before[playerId].Data} != {after.Data}");
        }

        var busy = await client.WaitForReadModelAsync<JsonElement>("player_summary", busyPlayer, 25, Timeout);
        Assert.Equal(25, busy.Version);
        Assert.Equal(21, busy.Data.GetProperty("totalKills").GetInt64());
        Assert.Equal(400, busy.Data.GetProperty("experience").GetInt64());
        Assert.Equal("pistol", busy.Data.GetProperty("favoriteWeapon").GetString());
    }

    [Fact]
    public async Task Replaying_every_read_model_reports_progress_and_keeps_the_documents()
    {
        var client = graph.Client();
        var quest = Guid.NewGuid();
        var questId = "quest_" + Guid.NewGuid().ToString("N")[..8];
        Assert.True((await client.AppendBatchAsync(
        [
            EventSourcingClient.Event(quest, "quest", "QuestStarted", new
            {
                QuestId = questId,
                Title = "Replay me",
                Objectives = new[] { new { Id = "o1", Description = "one" }, new { Id = "o2", Description = "two" } },
            }),
            EventSourcingClient.Event(quest, "quest", "QuestObjectiveCompleted", new { ObjectiveId = "o1" }),
        ])).Created);
        var before = await client.WaitForReadModelAsync<JsonElement>("quest_progress", questId, 2, Timeout);

        var replay = await StartReplayAsync(client, model: null);
        var done = await WaitForReplayAsync(client, replay.ReplayId);
        Assert.Equal(7, done.Models.Count);
        Assert.Equal(7, done.ModelsDone);
        Assert.True(done.EventsDone > 0);
        Assert.NotNull(done.FinishedAt);

        var after = (await client.GetReadModelAsync<JsonElement>("quest_progress", questId))!;
        Assert.True(JsonElement.DeepEquals(before.Data, after.Data), $"{before.Data} != {after.Data}");
        Assert.Equal(0.5, after.Data.GetProperty("progress").GetDouble());

        // The client has no call for the list of recent replays.
        using var http = ApiClient.Create(graph);
        var recent = await http.GetFromJsonAsync(new Uri("/api/v1/events/read-models/replays", UriKind.Relative), ContractJson.Default.ReplayListResponse);
        Assert.Contains(recent!.Replays, r => r.ReplayId == replay.ReplayId);
    }

    [Fact]
    public async Task Two_aggregates_claiming_one_read_model_id_leave_it_to_the_first_live_and_on_replay()
    {
        var client = graph.Client();
        var sessionId = "session_" + Guid.NewGuid().ToString("N")[..8];
        var (first, second) = (Guid.NewGuid(), Guid.NewGuid());
        await client.AppendAsync(first, "combat_session", "CombatStarted", new { SessionId = sessionId, Mode = "duel", Participants = (string[])["a", "b"] });
        var owned = await client.WaitForReadModelAsync<JsonElement>("combat_session_stats", sessionId, 1);
        await client.AppendAsync(second, "combat_session", "CombatStarted", new { SessionId = sessionId, Mode = "raid", Participants = (string[])["c"] });

        // The later aggregate's event fails with an error that names the model, the id and the aggregate.
        var deadline = Stopwatch.StartNew();
        FailedEvent? failure;
        while ((failure = (await client.ListFailedEventsAsync(limit: 1000)).FirstOrDefault(e => e.AggregateId == second)) is null)
        {
            Assert.True(deadline.Elapsed < Timeout, "the second aggregate's event did not fail");
            await Task.Delay(100);
        }

        Assert.Equal($"The combat_session_stats read model '{sessionId}' already belongs to another aggregate: aggregate {second} cannot take its id", failure.Error);

        // A replay keeps the id with the aggregate appended first and counts the other as failed, instead of failing.
        var replay = await client.ReplayAsync("combat_session_stats");
        using var timeout = new CancellationTokenSource(Timeout);
        var done = await client.WaitForReplayAsync(replay.ReplayId, pollInterval: TimeSpan.FromMilliseconds(100), cancellationToken: timeout.Token);
        Assert.Equal("completed", done.Status);
        Assert.True(done.FailedAggregates >= 1, $"{done}");
        var after = await client.GetReadModelAsync<JsonElement>("combat_session_stats", sessionId);
        Assert.Equal("duel", after!.Data.GetProperty("mode").GetString());
        Assert.Equal(owned.Version, after.Version);
    }

    [Fact]
    public async Task Replay_requests_are_checked()
    {
        using var admin = ApiClient.Create(graph);
        var unknown = await admin.PostAsync(new Uri("/api/v1/events/read-models/no_such_model/replay", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/api/v1/events/read-models/replays/{Guid.NewGuid()}")).StatusCode);

        using var writer = ApiClient.Create(graph, EventSourcing.Api.Security.Scopes.Read, EventSourcing.Api.Security.Scopes.Write);
        Assert.Equal(HttpStatusCode.Forbidden, (await writer.PostAsync(new Uri("/api/v1/events/read-models/player_summary/replay", UriKind.Relative), null)).StatusCode);
    }
}
