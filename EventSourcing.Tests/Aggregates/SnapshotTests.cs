using System.Net;
using System.Text.Json.Nodes;
using EventSourcing.Api.Security;
using EventSourcing.Tests.Infrastructure;
using Npgsql;

namespace EventSourcing.Tests.Aggregates;

[Collection(GraphCollection.Name)]
public sealed class SnapshotTests(GraphFixture graph)
{
    private static JsonObject Level(Guid id, int level) =>
        ApiClient.Event(id, payload: new JsonObject { ["newLevel"] = level, ["experienceGained"] = 100 });

    [Fact]
    public async Task Rebuild_snapshot_and_state_agree_and_the_state_keeps_up_after_the_snapshot()
    {
        using var http = ApiClient.Create(graph);
        var id = Guid.NewGuid();
        Assert.Equal(HttpStatusCode.Created, (await http.AppendBatchAsync([.. Enumerable.Range(1, 5).Select(l => Level(id, l))])).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"/api/v1/events/aggregates/player/{id}/snapshot")).StatusCode);

        var rebuilt = await (await http.PostAsync(new Uri($"/api/v1/events/aggregates/player/{id}/rebuild?snapshot=true", UriKind.Relative), null)).JsonAsync();
        Assert.Equal(5, rebuilt["eventsApplied"]!.GetValue<int>());
        Assert.Equal(5, rebuilt["currentVersion"]!.GetValue<long>());
        Assert.True(rebuilt["snapshotCreated"]!.GetValue<bool>());
        Assert.True(rebuilt["durationMs"]!.GetValue<double>() >= 0);
        Assert.Equal(500, rebuilt["state"]!["experience"]!.GetValue<long>());

        var snapshot = await (await http.GetAsync($"/api/v1/events/aggregates/player/{id}/snapshot")).JsonAsync();
        Assert.Equal(5, snapshot["version"]!.GetValue<long>());
        Assert.True(JsonNode.DeepEquals(rebuilt["state"], snapshot["state"]));
        Assert.NotNull(snapshot["createdAt"]);

        Assert.Equal(HttpStatusCode.Created, (await http.AppendAsync(Level(id, 6))).StatusCode);
        var state = await (await http.GetAsync($"/api/v1/events/aggregates/player/{id}")).JsonAsync();
        Assert.Equal(6, state["currentVersion"]!.GetValue<long>());
        Assert.Equal(600, state["state"]!["experience"]!.GetValue<long>());
        var again = await (await http.PostAsync(new Uri($"/api/v1/events/aggregates/player/{id}/rebuild", UriKind.Relative), null)).JsonAsync();
        Assert.True(JsonNode.DeepEquals(state["state"], again["state"]));
        Assert.False(again["snapshotCreated"]!.GetValue<bool>());

        var created = await http.PostAsync(new Uri($"/api/v1/events/aggregates/player/{id}/snapshot", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(6, (await created.JsonAsync())["version"]!.GetValue<long>());
    }

    [Fact]
    public async Task The_state_is_the_snapshot_plus_the_events_after_it()
    {
        using var http = ApiClient.Create(graph);
        var id = Guid.NewGuid();
        const string type = "snapshot_probe";
        Assert.Equal(HttpStatusCode.Created, (await http.AppendBatchAsync(
            ApiClient.Event(id, type, "Set", payload: new JsonObject { ["a"] = 1 }),
            ApiClient.Event(id, type, "Set", payload: new JsonObject { ["b"] = 2 }),
            ApiClient.Event(id, type, "Set", payload: new JsonObject { ["c"] = 3 }))).StatusCode);

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

        var state = (await (await http.GetAsync($"/api/v1/events/aggregates/{type}/{id}")).JsonAsync())["state"]!;
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("{\"a\":1,\"b\":2,\"marker\":true,\"c\":3}"), state), state.ToJsonString());

        // Before the snapshot's version, the fold starts from the first event.
        var early = (await (await http.GetAsync($"/api/v1/events/aggregates/{type}/{id}?atVersion=1")).JsonAsync())["state"]!;
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("{\"a\":1}"), early), early.ToJsonString());

        // A rebuild ignores snapshots.
        var rebuilt = (await (await http.PostAsync(new Uri($"/api/v1/events/aggregates/{type}/{id}/rebuild", UriKind.Relative), null)).JsonAsync())["state"]!;
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("{\"a\":1,\"b\":2,\"c\":3}"), rebuilt), rebuilt.ToJsonString());
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
        using var http = ApiClient.Create(graph);
        var id = Guid.NewGuid();
        for (var level = 1; level <= 5; level++)
        {
            Assert.Equal(HttpStatusCode.Created, (await http.AppendAsync(Level(id, level))).StatusCode);
            Assert.Equal(HttpStatusCode.Created, (await http.PostAsync(new Uri($"/api/v1/events/aggregates/player/{id}/snapshot", UriKind.Relative), null)).StatusCode);
        }

        await using var connection = new NpgsqlConnection(await graph.ConnectionStringAsync("eventstore"));
        await connection.OpenAsync();
        await using var versions = new NpgsqlCommand(
            "SELECT array_agg(version ORDER BY version) FROM event_store.aggregate_snapshots WHERE aggregate_id = @id", connection);
        versions.Parameters.AddWithValue("id", id);
        // SNAPSHOT_RETENTION defaults to 3.
        var kept = (long[])(await versions.ExecuteScalarAsync())!;
        Assert.Equal([3L, 4L, 5L], kept);

        var latest = await (await http.GetAsync($"/api/v1/events/aggregates/player/{id}/snapshot")).JsonAsync();
        Assert.Equal(5, latest["version"]!.GetValue<long>());
        var atFour = await (await http.GetAsync($"/api/v1/events/aggregates/player/{id}?atVersion=4")).JsonAsync();
        Assert.Equal(4, atFour["currentVersion"]!.GetValue<long>());
        Assert.Equal(4, atFour["state"]!["level"]!.GetValue<int>());
        Assert.Equal(400, atFour["state"]!["experience"]!.GetValue<long>());
    }

    [Fact]
    public async Task An_aggregate_with_events_newer_than_a_snapshot_older_than_SNAPSHOT_MAX_AGE_gets_a_new_one()
    {
        using var http = ApiClient.Create(graph);
        var id = Guid.NewGuid();
        // Three events: far from SNAPSHOT_INTERVAL (100), so only the age can bring a snapshot.
        Assert.Equal(HttpStatusCode.Created, (await http.AppendBatchAsync([.. Enumerable.Range(1, 3).Select(l => Level(id, l))])).StatusCode);
        var first = await WaitForSnapshotAsync(http, id, 3);
        Assert.Equal(300, first["state"]!["experience"]!.GetValue<long>());

        // A later event: the snapshot is behind, and once it is older than the age, it is replaced.
        Assert.Equal(HttpStatusCode.Created, (await http.AppendAsync(Level(id, 4))).StatusCode);
        var second = await WaitForSnapshotAsync(http, id, 4);
        var age = DateTimeOffset.Parse(second["createdAt"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture)
            - DateTimeOffset.Parse(first["createdAt"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(age >= GraphFixture.SnapshotMaxAge, $"replaced after {age}, before SNAPSHOT_MAX_AGE");
        Assert.Equal(400, second["state"]!["experience"]!.GetValue<long>());
    }

    private static async Task<JsonObject> WaitForSnapshotAsync(HttpClient http, Guid id, long version)
    {
        var deadline = DateTime.UtcNow + (GraphFixture.SnapshotMaxAge * 4);
        while (true)
        {
            var response = await http.GetAsync($"/api/v1/events/aggregates/player/{id}/snapshot");
            if (response.StatusCode == HttpStatusCode.OK && await response.JsonAsync() is { } snapshot && snapshot["version"]!.GetValue<long>() >= version)
            {
                return snapshot;
            }

            Assert.True(DateTime.UtcNow < deadline, $"no snapshot at version {version} of {id} within {GraphFixture.SnapshotMaxAge * 4}");
            await Task.Delay(250);
        }
    }
}
