using System.Net;
using System.Text.Json.Nodes;
using Confluent.Kafka;
using EventSourcing.Tests.Infrastructure;

namespace EventSourcing.Tests.EventStore;

[Collection(GraphCollection.Name)]
public sealed class KafkaOutageTests(GraphFixture graph)
{
    private const string Broker = "kafka-dev-broker";

    [Fact]
    public async Task An_append_while_Kafka_is_down_succeeds_and_is_published_when_Kafka_is_back()
    {
        using var http = ApiClient.Create(graph);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await graph.StopResourceAsync(Broker, timeout.Token);

        var id = Guid.NewGuid();
        try
        {
            var response = await http.AppendAsync(ApiClient.Event(id, type: "economy", eventType: "CurrencyEarned", payload: new JsonObject { ["currency"] = "eddies", ["amount"] = 5, ["source"] = "loot" }));
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        }
        finally
        {
            await graph.StartResourceAsync(Broker, timeout.Token);
        }

        await graph.App.ResourceNotifications.WaitForResourceHealthyAsync(Broker, timeout.Token);
        using var consumer = await graph.ConsumerAsync("events.economy", "outage-test");
        ConsumeResult<string, byte[]>? received = null;
        while (received is null && !timeout.IsCancellationRequested)
        {
            var result = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (result?.Message.Key == id.ToString())
            {
                received = result;
            }
        }

        consumer.Close();
        Assert.NotNull(received);
        Assert.Equal("CurrencyEarned", JsonNode.Parse(received.Message.Value)!["eventType"]!.GetValue<string>());

        // The processor's consumer group recovers too: a new event reaches its read model.
        var probe = Guid.NewGuid();
        Assert.Equal(HttpStatusCode.Created, (await http.AppendAsync(ApiClient.Event(probe, payload: new JsonObject { ["newLevel"] = 2 }))).StatusCode);
        await Processing.ProcessingTests.WaitForReadModelAsync(http, "player_summary", probe.ToString(), 1, TimeSpan.FromSeconds(90));
    }
}
