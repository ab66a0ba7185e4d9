namespace EventSourcing.Domain.Tests.Events;

public sealed class EventJsonTests
{
    private static StoredEvent Sample(Guid? causation, Guid? correlation) => new(
        Guid.Parse("0190A6B2-1C2D-7E3F-8A4B-5C6D7E8F9A0B"), GameHistories.PlayerId, "player", 5, "PlayerLevelUp", 1,
        new DateTimeOffset(2024, 12, 27, 17, 0, 0, 123, TimeSpan.FromHours(1)).AddTicks(4560),
        Json.Element("""{"newLevel":25,"experienceGained":1500}"""), Json.Element("""{"source":"game_server_01"}"""),
        causation, correlation, 42);

    [Fact]
    public void The_event_json_has_every_contract_field_with_lower_case_ids_and_utc_time()
    {
        var json = JsonElement.Parse(EventJson.ToUtf8(Sample(Guid.Parse("550e8400-e29b-41d4-a716-446655440002"), null)));

        Json.Equal("""
            {"eventId":"0190a6b2-1c2d-7e3f-8a4b-5c6d7e8f9a0b","aggregateId":"550e8400-e29b-41d4-a716-446655440001",
             "aggregateType":"player","aggregateVersion":5,"eventType":"PlayerLevelUp","eventVersion":1,
             "occurredAt":"2024-12-27T16:00:00.123456Z","payload":{"newLevel":25,"experienceGained":1500},
             "metadata":{"source":"game_server_01"},"causationId":"550e8400-e29b-41d4-a716-446655440002",
             "correlationId":null,"position":42}
            """, json);
    }

    [Fact]
    public void The_event_json_reads_back_into_the_same_event()
    {
        var original = Sample(Guid.NewGuid(), Guid.NewGuid());

        var read = EventJson.Parse(EventJson.ToUtf8(original));

        // Every member equal; the JSON ones by content (an element is equal only to itself).
        Assert.Equal(original with { Payload = read.Payload, Metadata = read.Metadata }, read);
        Json.Equal(original.Payload, read.Payload);
        Json.Equal(original.Metadata, read.Metadata);
    }

    [Fact]
    public void Missing_metadata_and_null_ids_read_back_as_empty_and_null()
    {
        var json = JsonNode.Parse(EventJson.ToUtf8(Sample(null, null)))!.AsObject();
        json.Remove("metadata");

        var read = EventJson.Parse(Encoding.UTF8.GetBytes(json.ToJsonString()));

        Json.Equal("{}", read.Metadata);
        Assert.Null(read.CausationId);
        Assert.Null(read.CorrelationId);
    }

    [Fact]
    public void Serialising_does_not_share_the_events_payload()
    {
        var e = Sample(null, null);

        // The JSON is edited as a node made from what the event serialises to.
        var json = JsonNode.Parse(EventJson.ToUtf8(e))!;
        json["payload"]!["newLevel"] = 99;

        Assert.Equal(25, e.Payload.GetProperty("newLevel").GetInt32());
    }

    [Theory]
    [InlineData(0, "2024-12-27T16:00:00Z")]
    [InlineData(5_000_000, "2024-12-27T16:00:00.5Z")]
    [InlineData(10, "2024-12-27T16:00:00.000001Z")]
    [InlineData(9, "2024-12-27T16:00:00Z")]
    public void Timestamps_are_utc_with_at_most_microseconds_and_no_trailing_zeros(long ticks, string expected)
    {
        Assert.Equal(expected, EventJson.Timestamp(History.T0.AddTicks(ticks)));
    }

    [Fact]
    public void Topics_are_named_after_the_aggregate_type()
    {
        Assert.Equal("events.player", EventTopics.For("player"));
        Assert.Equal("events.dlq", EventTopics.DeadLetter);
        Assert.Matches(EventTopics.SubscriptionPattern, EventTopics.For("combat_session"));
        Assert.DoesNotMatch(EventTopics.SubscriptionPattern, "other.player");
    }

    [Fact]
    public void An_event_appended_again_with_the_same_content_is_recognised()
    {
        var stored = Sample(null, null);
        var again = new NewEvent(stored.EventId, true, stored.AggregateId, "player", "PlayerLevelUp", 1,
            JsonElement.Parse("""{"experienceGained":1500,"newLevel":25}"""), Json.Element("""{"source":"game_server_01"}"""), null, null, 4);

        Assert.True(again.SameContentAs(stored));
        Assert.False((again with { Metadata = EventJson.EmptyObject }).SameContentAs(stored));
    }

    // A message on an events topic that is not an event of ours (someone else wrote to it) is refused, not read as
    // an event of empty ids: the consumer then skips it.
    [Theory]
    [InlineData("{}")]
    [InlineData("""{"eventId":"550e8400-e29b-41d4-a716-446655440000","aggregateId":"550e8400-e29b-41d4-a716-446655440001","aggregateType":"player","aggregateVersion":1,"eventType":"PlayerDied","eventVersion":1,"occurredAt":"2024-12-27T16:00:00Z","payload":[1],"metadata":{},"position":1}""")]
    [InlineData("""{"eventId":"550e8400-e29b-41d4-a716-446655440000","aggregateId":"550e8400-e29b-41d4-a716-446655440001","aggregateVersion":1,"eventType":"PlayerDied","eventVersion":1,"occurredAt":"2024-12-27T16:00:00Z","payload":{},"metadata":{},"position":1}""")]
    public void A_message_that_is_not_a_complete_event_is_refused(string message) =>
        Assert.Throws<JsonException>(() => EventJson.Parse(Encoding.UTF8.GetBytes(message)));
}
