using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Confluent.Kafka;
using EventSourcing.Client;
using EventSourcing.Contracts;
using Npgsql;
using Xunit.Abstractions;

namespace EventSourcing.Tests.Processing;

[Collection(GraphCollection.Name)]
public sealed class ProcessingTests(GraphFixture graph, ITestOutputHelper output)
{
    private static AppendEventRequest Player(Guid id, string eventType, object payload) => EventSourcingClient.Event(id, "player", eventType, payload);

    /// <summary>
    /// Polls over raw HTTP, any answer but a 200 counting as not there yet: for waits while a dependency is down or blocked,
    /// where the client's retries would hide what the API answers.
    /// </summary>
    internal static async Task<JsonObject> WaitForReadModelAsync(HttpClient http, string model, string id, long version, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var response = await http.GetAsync($"/api/v1/events/read-models/{model}/{id}");
            if (response.StatusCode == HttpStatusCode.OK)
            {
                var document = await response.JsonAsync();
                if (document["version"]!.GetValue<long>() >= version)
                {
                    return document;
                }
            }

            Assert.True(deadline.Elapsed < timeout, $"{model}/{id} did not reach version {version} within {timeout}");
            await Task.Delay(25);
        }
    }

    [Fact]
    public async Task A_player_history_reaches_player_summary()
    {
        var client = graph.Client();
        var id = Guid.NewGuid();
        var playerId = "player_" + Guid.NewGuid().ToString("N")[..8];
        var history = new List<AppendEventRequest>
        {
            Player(id, "PlayerCreated", new { PlayerId = playerId, Name = "CyberNinja" }),
            Player(id, "PlayerLevelUp", new { NewLevel = 25, ExperienceGained = 12500 }),
        };
        history.AddRange(Enumerable.Range(0, 3).Select(_ => Player(id, "EnemyKilled", new { Weapon = "cyber_blade" })));
        history.AddRange(Enumerable.Range(0, 2).Select(_ => Player(id, "EnemyKilled", new { Weapon = "pistol" })));
        history.AddRange(Enumerable.Range(0, 4).Select(_ => Player(id, "PlayerDied", new { })));

        var appended = Stopwatch.StartNew();
        Assert.True((await client.AppendBatchAsync(history)).Created);
        // The delay is measured (the benchmark tool reports its distribution), not asserted: timings are noise here.
        var summary = await client.WaitForReadModelAsync<JsonElement>("player_summary", playerId, history.Count);
        output.WriteLine($"append -> player_summary visible after {appended.ElapsedMilliseconds} ms");

        var data = summary.Data;
        Assert.Equal("player_summary", summary.ModelName);
        Assert.Equal(playerId, summary.Id);
        Assert.Equal(history.Count, summary.Version);
        Assert.Equal("CyberNinja", data.GetProperty("name").GetString());
        Assert.Equal(25, data.GetProperty("level").GetInt32());
        Assert.Equal(12500, data.GetProperty("experience").GetInt64());
        Assert.Equal(5, data.GetProperty("totalKills").GetInt64());
        Assert.Equal(4, data.GetProperty("totalDeaths").GetInt64());
        Assert.Equal(1.25, data.GetProperty("kdRatio").GetDouble());
        Assert.Equal("Diamond", data.GetProperty("rank").GetString());
        Assert.Equal("cyber_blade", data.GetProperty("favoriteWeapon").GetString());
        Assert.NotEqual(JsonValueKind.Null, data.GetProperty("lastSeen").ValueKind);

        Assert.Contains(await client.ListReadModelsAsync("player_summary", pageSize: 1000).ToListAsync(), d => d.Id == playerId);
    }

    [Fact]
    public async Task Quest_progress_follows_the_quest()
    {
        var client = graph.Client();
        var id = Guid.NewGuid();
        var questId = "quest_" + Guid.NewGuid().ToString("N")[..8];
        AppendEventRequest Quest(string type, object payload) => EventSourcingClient.Event(id, "quest", type, payload);
        Assert.True((await client.AppendBatchAsync(
        [
            Quest("QuestStarted", new
            {
                QuestId = questId,
                Title = "Corporate Espionage",
                Objectives = new[]
                {
                    new { Id = "obj_1", Description = "Hack terminal" },
                    new { Id = "obj_2", Description = "Steal data" },
                    new { Id = "obj_3", Description = "Escape" },
                    new { Id = "obj_4", Description = "Report" },
                },
            }),
            Quest("QuestParticipantJoined", new { PlayerId = "player_001" }),
            Quest("QuestParticipantJoined", new { PlayerId = "player_002" }),
            Quest("QuestObjectiveCompleted", new { ObjectiveId = "obj_1" }),
            Quest("QuestObjectiveCompleted", new { ObjectiveId = "obj_2" }),
            Quest("QuestObjectiveCompleted", new { ObjectiveId = "obj_3" }),
        ])).Created);

        var data = (await client.WaitForReadModelAsync<JsonElement>("quest_progress", questId, 6)).Data;
        Assert.Equal("Corporate Espionage", data.GetProperty("title").GetString());
        Assert.Equal("in_progress", data.GetProperty("status").GetString());
        Assert.Equal(0.75, data.GetProperty("progress").GetDouble());
        Assert.Equal(["player_001", "player_002"], data.GetProperty("participants").EnumerateArray().Select(p => p.GetString()));
        Assert.True(data.GetProperty("objectives")[0].GetProperty("completed").GetBoolean());
        Assert.False(data.GetProperty("objectives")[3].GetProperty("completed").GetBoolean());
    }

    [Fact]
    public async Task A_redelivered_event_is_not_counted_twice()
    {
        var client = graph.Client();
        var (id, kill) = await AppendProcessedKillAsync(client, "bow");

        // At-least-once delivery: the same event arrives again (as after a consumer crash before its commit), in the
        // relay's format, the contract's event JSON.
        using var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = await graph.ConnectionStringAsync("kafka") }).Build();
        for (var i = 0; i < 3; i++)
        {
            await producer.ProduceAsync("events.player", new Message<string, byte[]>
            {
                Key = id.ToString(),
                Value = JsonSerializer.SerializeToUtf8Bytes(kill, ContractJson.Default.EventResponse),
            });
        }

        Assert.True((await client.AppendAsync(Player(id, "EnemyKilled", new { Weapon = "bow" }))).Created);
        var summary = await client.WaitForReadModelAsync<JsonElement>("player_summary", id.ToString(), 2);
        Assert.Equal(2, summary.Data.GetProperty("totalKills").GetInt64());
    }

    [Fact]
    public async Task A_document_written_by_someone_else_is_what_the_next_event_applies_to()
    {
        // Another writer (as a replay or another processor instance would) changes the row between two events: the
        // next event applies to the row as it is now, not to what the processor wrote last (e.g. a cache of its own).
        var client = graph.Client();
        var (id, _) = await AppendProcessedKillAsync(client, "bow");
        Assert.True((await client.AppendAsync(Player(id, "EnemyKilled", new { Weapon = "bow" }))).Created);
        await client.WaitForReadModelAsync<JsonElement>("player_summary", id.ToString(), 2);

        var changed = await graph.EventStoreScalarAsync<long>(
            $"""
            UPDATE event_store.read_models SET data = jsonb_set(data, '{"{totalKills}"}', '100')
            WHERE model_name = 'player_summary' AND aggregate_id = '{id}' RETURNING version
            """);
        Assert.Equal(2, changed);

        Assert.True((await client.AppendAsync(Player(id, "EnemyKilled", new { Weapon = "bow" }))).Created);
        var summary = await client.WaitForReadModelAsync<JsonElement>("player_summary", id.ToString(), 3);
        Assert.Equal(101, summary.Data.GetProperty("totalKills").GetInt64());
        Assert.Equal(101, await graph.EventStoreScalarAsync<long>(
            $"SELECT (data->>'totalKills')::bigint FROM event_store.read_models WHERE model_name = 'player_summary' AND aggregate_id = '{id}'"));
    }

    [Fact]
    public async Task A_poison_event_is_retried_dead_lettered_requeued_and_blocks_no_other_aggregate()
    {
        var client = graph.Client();
        using var http = ApiClient.Create(graph);
        await using var store = new NpgsqlConnection(await graph.ConnectionStringAsync("eventstore"));
        await store.OpenAsync();
        var partitions = await KafkaPartitions.CountAsync(await graph.ConnectionStringAsync("kafka"), "events.quest");

        // Valid at append time, but its quest_progress document would exceed the read model size limit.
        var poisoned = Guid.NewGuid();
        var poisonId = (await client.AppendAsync(poisoned, "quest", "QuestStarted", new
        {
            QuestId = "poison_" + Guid.NewGuid().ToString("N")[..8],
            Title = "Too big",
            Objectives = new[] { new { Id = "o1", Description = new string('x', 70_000) } },
        })).Value.EventId;

        // A healthy quest behind it on the very same partition: a consumer that waited for the poison to be given up
        // on (five attempts) would hold it back until then.
        var healthy = KafkaPartitions.KeyOnSamePartition(poisoned, partitions);
        var healthyQuest = "healthy_" + Guid.NewGuid().ToString("N")[..8];
        Assert.True((await client.AppendAsync(healthy, "quest", "QuestStarted", new
        {
            QuestId = healthyQuest,
            Title = "Fine",
            Objectives = new[] { new { Id = "o1", Description = "ok" } },
        })).Created);
        await client.WaitForReadModelAsync<JsonElement>("quest_progress", healthyQuest, 1);
        var (poisonState, poisonAttempts, _) = await StatusOfAsync(store, poisonId);
        Assert.True(poisonState == "failed", $"the healthy quest waited for the poison: it is already {poisonState} after {poisonAttempts} attempt(s)");
        await AssertSamePartitionAsync(poisoned, healthy);

        // 5 attempts with 100 ms, 200 ms, 400 ms, 800 ms backoff, then dead-lettered: status and topic say so.
        using var consumer = await graph.ConsumerAsync("events.dlq", "dlq-test");
        ConsumeResult<string, byte[]>? dead = null;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (dead is null && DateTime.UtcNow < deadline)
        {
            var result = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (result is not null && result.Message.Headers.TryGetLastBytes("eventId", out var header) && Encoding.UTF8.GetString(header) == poisonId.ToString())
            {
                dead = result;
            }
        }

        consumer.Close();
        Assert.NotNull(dead);
        Assert.True(dead.Message.Headers.TryGetLastBytes("error", out var error));
        Assert.Contains("exceed", Encoding.UTF8.GetString(error), StringComparison.Ordinal);
        var given = await StatusOfAsync(store, poisonId);
        Assert.Equal("dead_lettered", given.State);
        Assert.Equal(5, given.Attempts);

        // Raw: the body must name every field, and a typed read would turn a missing one into 0.
        var status = await (await http.GetAsync("/api/v1/events/processing/status")).JsonAsync();
        Assert.True(status["deadLettered"]!.GetValue<long>() >= 1);
        Assert.True(status["workers"]!.GetValue<long>() >= 1);
        Assert.True(status["processed"]!.GetValue<long>() >= 1);
        foreach (var field in new[] { "pending", "processing", "failed", "consumerLag", "oldestPendingAgeSeconds" })
        {
            Assert.NotNull(status[field]);
        }

        // Requeued, it is processed again from a fresh count (and, still poison, fails again).
        var requeuedAt = DateTimeOffset.UtcNow;
        var retry = await http.PostAsync(new Uri($"/api/v1/events/processing/retry/{poisonId}", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.Accepted, retry.StatusCode);
        deadline = DateTime.UtcNow.AddSeconds(30);
        var again = await StatusOfAsync(store, poisonId);
        while (!(again.LastAttempt > requeuedAt && again.Attempts >= 1) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
            again = await StatusOfAsync(store, poisonId);
        }

        Assert.True(again.LastAttempt > requeuedAt, $"not processed again after the requeue: {again}");
        Assert.InRange(again.Attempts, 1, 4);

        // A first-attempt success has no status row of its own (it is processed by the counters); retrying it is a conflict.
        var processedEvent = (await client.ReadStreamAsync(healthy).FirstAsync()).EventId;
        Assert.Null((await StatusOfAsync(store, processedEvent)).State);
        var notFailed = await http.PostAsync(new Uri($"/api/v1/events/processing/retry/{processedEvent}", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.Conflict, notFailed.StatusCode);
        Assert.Contains("has no failed attempt", (await notFailed.JsonAsync())["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await http.PostAsync(new Uri($"/api/v1/events/processing/retry/{Guid.NewGuid()}", UriKind.Relative), null)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await http.PostAsync(new Uri("/api/v1/events/processing/retry/nope", UriKind.Relative), null)).StatusCode);
    }

    [Fact]
    public async Task A_dead_lettered_event_that_succeeds_on_retry_is_processed_with_its_history()
    {
        var client = graph.Client();
        var (id, stored) = await AppendProcessedKillAsync(client, "axe");

        // As if its attempts had failed (a dependency that was down, since fixed): dead-lettered after 5.
        await using var store = new NpgsqlConnection(await graph.ConnectionStringAsync("eventstore"));
        await store.OpenAsync();
        await using (var dead = new NpgsqlCommand(
            """
            INSERT INTO event_store.processing_status (event_id, status, attempts, last_attempt, error_message, aggregate_id, occurred_at)
            VALUES (@id, 'dead_lettered', 5, now(), 'simulated outage', @aggregate, @occurred)
            """, store))
        {
            dead.Parameters.AddWithValue("id", stored.EventId);
            dead.Parameters.AddWithValue("aggregate", id);
            dead.Parameters.AddWithValue("occurred", stored.OccurredAt);
            await dead.ExecuteNonQueryAsync();
        }

        await client.RetryAsync(stored.EventId);
        var deadline = Stopwatch.StartNew();
        var status = await StatusOfAsync(store, stored.EventId);
        while (status.State != "processed" && deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(50);
            status = await StatusOfAsync(store, stored.EventId);
        }

        // Processed again (the read model skips what it has seen), its row kept as history: one attempt since the requeue.
        Assert.Equal(("processed", 1), (status.State, status.Attempts));
        Assert.Equal(1, (await client.GetReadModelAsync<JsonElement>("player_summary", id.ToString()))!.Data.GetProperty("totalKills").GetInt64());
    }

    /// <summary>A kill on a new player, once its player_summary shows it.</summary>
    private static async Task<(Guid PlayerId, EventResponse Kill)> AppendProcessedKillAsync(EventSourcingClient client, string weapon)
    {
        var id = Guid.NewGuid();
        var kill = (await client.AppendAsync(Player(id, "EnemyKilled", new { Weapon = weapon }))).Value;
        await client.WaitForReadModelAsync<JsonElement>("player_summary", id.ToString(), 1);
        return (id, kill);
    }

    /// <summary>The processing_status row of an event, as the store has it now.</summary>
    private static async Task<(string? State, int Attempts, DateTimeOffset? LastAttempt)> StatusOfAsync(NpgsqlConnection store, Guid eventId)
    {
        await using var command = new NpgsqlCommand("SELECT status, attempts, last_attempt FROM event_store.processing_status WHERE event_id = @id", store);
        command.Parameters.AddWithValue("id", eventId);
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync()
            ? (reader.GetString(0), reader.GetInt32(1), reader.IsDBNull(2) ? null : reader.GetFieldValue<DateTimeOffset>(2))
            : (null, 0, null);
    }

    /// <summary>Checks on the topic itself that the two aggregates' events share a partition (the premise of the test).</summary>
    private async Task AssertSamePartitionAsync(Guid first, Guid second)
    {
        using var consumer = await graph.ConsumerAsync("events.quest", "partition-check");
        var found = new Dictionary<string, int>();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (found.Count < 2 && DateTime.UtcNow < deadline)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { } result && (result.Message.Key == first.ToString() || result.Message.Key == second.ToString()))
            {
                found[result.Message.Key] = result.Partition.Value;
            }
        }

        consumer.Close();
        Assert.Equal(2, found.Count);
        Assert.Single(found.Values.Distinct());
    }

    [Fact]
    public async Task Unknown_read_models_are_404_and_bad_names_400()
    {
        using var http = ApiClient.Create(graph);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/api/v1/events/read-models/player_summary/nobody")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await http.GetAsync("/api/v1/events/read-models/Player-Summary/x")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await http.GetAsync("/api/v1/events/read-models/player_summary?limit=0")).StatusCode);
    }
}
