namespace EventSourcing.Domain.Tests.Appending;

public sealed class AppendRequestParserTests
{
    private const string AggregateTypeRule = "must match ^[a-z][a-z0-9_]{0,99}$";
    private const string EventTypeRule = "must match ^[A-Za-z][A-Za-z0-9_.]{0,199}$";
    private const string Nul = "contains a NUL character (\\u0000), which cannot be stored";
    private const string NotUnicode = "contains text that is not valid Unicode";

    /// <summary>The seed's "Append Event" example, exactly as its curl sends it.</summary>
    private const string SeedBody = """
        {
          "aggregateId": "550e8400-e29b-41d4-a716-446655440001",
          "aggregateType": "player",
          "eventType": "PlayerLevelUp",
          "payload": {
            "newLevel": 25,
            "experienceGained": 1500
          },
          "metadata": {
            "source": "game_server_01"
          }
        }
        """;

    private static readonly AppendRequestParser Parser = new([DomainCatalog.Default]);

    private static (NewEvent? Event, Dictionary<string, List<string>> Errors) Parse(string body, string prefix = "") =>
        Parse(JsonElement.Parse(body), prefix);

    /// <summary>A body edited as a node, parsed as the text it serialises to.</summary>
    private static (NewEvent? Event, Dictionary<string, List<string>> Errors) Parse(JsonNode body, string prefix = "") =>
        Parse(Json.Element(body), prefix);

    private static (NewEvent? Event, Dictionary<string, List<string>> Errors) Parse(JsonElement body, string prefix = "")
    {
        var errors = new Dictionary<string, List<string>>();
        return (Parser.Parse(body, prefix, errors), errors);
    }

    private static string Body(string aggregateType, string eventType, string payload, string extra = "") =>
        $$"""{"aggregateId":"550e8400-e29b-41d4-a716-446655440001","aggregateType":"{{aggregateType}}","eventType":"{{eventType}}","payload":{{payload}}{{extra}}}""";

    /// <summary>The errors are exactly the expected ones, each "field: message" (a field's messages joined by " / "), in any order.</summary>
    private static void AssertErrors(Dictionary<string, List<string>> actual, params string[] expected) =>
        Assert.Equal(
            expected.Order(StringComparer.Ordinal),
            actual.Select(p => $"{p.Key}: {string.Join(" / ", p.Value)}").Order(StringComparer.Ordinal));

    [Fact]
    public void The_seeds_PlayerLevelUp_body_parses_with_the_defaults()
    {
        var (e, errors) = Parse(SeedBody);

        Assert.Empty(errors);
        Assert.NotNull(e);
        Assert.Equal(Guid.Parse("550e8400-e29b-41d4-a716-446655440001"), e.AggregateId);
        Assert.Equal("player", e.AggregateType);
        Assert.Equal("PlayerLevelUp", e.EventType);
        Assert.Equal(1, e.EventVersion);
        Json.Equal("""{"newLevel":25,"experienceGained":1500}""", e.Payload);
        Json.Equal("""{"source":"game_server_01"}""", e.Metadata);
        Assert.False(e.EventIdGiven);
        Assert.NotEqual(Guid.Empty, e.EventId);
        Assert.Equal(7, e.EventId.Version);
        Assert.Null(e.CausationId);
        Assert.Null(e.CorrelationId);
        Assert.Null(e.ExpectedVersion);
    }

    [Fact]
    public void Metadata_defaults_to_an_empty_object_and_each_server_event_id_is_new()
    {
        var body = Body("player", "PlayerLevelUp", """{"newLevel":25}""");

        var (first, errors) = Parse(body);
        var (second, _) = Parse(body);

        Assert.Empty(errors);
        Assert.NotNull(first);
        Assert.NotNull(second);
        Json.Equal("{}", first.Metadata);
        Assert.NotEqual(first.EventId, second.EventId);
    }

