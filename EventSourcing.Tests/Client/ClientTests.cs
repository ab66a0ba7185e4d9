using System.Text.Json;
using EventSourcing.Client;
using EventSourcing.Contracts;
using Microsoft.Extensions.DependencyInjection;

namespace EventSourcing.Tests.Client;

/// <summary>EventSourcing.Client against the whole graph, registered as a game service registers it.</summary>
[Collection(GraphCollection.Name)]
public sealed class ClientTests(GraphFixture graph)
{
    private sealed record PlayerView(string PlayerId, string Name, int Level, long Experience);

    private sealed record SummaryView(string PlayerId, int Level, long TotalKills, Dictionary<string, long> KillsByWeapon);

    [Fact]
    public async Task Appends_streams_states_and_read_models_round_trip_through_the_client()
    {
        var client = graph.Client();
        var id = Guid.NewGuid();
        var playerId = "player_" + Guid.NewGuid().ToString("N")[..8];

        var created = await client.AppendAsync(id, "player", "PlayerCreated", new { PlayerId = playerId, Name = "CyberNinja" }, expectedVersion: 0);
        Assert.True(created.Created);
        Assert.Equal(1, created.Value.AggregateVersion);
        Assert.NotEqual(Guid.Empty, created.Value.EventId);

        var batch = await client.AppendBatchAsync(
        [
            EventSourcingClient.Event(id, "player", "PlayerLevelUp", new { NewLevel = 2, ExperienceGained = 100 }, expectedVersion: 1),
            EventSourcingClient.Event(id, "player", "EnemyKilled", new { Weapon = "mono_wire" }),
            EventSourcingClient.Event(id, "player", "EnemyKilled", new { Weapon = "mono_wire" }),
            EventSourcingClient.Event(id, "player", "PlayerLevelUp", new { NewLevel = 3, ExperienceGained = 250 }),
        ]);
        Assert.True(batch.Created);
        Assert.Equal([2L, 3, 4, 5], batch.Value.Select(e => e.AggregateVersion));

        // A repeat of an acknowledged event (what a retry sends) answers with the stored event, not a second one.
        var repeat = await client.AppendAsync(id, "player", "PlayerCreated", new { PlayerId = playerId, Name = "CyberNinja" }, expectedVersion: 0,
            eventId: created.Value.EventId);
        Assert.False(repeat.Created);
        Assert.Equal(created.Value.Position, repeat.Value.Position);

        // Every page, both directions: five events in pages of two.
        Assert.Equal([1L, 2, 3, 4, 5], await client.ReadStreamAsync(id, pageSize: 2).Select(e => e.AggregateVersion).ToListAsync());
        Assert.Equal([5L, 4, 3, 2, 1], await client.ReadStreamAsync(id, direction: ReadDirection.Backward, pageSize: 2).Select(e => e.AggregateVersion).ToListAsync());
        Assert.Empty(await client.ReadStreamAsync(Guid.NewGuid()).ToListAsync());

        // Global order from a position: ours, in order, whatever else was appended meanwhile.
        var global = await client.ReadEventsAsync(created.Value.Position - 1, aggregateType: "player", pageSize: 3)
            .Where(e => e.AggregateId == id).Select(e => e.AggregateVersion).ToListAsync();
        Assert.Equal([1L, 2, 3, 4, 5], global);

        var state = await client.GetAggregateAsync<PlayerView>("player", id);
        Assert.NotNull(state);
        Assert.Equal(5, state.CurrentVersion);
        Assert.Equal(new PlayerView(playerId, "CyberNinja", 3, 350), state.State);
        Assert.Equal(2, (await client.GetAggregateAsync<PlayerView>("player", id, atVersion: 2))!.State.Level);
        Assert.Null(await client.GetAggregateAsync("player", Guid.NewGuid()));
        Assert.Contains(await client.ListAggregatesAsync("player", pageSize: 1000).ToListAsync(), a => a.AggregateId == id && a.CurrentVersion == 5);

        var summary = await client.WaitForReadModelAsync<SummaryView>("player_summary", playerId, 5);
        Assert.Equal(new Dictionary<string, long> { ["mono_wire"] = 2 }, summary.Data.KillsByWeapon);
        Assert.Equal((3, 2L), (summary.Data.Level, summary.Data.TotalKills));
        Assert.Null(await client.GetReadModelAsync("player_summary", "nobody_" + Guid.NewGuid().ToString("N")));
        Assert.Contains(await client.ListReadModelsAsync("player_summary", pageSize: 1000).ToListAsync(), d => d.Id == playerId);
    }

