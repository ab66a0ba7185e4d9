using System.Text;
using System.Text.Json.Nodes;
using EventSourcing.Api.Security;
using EventSourcing.Client;

namespace EventSourcing.Tests.EventStore;

[Collection(GraphCollection.Name)]
public sealed class AppendContractTests(GraphFixture graph)
{
    [Fact]
    public async Task The_seed_example_appends_and_reads_back()
    {
        using var http = ApiClient.Create(graph);
        var id = Guid.NewGuid();
        var response = await http.AppendAsync(ApiClient.Event(id));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal($"/api/v1/events/stream/{id}", response.Headers.Location?.ToString());
        var stored = await response.JsonAsync();
        Assert.Equal(id.ToString(), stored["aggregateId"]!.GetValue<string>());
        Assert.Equal(1, stored["aggregateVersion"]!.GetValue<long>());
        Assert.Equal(1, stored["eventVersion"]!.GetValue<int>());
        Assert.Equal(25, stored["payload"]!["newLevel"]!.GetValue<int>());
        Assert.Equal("game_server_01", stored["metadata"]!["source"]!.GetValue<string>());
        Assert.True(stored["position"]!.GetValue<long>() > 0);
        Assert.EndsWith("Z", stored["occurredAt"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.True(stored.ContainsKey("causationId") && stored.ContainsKey("correlationId"));

        var stream = await (await http.GetAsync($"/api/v1/events/stream/{id}")).JsonAsync();
        Assert.Equal(1, stream["currentVersion"]!.GetValue<long>());
        Assert.Equal("player", stream["aggregateType"]!.GetValue<string>());
        Assert.Equal(stored["eventId"]!.GetValue<string>(), stream["events"]![0]!["eventId"]!.GetValue<string>());
        Assert.Null(stream["nextFromVersion"]);
    }

    [Fact]
    public async Task Expected_version_is_exact_and_a_conflict_says_both_versions()
    {
        using var http = ApiClient.Create(graph);
        var id = Guid.NewGuid();
        Assert.Equal(HttpStatusCode.Created, (await http.AppendAsync(ApiClient.Event(id, expectedVersion: 0))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await http.AppendAsync(ApiClient.Event(id, expectedVersion: 1))).StatusCode);

        var conflict = await http.AppendAsync(ApiClient.Event(id, expectedVersion: 1));
        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
        Assert.Equal("application/problem+json", conflict.Content.Headers.ContentType?.MediaType);
        var problem = await conflict.JsonAsync();
        Assert.Equal(2, problem["currentVersion"]!.GetValue<long>());
        Assert.Equal(1, problem["expectedVersion"]!.GetValue<long>());
        Assert.Equal(409, problem["status"]!.GetValue<int>());

        var again = await http.AppendAsync(ApiClient.Event(id, expectedVersion: 0));
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal(2, (await (await http.GetAsync($"/api/v1/events/stream/{id}")).JsonAsync())["currentVersion"]!.GetValue<long>());
    }

    [Fact]
    public async Task An_aggregate_never_changes_type()
    {
        using var http = ApiClient.Create(graph);
        var id = Guid.NewGuid();
        Assert.Equal(HttpStatusCode.Created, (await http.AppendAsync(ApiClient.Event(id))).StatusCode);
        var response = await http.AppendAsync(ApiClient.Event(id, type: "quest", eventType: "QuestStarted",
            payload: new JsonObject { ["questId"] = "q1", ["title"] = "T", ["objectives"] = new JsonArray() }));
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.JsonAsync();
        Assert.Equal(409, problem["status"]!.GetValue<int>());
        Assert.Contains("'player'", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);

        var stream = await (await http.GetAsync($"/api/v1/events/stream/{id}")).JsonAsync();
        Assert.Equal("player", stream["aggregateType"]!.GetValue<string>());
        Assert.Single(stream["events"]!.AsArray());
    }

    [Fact]
    public async Task An_event_id_sent_again_in_a_later_commit_is_the_stored_event_and_writes_nothing()
    {
        using var http = ApiClient.Create(graph);
        var id = Guid.NewGuid();
        var eventId = Guid.NewGuid();
        var first = await http.AppendAsync(ApiClient.Event(id, eventId: eventId));
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var stored = await first.JsonAsync();

        // Its own request, after the first one's commit: not a neighbour in the same group commit.
        var again = await http.AppendAsync(ApiClient.Event(id, eventId: eventId));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.True(JsonNode.DeepEquals(stored, await again.JsonAsync()));
        Assert.Single((await (await http.GetAsync($"/api/v1/events/stream/{id}")).JsonAsync())["events"]!.AsArray());
    }

    [Fact]
    public async Task A_batch_sent_again_with_its_event_ids_answers_200_with_the_stored_events_and_writes_nothing()
    {
        using var http = ApiClient.Create(graph);
        var id = Guid.NewGuid();
        var eventIds = new[] { Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid() };
        JsonObject[] Batch() => [.. eventIds.Select(eventId => ApiClient.Event(id, eventId: eventId))];
        var first = await http.AppendBatchAsync(Batch());
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var stored = await first.JsonAsync();

        var again = await http.AppendBatchAsync(Batch());
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.True(JsonNode.DeepEquals(stored, await again.JsonAsync()));
        var stream = await (await http.GetAsync($"/api/v1/events/stream/{id}")).JsonAsync();
        Assert.Equal(3, stream["currentVersion"]!.GetValue<long>());
        Assert.Equal(3, stream["events"]!.AsArray().Count);
    }

    [Fact]
    public async Task A_batch_with_one_invalid_event_is_400_naming_it_and_stores_none()
    {
        using var http = ApiClient.Create(graph);
        var valid = Guid.NewGuid();
        var other = Guid.NewGuid();
        var response = await http.AppendBatchAsync(
            ApiClient.Event(valid),
            ApiClient.Event(other, eventType: "DamageDealt", type: "combat_session", payload: new JsonObject { ["attackerId"] = "a", ["targetId"] = "b", ["amount"] = -5 }),
            ApiClient.Event(valid));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.JsonAsync();
        Assert.NotNull(problem["errors"]!["events[1].payload.amount"]);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"/api/v1/events/stream/{valid}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"/api/v1/events/stream/{other}")).StatusCode);
    }

    [Fact]
    public async Task Sixteen_parallel_duplicates_make_one_201_fifteen_200_and_one_row()
    {
        using var http = ApiClient.Create(graph);
        var id = Guid.NewGuid();
        var eventId = Guid.NewGuid();
        var responses = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => http.AppendAsync(ApiClient.Event(id, eventId: eventId))));
        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.Equal(15, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        var bodies = await Task.WhenAll(responses.Select(r => r.JsonAsync()));
        Assert.Single(bodies.Select(b => b["position"]!.GetValue<long>()).Distinct());

        var stream = await (await http.GetAsync($"/api/v1/events/stream/{id}")).JsonAsync();
        Assert.Single(stream["events"]!.AsArray());

        var different = await http.AppendAsync(ApiClient.Event(id, eventId: eventId, payload: new JsonObject { ["newLevel"] = 26 }));
        Assert.Equal(HttpStatusCode.Conflict, different.StatusCode);
        Assert.Contains(eventId.ToString(), (await different.JsonAsync())["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Single((await (await http.GetAsync($"/api/v1/events/stream/{id}")).JsonAsync())["events"]!.AsArray());
    }

    [Fact]
    public async Task Parallel_appends_to_one_aggregate_all_land_with_distinct_versions()
    {
        using var http = ApiClient.Create(graph);
        var id = Guid.NewGuid();
        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => http.AppendAsync(ApiClient.Event(id))));
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        var versions = (await Task.WhenAll(responses.Select(r => r.JsonAsync()))).Select(b => b["aggregateVersion"]!.GetValue<long>()).Order();
        Assert.Equal(Enumerable.Range(1, 20).Select(v => (long)v), versions);
    }

    [Fact]
    public async Task A_batch_is_all_or_nothing()
    {
        using var http = ApiClient.Create(graph);
        var fresh = Guid.NewGuid();
        var existing = Guid.NewGuid();
        Assert.Equal(HttpStatusCode.Created, (await http.AppendAsync(ApiClient.Event(existing))).StatusCode);

        var refused = await http.AppendBatchAsync(ApiClient.Event(fresh), ApiClient.Event(existing, expectedVersion: 0));
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        var problem = await refused.JsonAsync();
        Assert.Equal(1, problem["index"]!.GetValue<int>());
        Assert.Equal(1, problem["currentVersion"]!.GetValue<long>());
        Assert.Equal(0, problem["expectedVersion"]!.GetValue<long>());
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"/api/v1/events/stream/{fresh}")).StatusCode);
        Assert.Equal(1, (await (await http.GetAsync($"/api/v1/events/stream/{existing}")).JsonAsync())["currentVersion"]!.GetValue<long>());

        var accepted = await http.AppendBatchAsync(ApiClient.Event(fresh), ApiClient.Event(fresh), ApiClient.Event(existing, expectedVersion: 1));
        Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
        var events = (await accepted.JsonAsync())["events"]!.AsArray();
        Assert.Equal([1L, 2L, 2L], events.Select(e => e!["aggregateVersion"]!.GetValue<long>()));
        var positions = events.Select(e => e!["position"]!.GetValue<long>()).ToList();
        Assert.Equal(positions.Order(), positions);
    }

    [Fact]
    public async Task Tokens_are_required_checked_and_scoped()
    {
        using var anonymous = graph.CreateHttpClient("api");
        var none = await anonymous.GetAsync("/api/v1/events/events");
        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Equal("Bearer", none.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal("application/problem+json", none.Content.Headers.ContentType?.MediaType);

        var forged = new JwtSettings(Encoding.UTF8.GetBytes("another-secret-that-is-long-enough-32b"), null, null);
        anonymous.DefaultRequestHeaders.Authorization = new("Bearer", DevTokens.Mint(forged, Scopes.All, TimeSpan.FromMinutes(5), DateTimeOffset.UtcNow));
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/v1/events/events")).StatusCode);

        anonymous.DefaultRequestHeaders.Authorization = new("Bearer", DevTokens.Mint(ApiClient.Jwt, Scopes.All, TimeSpan.FromMinutes(5), DateTimeOffset.UtcNow.AddHours(-1)));
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/v1/events/events")).StatusCode);

        using var reader = ApiClient.Create(graph, Scopes.Read);
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync("/api/v1/events/events?limit=1")).StatusCode);
        var refusedId = Guid.NewGuid();
        var forbidden = await reader.AppendAsync(ApiClient.Event(refusedId));
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal("application/problem+json", forbidden.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.AppendBatchAsync(ApiClient.Event(refusedId))).StatusCode);
        using var writer = ApiClient.Create(graph, Scopes.Write);
        Assert.Equal(HttpStatusCode.Forbidden, (await writer.GetAsync($"/api/v1/events/stream/{refusedId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await reader.GetAsync($"/api/v1/events/stream/{refusedId}")).StatusCode);

        using var open = graph.CreateHttpClient("api");
        Assert.Equal(HttpStatusCode.OK, (await open.GetAsync("/openapi/v1.json")).StatusCode);
    }

    [Theory]
    [InlineData("/api/v1/events/stream/not-a-uuid")]
    [InlineData("/api/v1/events/stream/00000000-0000-0000-0000-000000000001?limit=0")]
    [InlineData("/api/v1/events/stream/00000000-0000-0000-0000-000000000001?limit=1001")]
    [InlineData("/api/v1/events/stream/00000000-0000-0000-0000-000000000001?direction=sideways")]
    [InlineData("/api/v1/events/stream/00000000-0000-0000-0000-000000000001?fromVersion=-1")]
    [InlineData("/api/v1/events/events?afterPosition=x")]
    [InlineData("/api/v1/events/events?correlationId=123")]
    [InlineData("/api/v1/events/events?from=yesterday")]
    [InlineData("/api/v1/events/events?aggregateType=Player")]
    [InlineData("/api/v1/events/events?payloadContains=%5B1%5D")]
    [InlineData("/api/v1/events/events?payloadContains=%7Bweapon")]
    [InlineData("/api/v1/events/events?metadataContains=%7B%22a%22%3A%22%5Cu0000%22%7D")]
    [InlineData("/api/v1/events/aggregates/Bad-Type")]
    [InlineData("/api/v1/events/aggregates/player?after=nope")]
    public async Task Bad_query_values_are_400_problems(string path)
    {
        using var http = ApiClient.Create(graph);
        var response = await http.GetAsync(path);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.JsonAsync();
        Assert.Equal(400, problem["status"]!.GetValue<int>());
        Assert.NotNull(problem["errors"]);
        Assert.NotNull(problem["type"]);
        Assert.NotNull(problem["title"]);
        Assert.NotNull(problem["detail"]);
    }

    [Fact]
    public async Task Unknown_aggregate_is_404()
    {
        using var http = ApiClient.Create(graph);
        var response = await http.GetAsync($"/api/v1/events/stream/{Guid.NewGuid()}");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task An_oversize_body_is_413_and_writes_nothing()
    {
        using var http = ApiClient.Create(graph);
        var id = Guid.NewGuid();
        var body = ApiClient.Event(id, payload: new JsonObject { ["blob"] = new string('x', 1_100_000) });
        // As a careful client sends a large body: the server refuses it on its declared length before it is sent
        // (without Expect, the refused upload can end in a broken pipe instead of the 413).
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/events/events") { Content = ApiClient.Json(body) };
        request.Headers.ExpectContinue = true;
        var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"/api/v1/events/stream/{id}")).StatusCode);
    }

    [Fact]
    public async Task Stream_pages_forward_and_backward_and_aggregates_page_by_id()
    {
        using var http = ApiClient.Create(graph);
        var id = Guid.NewGuid();
        var type = "paging_" + Guid.NewGuid().ToString("N")[..8];
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.Created, (await http.AppendAsync(ApiClient.Event(id, type: type, eventType: "Step"))).StatusCode);
        }

        var first = await (await http.GetAsync($"/api/v1/events/stream/{id}?limit=2")).JsonAsync();
        Assert.Equal([1L, 2L], first["events"]!.AsArray().Select(e => e!["aggregateVersion"]!.GetValue<long>()));
        Assert.Equal(3, first["nextFromVersion"]!.GetValue<long>());
        var back = await (await http.GetAsync($"/api/v1/events/stream/{id}?direction=backward&limit=2")).JsonAsync();
        Assert.Equal([5L, 4L], back["events"]!.AsArray().Select(e => e!["aggregateVersion"]!.GetValue<long>()));
        Assert.Equal(3, back["nextFromVersion"]!.GetValue<long>());

        var second = Guid.NewGuid();
        Assert.Equal(HttpStatusCode.Created, (await http.AppendAsync(ApiClient.Event(second, type: type, eventType: "Step"))).StatusCode);
        var page1 = await (await http.GetAsync($"/api/v1/events/aggregates/{type}?limit=1")).JsonAsync();
        var page2 = await (await http.GetAsync($"/api/v1/events/aggregates/{type}?limit=1&after={page1["nextAfter"]!.GetValue<string>()}")).JsonAsync();
        var ids = new[] { page1, page2 }.Select(p => p["aggregates"]![0]!["aggregateId"]!.GetValue<string>()).ToList();
        Assert.Equal(new[] { id, second }.Select(g => g.ToString()).Order(), ids);
        Assert.Null(page2["nextAfter"]);

        var byType = await (await http.GetAsync($"/api/v1/events/events?aggregateType={type}&limit=4")).JsonAsync();
        Assert.Equal(4, byType["events"]!.AsArray().Count);
        var rest = await (await http.GetAsync($"/api/v1/events/events?aggregateType={type}&afterPosition={byType["nextAfterPosition"]}")).JsonAsync();
        Assert.Equal(2, rest["events"]!.AsArray().Count);
        Assert.Null(rest["nextAfterPosition"]);
    }

    [Fact]
    public async Task Events_are_found_by_what_their_payload_and_metadata_contain()
    {
        var client = graph.Client();
        var type = "contains_" + Guid.NewGuid().ToString("N")[..8];
        var (first, second) = (Guid.NewGuid(), Guid.NewGuid());
        Assert.True((await client.AppendBatchAsync(
        [
            EventSourcingClient.Event(first, type, "Hit", new { weapon = "bow", target = new { kind = "orc", hp = 3 }, tags = (string[])["a", "b"] },
                metadata: new { region = "eu", mode = "ranked" }),
            EventSourcingClient.Event(first, type, "Hit", new { weapon = "axe", target = new { kind = "orc", hp = 1 }, tags = (string[])["b"] },
                metadata: new { region = "us", mode = "ranked" }),
            EventSourcingClient.Event(second, type, "Hit", new { weapon = "bow", target = new { kind = "elf", hp = 2 }, tags = (string[])["c"] },
                metadata: new { region = "eu", mode = "casual" }),
        ])).Created);

        async Task<List<(Guid, long)>> Found(string? payload, string? metadata) =>
            [.. (await client.QueryEventsAsync(new EventQuery(AggregateType: type, PayloadContains: payload, MetadataContains: metadata))).Events
                .Select(e => (e.AggregateId, e.AggregateVersion))];

        Assert.Equal([(first, 1L), (second, 1L)], await Found("""{"weapon":"bow"}""", null));
        Assert.Equal([(first, 1L), (first, 2L)], await Found("""{"target":{"kind":"orc"}}""", null));
        Assert.Equal([(first, 1L), (first, 2L)], await Found("""{"tags":["b"]}""", null));
        Assert.Equal([(first, 1L)], await Found("""{"weapon":"bow"}""", """{"mode":"ranked"}"""));
        Assert.Equal([(second, 1L)], await Found(null, """{"region":"eu","mode":"casual"}"""));
        Assert.Empty(await Found("""{"weapon":"sword"}""", null));
        Assert.Equal(3, (await Found("{}", null)).Count);
    }
}