    [Fact]
    public void Every_optional_field_is_read()
    {
        var (e, errors) = Parse(Body("player", "ExperienceGained", """{"amount":300,"source":"quest_reward"}""", """
            ,"eventVersion":2,"metadata":{"gameMode":"ranked"},
            "eventId":"0190a6b2-1c2d-7e3f-8a4b-5c6d7e8f9a0b",
            "causationId":"550e8400-e29b-41d4-a716-446655440002",
            "correlationId":"550e8400-e29b-41d4-a716-446655440003",
            "expectedVersion":4
            """));

        Assert.Empty(errors);
        Assert.NotNull(e);
        Assert.Equal(2, e.EventVersion);
        Assert.True(e.EventIdGiven);
        Assert.Equal(Guid.Parse("0190a6b2-1c2d-7e3f-8a4b-5c6d7e8f9a0b"), e.EventId);
        Assert.Equal(Guid.Parse("550e8400-e29b-41d4-a716-446655440002"), e.CausationId);
        Assert.Equal(Guid.Parse("550e8400-e29b-41d4-a716-446655440003"), e.CorrelationId);
        Assert.Equal(4, e.ExpectedVersion);
        Json.Equal("""{"gameMode":"ranked"}""", e.Metadata);
    }

    [Fact]
    public void Expected_version_0_is_allowed()
    {
        var (e, errors) = Parse(Body("player", "PlayerLevelUp", """{"newLevel":1}""", ""","expectedVersion":0"""));

        Assert.Empty(errors);
        Assert.Equal(0, e!.ExpectedVersion);
    }

    [Fact]
    public void Every_field_error_is_collected_at_once_under_the_contracts_field_names()
    {
        var (e, errors) = Parse("""
            {"aggregateId":"not-a-uuid","aggregateType":"Player","eventType":"1up","eventVersion":0,"payload":[1],
             "metadata":"none","eventId":"nope","causationId":12,"correlationId":"{550e8400-e29b-41d4-a716-446655440003}",
             "expectedVersion":-1}
            """);

        Assert.Null(e);
        AssertErrors(
            errors,
            $"aggregateId: {EventNames.NotAUuid}",
            $"aggregateType: {AggregateTypeRule}",
            $"eventType: {EventTypeRule}",
            "eventVersion: must be an integer from 1 to 2147483647",
            "payload: must be a JSON object",
            "metadata: must be a JSON object",
            "eventId: must be a UUID",
            "causationId: must be a UUID",
            "correlationId: must be a UUID",
            "expectedVersion: must be an integer from 0 to 9223372036854775807");
    }

    [Fact]
    public void Missing_required_fields_are_each_reported()
    {
        var (e, errors) = Parse("{}");

        Assert.Null(e);
        AssertErrors(
            errors,
            "aggregateId: is required",
            "aggregateType: is required",
            "eventType: is required",
            "payload: is required");
    }

