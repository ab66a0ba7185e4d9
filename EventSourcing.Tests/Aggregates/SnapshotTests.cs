using System.Text.Json;
using EventSourcing.Api.Security;
using EventSourcing.Client;
using EventSourcing.Contracts;
using Npgsql;

namespace EventSourcing.Tests.Aggregates;

[Collection(GraphCollection.Name)]
public sealed class SnapshotTests(GraphFixture graph)
{
    private static AppendEventRequest Level(Guid id, int level) =>
        EventSourcingClient.Event(id, "player", "PlayerLevelUp", new { NewLevel = level, ExperienceGained = 100 });

    [Fact]
    public async Task Rebuild_snapshot_and_state_agree_and_the_state_keeps_up_after_the_snapshot()
    {
        var client = graph.Client();
        var id = Guid.NewGuid();
        Assert.True((await client.AppendBatchAsync(Enumerable.Range(1, 5).Select(l => Level(id, l)))).Created);
        Assert.Null(await client.GetSnapshotAsync("player", id));

        var rebuilt = (await client.RebuildAsync("player", id, createSnapshot: true))!;
        Assert.Equal(5, rebuilt.EventsApplied);
        Assert.Equal(5, rebuilt.CurrentVersion);
        Assert.True(rebuilt.SnapshotCreated);
        Assert.True(rebuilt.DurationMs >= 0);
        Assert.Equal(500, rebuilt.State.GetProperty("experience").GetInt64());

        var snapshot = (await client.GetSnapshotAsync("player", id))!;
        Assert.Equal(5, snapshot.Version);
        Assert.True(JsonElement.DeepEquals(rebuilt.State, snapshot.State));
        Assert.NotEqual(default, snapshot.CreatedAt);

        Assert.True((await client.AppendAsync(Level(id, 6))).Created);
        var state = (await client.GetAggregateAsync("player", id))!;
        Assert.Equal(6, state.CurrentVersion);
        Assert.Equal(600, state.State.GetProperty("experience").GetInt64());
        var again = (await client.RebuildAsync("player", id))!;
        Assert.True(JsonElement.DeepEquals(state.State, again.State));
        Assert.False(again.SnapshotCreated);

        var created = (await client.CreateSnapshotAsync("player", id))!;
        Assert.Equal(6, created.Version);
    }

    [Fact]
    public async Task The_state_is_the_snapshot_plus_the_events_after_it()
    {
        var client = graph.Client();
        var id = Guid.NewGuid();
        const string type = "snapshot_probe";
        Assert.True((await client.AppendBatchAsync(
        [
            EventSourcingClient.Event(id, type, "Set", new { A = 1 }),
            EventSourcingClient.Event(id, type, "Set", new { B = 2 }),
            EventSourcingClient.Event(id, type, "Set", new { C = 3 }),
        ])).Created);

        // A snapshot at version 2 carrying a marker no event ever wrote: if the read uses it, the marker shows.
        await using (var connection = new NpgsqlConnection(await graph.ConnectionStringAsync("eventstore")))
        {
            await connection.OpenAsync();
            await using var insert = new NpgsqlCommand(
                "INSERT INTO event_store.aggregate_snapshots (aggregate_id, aggregate_type, version, state) VALUES (@id, @type, 2, '{\"a\":1,\"b\":2,\"marker\":true}')",
                connection);
            insert.Parameters.AddWithValue("id", id);
            insert.Parameters.AddWithValue("type", type);
            await insert.ExecuteNonQueryAsync();
        }

        var state = (await client.GetAggregateAsync(type, id))!.State;
        Assert.True(JsonElement.DeepEquals(JsonElement.Parse("{\"a\":1,\"b\":2,\"marker\":true,\"c\":3}"), state), state.GetRawText());

        // Before the snapshot's version, the fold starts from the first event.
        var early = (await client.GetAggregateAsync(type, id, atVersion: 1))!.State;
        Assert.True(JsonElement.DeepEquals(JsonElement.Parse("{\"a\":1}"), early), early.GetRawText());

        // A rebuild ignores snapshots.
        var rebuilt = (await client.RebuildAsync(type, id))!.State;
        Assert.True(JsonElement.DeepEquals(JsonElement.Parse("{\"a\":1,\"b\":2,\"c\":3}"), rebuilt), rebuilt.GetRawText());
    }