    [Fact]
    public async Task A_stale_expected_version_is_a_concurrency_conflict_and_bad_input_a_validation_error_and_neither_stores_anything()
    {
        var client = graph.Client();
        var id = Guid.NewGuid();
        await client.AppendAsync(id, "player", "PlayerLevelUp", new { NewLevel = 1 }, expectedVersion: 0);

        var conflict = await Assert.ThrowsAsync<ConcurrencyConflictException>(() =>
            client.AppendAsync(id, "player", "PlayerLevelUp", new { NewLevel = 2 }, expectedVersion: 0));
        Assert.Equal((409, 0L, 1L), (conflict.Status, conflict.ExpectedVersion, conflict.ActualVersion));

        var invalid = await Assert.ThrowsAsync<EventValidationException>(() =>
            client.AppendAsync(id, "player", "PlayerLevelUp", new { NewLevel = "three" }));
        Assert.Equal(400, invalid.Status);
        Assert.Contains(invalid.Errors.Keys, key => key.StartsWith("payload", StringComparison.Ordinal));

        var invalidBatch = await Assert.ThrowsAsync<EventValidationException>(() => client.AppendBatchAsync(
        [
            EventSourcingClient.Event(id, "player", "PlayerLevelUp", new { NewLevel = 2 }),
            EventSourcingClient.Event(id, "player", "", new { }),
        ]));
        Assert.Contains(invalidBatch.Errors.Keys, key => key.StartsWith("events[1].", StringComparison.Ordinal));

        // A reader's token cannot append: the problem comes through as it was written.
        var forbidden = await Assert.ThrowsAsync<EventSourcingApiException>(() =>
            graph.Client(["events:read"]).AppendAsync(id, "player", "PlayerLevelUp", new { NewLevel = 2 }));
        Assert.Equal(403, forbidden.Status);
        Assert.Equal(403, forbidden.Problem?.Status);

        Assert.Equal(1, (await client.GetAggregateAsync("player", id))!.CurrentVersion);
    }

    [Fact]
    public async Task A_503_while_PostgreSQL_is_down_is_retried_with_the_same_eventId_until_the_event_is_stored()
    {
        var attempts = new AttemptRecorder();
        // The client as a game service gets it: retries on.
        var client = graph.Client(configure: builder =>
        {
            builder.Services.Configure<EventSourcingClientSettings>(settings => settings.MaxRetries = new EventSourcingClientSettings().MaxRetries);
            builder.Services.AddHttpClient<EventSourcingClient>().AddHttpMessageHandler(() => attempts);
        });
        var id = Guid.NewGuid();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));

        await graph.StopResourceAsync("postgres", timeout.Token);
        Task<AppendResult<EventResponse>> append;
        try
        {
            append = client.AppendAsync(id, "player", "PlayerLevelUp", new { NewLevel = 7 }, expectedVersion: 0, cancellationToken: timeout.Token);
            await attempts.FirstAnswered.WaitAsync(timeout.Token);
        }
        finally
        {
            await graph.StartResourceAsync("postgres", timeout.Token);
        }

        var stored = await append;
        Assert.True(stored.Created);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, attempts.Statuses[0]);
        Assert.Equal(HttpStatusCode.Created, attempts.Statuses[^1]);
        Assert.All(attempts.Statuses.SkipLast(1), status => Assert.Equal(HttpStatusCode.ServiceUnavailable, status));
        // Every attempt carried the eventId chosen before the first: one event, whatever the number of attempts.
        Assert.Equal([stored.Value.EventId], attempts.EventIds.Distinct());
        Assert.Equal([stored.Value.EventId], await client.ReadStreamAsync(id).Select(e => e.EventId).ToListAsync());
    }

    /// <summary>The shared wait (<see cref="ClientWaits"/>), under the name GameSimulatorTests calls.</summary>
    /// <summary>Sees every attempt the client's pipeline makes: the eventId it sent and the status it got.</summary>
    private sealed class AttemptRecorder : DelegatingHandler
    {
        private readonly TaskCompletionSource _firstAnswered = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public List<HttpStatusCode> Statuses { get; } = [];

        public List<Guid> EventIds { get; } = [];

        public Task FirstAnswered => _firstAnswered.Task;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Content is null)
            {
                return await base.SendAsync(request, cancellationToken);
            }

            using (var body = JsonDocument.Parse(await request.Content.ReadAsStringAsync(cancellationToken)))
            {
                EventIds.Add(body.RootElement.GetProperty("eventId").GetGuid());
            }

            var response = await base.SendAsync(request, cancellationToken);
            Statuses.Add(response.StatusCode);
            _firstAnswered.TrySetResult();
            return response;
        }
    }
}