    [Theory]
    [InlineData("\"eventVersion\":2147483648", "eventVersion")]
    [InlineData("\"eventVersion\":1.5", "eventVersion")]
    [InlineData("\"eventVersion\":\"1\"", "eventVersion")]
    [InlineData("\"expectedVersion\":\"4\"", "expectedVersion")]
    [InlineData("\"expectedVersion\":true", "expectedVersion")]
    public void Versions_must_be_integers_in_range(string member, string field)
    {
        var (e, errors) = Parse(Body("player", "PlayerLevelUp", """{"newLevel":1}""", "," + member));

        Assert.Null(e);
        Assert.Equal([field], errors.Keys);
        Assert.StartsWith("must be an integer from ", Assert.Single(errors[field]), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("aggregateType", "a")]
    [InlineData("aggregateType", "combat_session_2")]
    [InlineData("eventType", "Game.PlayerLevelUp_v2")]
    [InlineData("eventType", "x")]
    public void Names_following_the_patterns_are_accepted(string field, string value)
    {
        var body = JsonNode.Parse(Body("quest_log", "Opened", "{}"))!.AsObject();
        body[field] = value;

        var (e, errors) = Parse(body);

        Assert.Empty(errors);
        Assert.NotNull(e);
    }

    [Theory]
    [InlineData("aggregateType", "player-x", AggregateTypeRule)]
    [InlineData("aggregateType", "_player", AggregateTypeRule)]
    [InlineData("aggregateType", "", AggregateTypeRule)]
    [InlineData("aggregateType", 7, AggregateTypeRule)]
    [InlineData("eventType", "Player Level Up", EventTypeRule)]
    [InlineData("eventType", ".Up", EventTypeRule)]
    public void Names_breaking_the_patterns_are_refused(string field, object value, string message)
    {
        var body = JsonNode.Parse(Body("quest_log", "Opened", "{}"))!.AsObject();
        body[field] = JsonValue.Create(value);

        var (e, errors) = Parse(body);

        Assert.Null(e);
        AssertErrors(errors, $"{field}: {message}");
    }

    [Fact]
    public void Names_at_the_length_limits_are_accepted_and_one_more_character_is_refused()
    {
        var longest = Parse(Body("a" + new string('b', 99), "E" + new string('v', 199), "{}"));
        var tooLong = Parse(Body("a" + new string('b', 100), "E" + new string('v', 200), "{}"));

        Assert.Empty(longest.Errors);
        AssertErrors(tooLong.Errors, $"aggregateType: {AggregateTypeRule}", $"eventType: {EventTypeRule}");
    }

    // The contract's patterns (^...$, as in JSON Schema) match the whole value: a trailing newline is not part of a
    // name (an aggregate type "quest_log\n" would also name the Kafka topic "events.quest_log\n").
    [Theory]
    [InlineData("aggregateType", "quest_log\n", AggregateTypeRule)]
    [InlineData("eventType", "Opened\n", EventTypeRule)]
    public void A_trailing_newline_is_not_part_of_a_valid_name(string field, string value, string message)
    {
        var body = JsonNode.Parse(Body("quest_log", "Opened", "{}"))!.AsObject();
        body[field] = value;

        var (e, errors) = Parse(body);

        Assert.Null(e);
        AssertErrors(errors, $"{field}: {message}");
    }

    [Fact]
    public void Batch_items_name_their_fields_with_the_events_index_prefix()
    {
        var errors = new Dictionary<string, List<string>>();

        var first = Parser.Parse(JsonElement.Parse(Body("player", "PlayerLevelUp", """{"newLevel":2}""")), "events[0].", errors);
        var second = Parser.Parse(JsonElement.Parse("""{"aggregateId":"x","aggregateType":"player","eventType":"PlayerLevelUp","payload":{"newLevel":3},"expectedVersion":-2}"""), "events[1].", errors);
        var third = Parser.Parse(JsonElement.Parse("5"), "events[2].", errors);
        var fourth = Parser.Parse(JsonElement.Parse(Body("player", "PlayerLevelUp", """{"newLevel":"high"}""")), "events[3].", errors);

        Assert.NotNull(first);
        Assert.Null(second);
        Assert.Null(third);
        Assert.Null(fourth);
        AssertErrors(
            errors,
            "events[1].aggregateId: must be a UUID",
            "events[1].expectedVersion: must be an integer from 0 to 9223372036854775807",
            "events[2]: must be a JSON object",
            "events[3].payload.newLevel: has the wrong type");
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("\"event\"")]
    [InlineData("null")]
    public void A_body_that_is_not_an_object_is_a_body_error(string body)
    {
        var (e, errors) = Parse(body);

        Assert.Null(e);
        AssertErrors(errors, "body: must be a JSON object");
    }

    [Theory]
    [InlineData("player", "PlayerLevelUp", """{"newLevel":"high"}""", "payload.newLevel", "has the wrong type")]
    [InlineData("player", "PlayerLevelUp", """{"experienceGained":10}""", "payload.newLevel", "is required")]
    [InlineData("player", "PlayerCreated", """{"playerId":null,"name":"CyberNinja"}""", "payload.playerId", "must not be null")]
    [InlineData("combat_session", "DamageDealt", """{"attackerId":"a","targetId":"b","amount":0}""", "payload.amount", "must be greater than 0")]
    [InlineData("tournament", "TournamentMatchPlayed", """{"round":1,"winnerId":"a","loserId":"a"}""", "payload.loserId", "must differ from winnerId")]
    [InlineData("quest", "QuestStarted", """{"questId":"q","title":"t","objectives":[{"id":"o1"}]}""", "payload.objectives[0].description", "is required")]
    [InlineData("economy", "CurrencyEarned", """{"currency":"","amount":5,"source":"loot"}""", "payload.currency", "must not be empty")]
    public void Catalog_payload_errors_land_under_payload_and_the_field(string aggregateType, string eventType, string payload, string field, string message)
    {
        var (e, errors) = Parse(Body(aggregateType, eventType, payload));

        Assert.Null(e);
        AssertErrors(errors, $"{field}: {message}");
    }

    [Fact]
    public void Several_payload_errors_are_all_reported()
    {
        var (_, errors) = Parse(Body("player", "PlayerCreated", "{}"), "events[4].");

        AssertErrors(errors, "events[4].payload.playerId: is required", "events[4].payload.name: is required");
    }

    [Theory]
    [InlineData("PlayerDanced", 1)]
    [InlineData("PlayerLevelUp", 2)]
    [InlineData("ExperienceGained", 3)]
    public void An_unknown_event_type_of_a_registered_aggregate_is_an_eventType_error(string eventType, int eventVersion)
    {
        var (e, errors) = Parse(Body("player", eventType, "{}", $",\"eventVersion\":{eventVersion}"), "events[0].");

        Assert.Null(e);
        Assert.Equal(["events[0].eventType"], errors.Keys);
        var message = Assert.Single(errors["events[0].eventType"]);
        Assert.StartsWith($"'{eventType}' v{eventVersion} is not an event of 'player' (known: ", message, StringComparison.Ordinal);
        Assert.Contains("PlayerLevelUp v1", message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unregistered_aggregate_type_is_free_form()
    {
        var (e, errors) = Parse(Body("quest_log", "AnythingGoes", """{"x":[1,{"y":null}],"newLevel":"not checked"}"""));

        Assert.Empty(errors);
        Assert.NotNull(e);
        Assert.Equal("quest_log", e.AggregateType);
        Json.Equal("""{"x":[1,{"y":null}],"newLevel":"not checked"}""", e.Payload);
    }

    [Fact]
    public void A_NUL_character_in_the_payload_or_metadata_is_refused_under_its_field()
    {
        var body = JsonNode.Parse(Body("quest_log", "Opened", "{}"))!.AsObject();
        body["payload"] = new JsonObject { ["note"] = "a\0b" };
        body["metadata"] = new JsonObject { ["k\0"] = 1 };

        var (e, errors) = Parse(body);

        Assert.Null(e);
        AssertErrors(errors, $"payload: {Nul}", $"metadata: {Nul}");
    }

    [Fact]
    public void An_escaped_NUL_in_the_request_text_is_refused()
    {
        var (e, errors) = Parse(Body("quest_log", "Opened", """{"note":"a\u0000b"}"""));

        Assert.Null(e);
        AssertErrors(errors, $"payload: {Nul}");
    }

    [Fact]
    public void An_unpaired_surrogate_in_the_payload_is_refused()
    {
        // An element holds a lone surrogate only as the escape of its JSON text, which cannot be read as a string.
        var (e, errors) = Parse(Body("quest_log", "Opened", """{"note":["ok","\ud800x"]}"""));

        Assert.Null(e);
        AssertErrors(errors, $"payload: {NotUnicode}");
    }

    // The error is under the field that holds the text (the payload), no longer under the whole event.
    [Theory]
    [InlineData("", "payload")]
    [InlineData("events[3].", "events[3].payload")]
    public void An_escaped_lone_surrogate_in_the_request_text_is_an_error_not_an_exception(string prefix, string field)
    {
        var (e, errors) = Parse(Body("quest_log", "Opened", """{"note":"\ud800"}"""), prefix);

        Assert.Null(e);
        AssertErrors(errors, $"{field}: {NotUnicode}");
    }

    // A UUID field whose text cannot be read is an invalid UUID (a 400), never an exception (a 500).
    [Theory]
    [InlineData("aggregateId")]
    [InlineData("eventId")]
    [InlineData("causationId")]
    [InlineData("correlationId")]
    public void A_uuid_field_holding_a_lone_surrogate_is_not_a_uuid(string field)
    {
        var body = JsonNode.Parse(Body("quest_log", "Opened", "{}"))!.AsObject();
        body[field] = "PLACEHOLDER";
        var text = body.ToJsonString().Replace("PLACEHOLDER", "\\ud800", StringComparison.Ordinal);

        var (e, errors) = Parse(text);

        Assert.Null(e);
        AssertErrors(errors, $"{field}: must be a UUID");
    }

    [Fact]
    public void A_number_beyond_doubles_range_is_refused()
    {
        var (e, errors) = Parse(Body("quest_log", "Opened", """{"big":1e400}"""));

        Assert.Null(e);
        AssertErrors(errors, "payload: contains a number out of range");
    }

    // JSON leaves repeated member names undefined; the parser promises field errors (a 400), never an exception.
    [Fact]
    public void A_repeated_member_name_is_a_field_error_not_an_exception()
    {
        var body = JsonElement.Parse("""
            {"aggregateId":"550e8400-e29b-41d4-a716-446655440001","aggregateId":"550e8400-e29b-41d4-a716-446655440002",
             "aggregateType":"player","eventType":"PlayerLevelUp","payload":{"newLevel":1}}
            """);
        var errors = new Dictionary<string, List<string>>();

        var exception = Record.Exception(() => Parser.Parse(body, "", errors));

        Assert.Null(exception);
        Assert.NotEmpty(errors);
    }
}