    [Fact]
    public async Task Rebuild_and_snapshot_creation_need_the_admin_scope()
    {
        using var http = ApiClient.Create(graph, Scopes.Read, Scopes.Write);
        var id = Guid.NewGuid();
        Assert.Equal(HttpStatusCode.Created, (await http.AppendAsync(ApiClient.Event(id))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await http.PostAsync(new Uri($"/api/v1/events/aggregates/player/{id}/rebuild", UriKind.Relative), null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await http.PostAsync(new Uri($"/api/v1/events/aggregates/player/{id}/snapshot", UriKind.Relative), null)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await http.GetAsync("/api/v1/events/aggregates/player/not-a-uuid/snapshot")).StatusCode);

        using var admin = ApiClient.Create(graph, Scopes.Admin);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PostAsync(new Uri($"/api/v1/events/aggregates/player/{id}/rebuild?snapshot=maybe", UriKind.Relative), null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsync(new Uri($"/api/v1/events/aggregates/player/{Guid.NewGuid()}/rebuild", UriKind.Relative), null)).StatusCode);
    }

    [Fact]
    public async Task Only_the_last_snapshots_are_kept_and_at_version_uses_an_older_one()
    {
        var client = graph.Client();
        var id = Guid.NewGuid();
        for (var level = 1; level <= 5; level++)
        {
            Assert.True((await client.AppendAsync(Level(id, level))).Created);
            Assert.NotNull(await client.CreateSnapshotAsync("player", id));
        }

        await using var connection = new NpgsqlConnection(await graph.ConnectionStringAsync("eventstore"));
        await connection.OpenAsync();
        await using var versions = new NpgsqlCommand(
            "SELECT array_agg(version ORDER BY version) FROM event_store.aggregate_snapshots WHERE aggregate_id = @id", connection);
        versions.Parameters.AddWithValue("id", id);
        // SNAPSHOT_RETENTION defaults to 3.
        var kept = (long[])(await versions.ExecuteScalarAsync())!;
        Assert.Equal([3L, 4L, 5L], kept);

        var latest = (await client.GetSnapshotAsync("player", id))!;
        Assert.Equal(5, latest.Version);
        var atFour = (await client.GetAggregateAsync("player", id, atVersion: 4))!;
        Assert.Equal(4, atFour.CurrentVersion);
        Assert.Equal(4, atFour.State.GetProperty("level").GetInt32());
        Assert.Equal(400, atFour.State.GetProperty("experience").GetInt64());
    }

    [Fact]
    public async Task An_aggregate_with_events_newer_than_a_snapshot_older_than_SNAPSHOT_MAX_AGE_gets_a_new_one()
    {
        var client = graph.Client();
        var id = Guid.NewGuid();
        // Three events: far from SNAPSHOT_INTERVAL (100), so only the age can bring a snapshot.
        Assert.True((await client.AppendBatchAsync(Enumerable.Range(1, 3).Select(l => Level(id, l)))).Created);
        var first = await WaitForSnapshotAsync(client, id, 3);
        Assert.Equal(300, first.State.GetProperty("experience").GetInt64());

        // A later event: the snapshot is behind, and once it is older than the age, it is replaced.
        Assert.True((await client.AppendAsync(Level(id, 4))).Created);
        var second = await WaitForSnapshotAsync(client, id, 4);
        var age = second.CreatedAt - first.CreatedAt;
        Assert.True(age >= GraphFixture.SnapshotMaxAge, $"replaced after {age}, before SNAPSHOT_MAX_AGE");
        Assert.Equal(400, second.State.GetProperty("experience").GetInt64());
    }

    private static async Task<SnapshotResponse> WaitForSnapshotAsync(EventSourcingClient client, Guid id, long version)
    {
        var deadline = DateTime.UtcNow + (GraphFixture.SnapshotMaxAge * 4);
        while (true)
        {
            if (await client.GetSnapshotAsync("player", id) is { } snapshot && snapshot.Version >= version)
            {
                return snapshot;
            }

            Assert.True(DateTime.UtcNow < deadline, $"no snapshot at version {version} of {id} within {GraphFixture.SnapshotMaxAge * 4}");
            await Task.Delay(250);
        }
    }
}
