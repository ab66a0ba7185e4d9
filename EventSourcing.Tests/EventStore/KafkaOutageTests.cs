using System.Text.Json;
using System.Text.Json.Nodes;
using Confluent.Kafka;

namespace EventSourcing.Tests.EventStore;

[Collection(GraphCollection.Name)]
public sealed class KafkaOutageTests(GraphFixture graph)
{
    private const string Broker = "kafka-dev-broker";

    [Fact]
    public async Task Appends_while_Kafka_is_down_succeed_and_are_published_when_Kafka_is_back_even_after_deliveries_failed()
    {
        // Raw HTTP for the appends while Kafka is down: each must be a 201 at its one attempt, with no client retry.
        using var http = ApiClient.Create(graph);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var failuresBefore = ProduceErrors(await graph.ScrapeMetricsAsync("api", _ => true));
        await graph.StopResourceAsync(Broker, timeout.Token);

        var ids = Enumerable.Range(0, 3).Select(_ => Guid.NewGuid()).ToList();
        try
        {
            foreach (var id in ids)
            {
                var response = await http.AppendAsync(ApiClient.Event(id, type: "economy", eventType: "CurrencyEarned", payload: new JsonObject { ["currency"] = "eddies", ["amount"] = 5, ["source"] = "loot" }));
                Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            }

            // Longer than the relay waits for an acknowledgement: its deliveries fail, and it must not move its
            // checkpoint past what Kafka never acknowledged.
            var metrics = await graph.ScrapeMetricsAsync("api", text => ProduceErrors(text) > failuresBefore, TimeSpan.FromSeconds(30));
            Assert.True(ProduceErrors(metrics) > failuresBefore, "the relay's deliveries did not fail while Kafka was down");

            // The processing status answers while Kafka cannot be asked for the group's lag: what is not published
            // yet is pending.
            var status = await graph.Client().GetProcessingStatusAsync(timeout.Token);
            Assert.True(status.RelayBacklog >= ids.Count && status.Pending >= status.RelayBacklog,
                $"relay backlog {status.RelayBacklog}, pending {status.Pending} while Kafka was down with {ids.Count} events unpublished");
        }
        finally
        {
            await graph.StartResourceAsync(Broker, timeout.Token);
        }

        using var consumer = await graph.ConsumerAsync("events.economy", "outage-test");
        var received = new Dictionary<string, ConsumeResult<string, byte[]>>();
        var consumeUntil = DateTime.UtcNow.AddSeconds(60);
        while (received.Count < ids.Count && DateTime.UtcNow < consumeUntil)
        {
            var result = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (result is not null && ids.Contains(Guid.Parse(result.Message.Key)))
            {
                received[result.Message.Key] = result;
            }
        }

        consumer.Close();
        Assert.Equal(ids.Count, received.Count);
        Assert.All(received.Values, r => Assert.Equal("CurrencyEarned", JsonNode.Parse(r.Message.Value)!["eventType"]!.GetValue<string>()));

        // The processor's consumer group recovers too: a new event reaches its read model.
        var client = graph.Client();
        var probe = Guid.NewGuid();
        Assert.True((await client.AppendAsync(probe, "player", "PlayerLevelUp", new { NewLevel = 2 })).Created);
        await client.WaitForReadModelAsync<JsonElement>("player_summary", probe.ToString(), 1, TimeSpan.FromSeconds(90));
    }

    /// <summary>Messages the API's producer did not get acknowledged, so far (kafka.produce.errors).</summary>
    private static double ProduceErrors(string metrics) => metrics.Split('\n')
        .Where(line => line.StartsWith("kafka_produce_errors_total", StringComparison.Ordinal))
        .Sum(line => double.Parse(line.Split(' ')[^1], System.Globalization.CultureInfo.InvariantCulture));
}
