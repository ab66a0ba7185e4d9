using System.Text.Json;
using System.Text.Json.Nodes;
using EventSourcing.Contracts;
using EventSourcing.Domain.Events;
using EventSourcing.Domain.ReadModels;
using EventSourcing.GameSimulator;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;

namespace EventSourcing.Tests.Client;

/// <summary>The game simulator playing against the whole graph, through the client, with a game service's token.</summary>
[Collection(GraphCollection.Name)]
public sealed class GameSimulatorTests(GraphFixture graph, ITestOutputHelper output)
{
    private const int EventsToPlay = 400;

    [Fact]
    public async Task The_simulator_plays_the_game_and_every_read_model_it_touched_equals_a_fold_of_its_stream()
    {
        var client = graph.Client(["events:read", "events:write"]);
        var simulator = new SimulatorWorker(client, new SimulatorOptions(EventsPerSecond: 100, Servers: 3, Seed: 7), TimeProvider.System,
            NullLogger<SimulatorWorker>.Instance);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await simulator.StartAsync(timeout.Token);
        try
        {
            while (simulator.Stats.Events < EventsToPlay)
            {
                await Task.Delay(200, timeout.Token);
            }
        }
        finally
        {
            await simulator.StopAsync(CancellationToken.None);
        }

        var stats = simulator.Stats;
        output.WriteLine($"{stats.Events} events, {stats.Conflicts} conflicts retried, {stats.Errors} errors, {simulator.World.Touched.Count} aggregates");
        Assert.Equal(0, stats.Errors);
        Assert.Superset(new HashSet<string> { "player", "economy", "inventory", "quest", "combat_session", "guild", "tournament" },
            simulator.World.Touched.Values.ToHashSet());

        var failed = await client.ListFailedEventsAsync(limit: 1000, cancellationToken: timeout.Token);
        Assert.Empty(failed.Where(e => simulator.World.Touched.ContainsKey(e.AggregateId)).Select(e => $"{e.AggregateType} {e.EventType} v{e.AggregateVersion}: {e.Error}"));
        var projections = ReadModelCatalog.All.ToDictionary(p => p.AggregateType);
        foreach (var (aggregateId, type) in simulator.World.Touched)
        {
            var stream = await client.ReadStreamAsync(aggregateId, pageSize: 1000, cancellationToken: timeout.Token).ToListAsync(timeout.Token);
            var projection = projections[type];
            var expected = projection.Fold(null, [.. stream.Select(ToStored)]);
            var id = projection.IdOf(aggregateId, expected);

            var document = await client.WaitForReadModelAsync<JsonElement>(projection.ModelName, id, stream[^1].AggregateVersion);
            Assert.Equal(stream[^1].AggregateVersion, document.Version);
            var actual = JsonSerializer.SerializeToNode(document.Data);
            Assert.True(JsonNode.DeepEquals(expected, actual),
                $"{projection.ModelName}/{id} differs from the fold of {type} {aggregateId}:\n{expected.ToJsonString()}\n{actual?.ToJsonString()}");
        }
    }

    private static StoredEvent ToStored(EventResponse e) => new(e.EventId, e.AggregateId, e.AggregateType, e.AggregateVersion, e.EventType,
        e.EventVersion, e.OccurredAt, e.Payload, e.Metadata, e.CausationId, e.CorrelationId, e.Position);
}
