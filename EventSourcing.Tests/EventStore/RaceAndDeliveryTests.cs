using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using Confluent.Kafka;
using EventSourcing.Client;
using EventSourcing.Contracts;

namespace EventSourcing.Tests.EventStore;

[Collection(GraphCollection.Name)]
public sealed class RaceAndDeliveryTests(GraphFixture graph)
{
    [Fact]
    public async Task A_tailing_reader_racing_many_writers_misses_and_repeats_nothing()
    {
        var client = graph.Client();
        var type = "race_" + Guid.NewGuid().ToString("N")[..8];
        var written = new ConcurrentBag<long>();

        using var writersDone = new CancellationTokenSource();
        AppendEventRequest Tick() => EventSourcingClient.Event(Guid.NewGuid(), type, "Tick", new { });
        var writers = Enumerable.Range(0, 16).Select(async w =>
        {
            for (var i = 0; i < 25; i++)
            {
                IReadOnlyList<EventResponse> stored;
                if (i % 5 == 0)
                {
                    var batch = await client.AppendBatchAsync([Tick(), Tick()]);
                    Assert.True(batch.Created);
                    stored = batch.Value;
                }
                else
                {
                    var single = await client.AppendAsync(Tick());
                    Assert.True(single.Created);
                    stored = [single.Value];
                }

                foreach (var e in stored)
                {
                    written.Add(e.Position);
                }
            }
        }).ToList();

        var seen = new List<long>();
        long after = 0;
        var allWritten = Task.WhenAll(writers);
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (true)
        {
            Assert.True(DateTime.UtcNow < deadline, $"the reader saw {seen.Count} of {written.Count} events before its deadline");
            var finished = allWritten.IsCompleted;
            var positions = await client.ReadEventsAsync(after, aggregateType: type, pageSize: 50).Select(e => e.Position).ToListAsync();
            seen.AddRange(positions);
            if (positions.Count > 0)
            {
                after = positions[^1];
            }
            else if (finished)
            {
                break;
            }
        }

        await allWritten;
        Assert.Equal(written.Count, seen.Count);
        Assert.Equal(written.Order(), seen);
        Assert.Equal(seen.Distinct().Count(), seen.Count);
    }

    [Fact]
    public async Task Kafka_receives_every_event_in_per_aggregate_version_order_with_the_contract_headers()
    {
        var client = graph.Client();
        var aggregates = Enumerable.Range(0, 4).Select(_ => Guid.NewGuid()).ToList();
        var correlation = Guid.NewGuid();
        var expected = new Dictionary<string, List<long>>();
        foreach (var id in aggregates)
        {
            expected[id.ToString()] = [];
        }

        var appends = aggregates.Select(async id =>
        {
            for (var i = 0; i < 10; i++)
            {
                Assert.True((await client.AppendAsync(id, "quest", "QuestObjectiveCompleted", new { ObjectiveId = $"obj_{i}" }, correlationId: correlation)).Created);
            }
        });
        await Task.WhenAll(appends);

        using var consumer = await graph.ConsumerAsync("events.quest", "kafka-order-test");
        var received = new Dictionary<string, List<long>>();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (received.Values.Sum(v => v.Count) < 40 && DateTime.UtcNow < deadline)
        {
            var result = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (result is null || !expected.ContainsKey(result.Message.Key))
            {
                continue;
            }

            var json = JsonNode.Parse(result.Message.Value)!;
            Assert.Equal(result.Message.Key, json["aggregateId"]!.GetValue<string>());
            Assert.Equal("QuestObjectiveCompleted", Header(result, "eventType"));
            Assert.Equal("1", Header(result, "eventVersion"));
            Assert.Equal(json["eventId"]!.GetValue<string>(), Header(result, "eventId"));
            Assert.Equal(correlation.ToString(), Header(result, "correlationId"));
            Assert.Matches("^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$", Header(result, "traceparent"));
            if (!received.TryGetValue(result.Message.Key, out var versions))
            {
                received[result.Message.Key] = versions = [];
            }

            versions.Add(json["aggregateVersion"]!.GetValue<long>());
        }

        consumer.Close();
        foreach (var id in aggregates)
        {
            // At-least-once: a re-publish after a relay restart may repeat, but never reorder.
            var versions = received.GetValueOrDefault(id.ToString()) ?? [];
            Assert.Equal(Enumerable.Range(1, 10).Select(v => (long)v), versions.Distinct());
            Assert.Equal(versions.Order(), versions);
        }
    }

