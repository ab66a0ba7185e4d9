namespace EventSourcing.Domain.Tests.Aggregates;

/// <summary>An unregistered aggregate type: its state is the JSON Merge Patch (RFC 7386) of its payloads in order.</summary>
public sealed class FreeFormAggregateTests
{
    private static readonly Guid Id = Guid.Parse("0d4f1a7c-9a0e-4a57-8b47-0c2b5f0e6a11");
    private static readonly FreeFormAggregate QuestLog = new("quest_log");

    private static History Log() => new History("quest_log", Id)
        .Then("Opened", """{"owner":"player_001","entries":{"q1":{"title":"Lost Key","state":"open"}},"tags":["main"]}""")
        .Then("EntryAdded", """{"entries":{"q2":{"title":"Dragon","state":"open"}}}""")
        .Then("EntryClosed", """{"entries":{"q1":{"state":"done","notes":null}},"tags":["main","done"]}""")
        .Then("Cleared", """{"owner":null,"entries":{"q2":null}}""");

    [Fact]
    public void The_state_is_the_merge_of_the_payloads_where_null_removes_and_objects_merge()
    {
        Json.Equal("""{"entries":{"q1":{"title":"Lost Key","state":"done"}},"tags":["main","done"]}""", QuestLog.Fold(Id, null, Log().Events));
    }

    [Fact]
    public void Any_event_type_and_payload_is_valid()
    {
        Assert.Empty(QuestLog.Validate("Anything", 9, Json.Element("""{"a":null,"b":[1,"x"]}""")));
        Assert.Empty(QuestLog.EventTypes);
    }

    [Fact]
    public void Folding_from_a_snapshot_plus_the_later_events_equals_folding_everything()
    {
        var events = Log().Events;
        var everything = QuestLog.Fold(Id, null, events);

        for (var at = 0; at <= events.Count; at++)
        {
            var snapshot = QuestLog.Fold(Id, null, events.Take(at));
            var snapshotText = snapshot.GetRawText();

            Json.Equal(everything, QuestLog.Fold(Id, snapshot, events.Skip(at)));
            Assert.Equal(snapshotText, snapshot.GetRawText());
        }
    }

    [Fact]
    public void Folding_leaves_the_payloads_untouched_and_shares_no_nodes_with_them()
    {
        var events = Log().Events;
        var before = events.Select(e => e.Payload.GetRawText()).ToList();

        // The state is an element; a caller edits it as a node made from it.
        var state = JsonObject.Create(QuestLog.Fold(Id, null, events))!;
        state["tags"]!.AsArray().Add("changed later");
        state["entries"]!["q1"]!["state"] = "changed later";

        Assert.Equal(before, events.Select(e => e.Payload.GetRawText()));
    }

    [Fact]
    public void No_events_and_no_snapshot_is_an_empty_state()
    {
        Json.Equal("{}", QuestLog.Fold(Id, null, []));
    }

    // RFC 7386 appendix A, every example whose target and patch are objects (the only kind a payload can be).
    [Theory]
    [InlineData("""{"a":"b"}""", """{"a":"c"}""", """{"a":"c"}""")]
    [InlineData("""{"a":"b"}""", """{"b":"c"}""", """{"a":"b","b":"c"}""")]
    [InlineData("""{"a":"b"}""", """{"a":null}""", """{}""")]
    [InlineData("""{"a":"b","b":"c"}""", """{"a":null}""", """{"b":"c"}""")]
    [InlineData("""{"a":["b"]}""", """{"a":"c"}""", """{"a":"c"}""")]
    [InlineData("""{"a":"c"}""", """{"a":["b"]}""", """{"a":["b"]}""")]
    [InlineData("""{"a":{"b":"c"}}""", """{"a":{"b":"d","c":null}}""", """{"a":{"b":"d"}}""")]
    [InlineData("""{"a":[{"b":"c"}]}""", """{"a":[1]}""", """{"a":[1]}""")]
    [InlineData("""{"e":null}""", """{"a":1}""", """{"e":null,"a":1}""")]
    [InlineData("""{}""", """{"a":{"bb":{"ccc":null}}}""", """{"a":{"bb":{}}}""")]
    [InlineData("""{"a":1}""", """{"a":{"b":2}}""", """{"a":{"b":2}}""")]
    [InlineData("""{"a":{"b":2}}""", """{"a":1}""", """{"a":1}""")]
    [InlineData("""{"a":{"b":{"c":1,"d":2}}}""", """{"a":{"b":{"d":null,"e":3}}}""", """{"a":{"b":{"c":1,"e":3}}}""")]
    public void JsonMergePatch_follows_rfc_7386(string target, string patch, string expected)
    {
        var document = Json.Obj(target);
        var patchObject = Json.Obj(patch);

        JsonMergePatch.Apply(document, patchObject);

        Json.Equal(expected, document);
        Json.Equal(patch, patchObject);
    }

    [Fact]
    public void A_merged_value_is_a_copy_of_the_patchs()
    {
        var document = new JsonObject();
        var patch = Json.Obj("""{"list":[1,2],"nested":{"x":[3]}}""");

        JsonMergePatch.Apply(document, patch);
        patch["list"]!.AsArray().Add(99);
        patch["nested"]!["x"]!.AsArray().Add(99);

        Json.Equal("""{"list":[1,2],"nested":{"x":[3]}}""", document);
    }
}
