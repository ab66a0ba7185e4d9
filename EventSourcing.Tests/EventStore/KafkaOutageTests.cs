using System.Net;
using System.Text.Json.Nodes;
using Aspire.Hosting.ApplicationModel;
using Confluent.Kafka;
using EventSourcing.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace EventSourcing.Tests.EventStore;

[Collection(GraphCollection.Name)]
public sealed class KafkaOutageTests(GraphFixture graph)
{
    private const string Broker = "kafka-dev-broker";

    [Fact]
    public async Task An_append_while_Kafka_is_down_succeeds_and_is_published_when_Kafka_is_back()
    {
        using var http = ApiClient.Create(graph);
        var commands = graph.App.Services.GetRequiredService<ResourceCommandService>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));

        var stopped = await commands.ExecuteCommandAsync(Broker, KnownResourceCommands.StopCommand, timeout.Token);
        Assert.True(stopped.Success, stopped.Message);
        await graph.App.ResourceNotifications.WaitForResourceAsync(Broker, e => KnownResourceStates.TerminalStates.Contains(e.Snapshot.State?.Text), timeout.Token);

        var id = Guid.NewGuid();
        try
        {
            var response = await http.AppendAsync(ApiClient.Event(id, type: "economy", eventType: "CurrencyEarned", payload: new JsonObject { ["amount"] = 5 }));
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        }
        finally
        {
            var started = await commands.ExecuteCommandAsync(Broker, KnownResourceCommands.StartCommand, timeout.Token);
            Assert.True(started.Success, started.Message);
        }

        await graph.App.ResourceNotifications.WaitForResourceHealthyAsync(Broker, timeout.Token);
        using var consumer = new ConsumerBuilder<string, byte[]>(new ConsumerConfig
        {
            BootstrapServers = await graph.ConnectionStringAsync("kafka"),
            GroupId = "outage-test-" + Guid.NewGuid().ToString("N"),
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
            SessionTimeoutMs = 6000,
            FetchWaitMaxMs = 10,
        }).Build();
        consumer.Subscribe("events.economy");
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