    [Fact]
    public async Task Two_hundred_hostile_bodies_never_cause_a_5xx_and_write_nothing()
    {
        using var http = ApiClient.Create(graph);
        var before = await CountEventsAsync();
        var bodies = HostileBodies().Take(200).ToList();
        Assert.Equal(200, bodies.Count);
        foreach (var (path, body) in bodies)
        {
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new("application/json");
            var response = await http.PostAsync(new Uri(path, UriKind.Relative), content);
            Assert.True((int)response.StatusCode is >= 400 and < 500,
                $"{path} {Encoding.UTF8.GetString(body[..Math.Min(body.Length, 120)])} -> {(int)response.StatusCode}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        Assert.Equal(before, await CountEventsAsync());
    }

    private static IEnumerable<(string Path, byte[] Body)> HostileBodies()
    {
        const string single = "/api/v1/events/events";
        const string batch = "/api/v1/events/events/batch";
        var id = Guid.NewGuid().ToString();
        string Valid(string payload, string extra = "") =>
            $"{{\"aggregateId\":\"{id}\",\"aggregateType\":\"player\",\"eventType\":\"PlayerLevelUp\",\"payload\":{payload}{extra}}}";

        var texts = new List<string>
        {
            "", " ", "null", "true", "1", "\"text\"", "[]", "{", "}", "{]", "{\"a\":}", "{'a':1}", "{\"a\":1,}", "[1,2",
            "{\"aggregateId\":1}", Valid("[]"), Valid("1"), Valid("\"s\""), Valid("null"), Valid("{}", ",\"eventVersion\":0"),
            Valid("{}", ",\"eventVersion\":\"1\""), Valid("{}", ",\"eventVersion\":1.5"), Valid("{}", ",\"expectedVersion\":-1"),
            Valid("{}", ",\"expectedVersion\":1e30"), Valid("{}", ",\"eventId\":\"nope\""), Valid("{}", ",\"metadata\":[]"),
            Valid("{}", ",\"causationId\":{}"), Valid("{\"a\":\"\\u0000\"}"), Valid("{\"\\u0000\":1}"), Valid("{\"a\":\"\\ud800\"}"),
            Valid("{\"a\":\"\\udc00x\"}"), Valid("{\"a\":1e400}"), Valid("{\"a\":-1e400}"),
            Valid(new string('[', 100) + new string(']', 100)), Valid("{\"a\":" + new string('[', 70) + new string(']', 70) + "}"),
            Valid("{}").Replace("player", "Player"), Valid("{}").Replace("player", "1player"), Valid("{}").Replace("player", new string('p', 101)),
            Valid("{}").Replace("PlayerLevelUp", "1Up"), Valid("{}").Replace("PlayerLevelUp", "Level Up"), Valid("{}").Replace(id, id.ToUpperInvariant() + "x"),
            Valid("{}").Replace(id, "00000000-0000-0000-0000-00000000000g"), "{\"events\":[]}", "{\"events\":{}}", "{\"events\":[1]}",
            "{\"events\":[" + Valid("{}") + "," + Valid("[]") + "]}", "{\"events\":null}",
            "{\"events\":[" + string.Join(",", Enumerable.Repeat(Valid("{}"), 1001)) + "]}",
            // Repeated member names (JSON leaves them undefined), in the envelope and in the payload; a name with a
            // trailing newline, which a regular expression's $ would let through.
            Valid("{}", $",\"aggregateId\":\"{Guid.NewGuid()}\""), Valid("{\"newLevel\":1,\"newLevel\":2}"),
            Valid("{}").Replace("\"player\"", "\"player\\n\""), Valid("{}").Replace("\"PlayerLevelUp\"", "\"PlayerLevelUp\\n\""),
        };
        var raw = new List<byte[]>
        {
            new byte[] { 0xFF, 0xFE, 0x7B, 0x7D }, new byte[] { 0x7B, 0x22, 0xC3, 0x28, 0x22, 0x3A, 0x31, 0x7D }, new byte[] { 0xC0, 0xAF },
            Encoding.UTF8.GetBytes(Valid("{\"a\":\"")).Concat(new byte[] { 0xED, 0xA0, 0x80 }).Concat(Encoding.UTF8.GetBytes("\"}}")).ToArray(),
        };

        var all = texts.Select(Encoding.UTF8.GetBytes).Concat(raw).ToList();
        var random = new Random(2217);
        for (var round = 0; ; round++)
        {
            foreach (var body in all)
            {
                yield return (round % 2 == 0 ? single : batch, body);
            }

            // Then mutations of a valid body: truncations and flipped bytes.
            var valid = Encoding.UTF8.GetBytes(Valid("{\"newLevel\":25}"));
            var cut = valid[..random.Next(1, valid.Length - 1)];
            yield return (single, cut);
            var flipped = (byte[])valid.Clone();
            flipped[random.Next(flipped.Length)] = (byte)"{}[]\":,\\"[random.Next(8)];
            if (!flipped.AsSpan().SequenceEqual(valid))
            {
                using var doc = TryParse(flipped);
                if (doc is null)
                {
                    yield return (single, flipped);
                }
            }
        }
    }

    private static System.Text.Json.JsonDocument? TryParse(byte[] body)
    {
        try
        {
            return System.Text.Json.JsonDocument.Parse(body);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    private Task<long> CountEventsAsync() => graph.EventStoreScalarAsync<long>("SELECT last_position FROM event_store.global_position");

    private static string Header(ConsumeResult<string, byte[]> result, string name) =>
        result.Message.Headers.TryGetLastBytes(name, out var bytes) ? Encoding.UTF8.GetString(bytes) : "";
}
