using System.Diagnostics;
using System.Text.Json;
using EventSourcing.Client;

namespace EventSourcing.Tests.EventStore;

/// <summary>
/// The GIN indexes written per event take their entries through PostgreSQL's pending list, which the API (events) and
/// the processor (read models) merge off their write paths; queries see pending entries as well as merged ones.
/// </summary>
[Collection(GraphCollection.Name)]
public sealed class GinPendingListTests(GraphFixture graph)
{
    [Fact]
    public async Task New_events_are_found_by_containment_at_once_and_the_services_merge_the_GIN_pending_lists_within_seconds()
    {
        Assert.Equal(
            "idx_events_metadata_gin:fastupdate=on idx_events_payload_gin:fastupdate=on idx_read_models_data_gin:fastupdate=on idx_snapshots_state_gin:fastupdate=off",
            await graph.EventStoreScalarAsync<string>(
                """
                SELECT string_agg(c.relname || ':' || array_to_string(c.reloptions, ','), ' ' ORDER BY c.relname)
                FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'event_store' AND c.relam = (SELECT oid FROM pg_am WHERE amname = 'gin')
                """));

        var client = graph.Client();
        var marker = Guid.NewGuid().ToString("N");
        var players = Enumerable.Range(0, 300).Select(_ => Guid.NewGuid()).ToList();
        foreach (var chunk in players.Chunk(100))
        {
            Assert.True((await client.AppendBatchAsync(chunk.Select(player =>
                EventSourcingClient.Event(player, "player", "PlayerLevelUp", new { newLevel = 2, experienceGained = 10, marker }, metadata: new { marker })))).Created);
        }

        // Read-your-writes through the GIN indexes, whether the entries are still pending or already merged.
        var found = await client.QueryEventsAsync(new EventQuery(AggregateType: "player", PayloadContains: $$"""{"marker":"{{marker}}"}""",
            MetadataContains: $$"""{"marker":"{{marker}}"}""", Limit: 500));
        Assert.Equal(players.Order(), found.Events.Select(e => e.AggregateId).Order());
        foreach (var player in players)
        {
            await client.WaitForReadModelAsync<JsonElement>("player_summary", player.ToString(), 1);
        }

        // Merged by the cleaners (twice a second), not by an insert that found a list full nor by autovacuum (minutes).
        await graph.EventStoreScalarAsync<object?>("CREATE EXTENSION IF NOT EXISTS pgstattuple");
        var waited = Stopwatch.StartNew();
        long pending;
        while ((pending = await graph.EventStoreScalarAsync<long>(
                   """
                   SELECT sum((pgstatginindex(i::regclass)).pending_tuples)::bigint FROM unnest(ARRAY['event_store.idx_events_payload_gin',
                       'event_store.idx_events_metadata_gin', 'event_store.idx_read_models_data_gin']) AS i
                   """)) > 0)
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(5), $"{pending} GIN entries still pending after {waited.Elapsed}");
            await Task.Delay(50);
        }
    }
}
