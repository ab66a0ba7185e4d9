namespace EventSourcing.Domain.Tests.ReadModels;

/// <summary>What every read model promises: batch folds equal event-by-event applies, versions, ids and the size cap.</summary>
public sealed class ProjectionContractTests
{
    [Theory]
    [MemberData(nameof(Projections.ModelNames), MemberType = typeof(Projections))]
    public void Folding_the_whole_history_at_once_equals_applying_it_event_by_event(string modelName)
    {
        var (projection, history) = Projections.WithHistory(modelName);
        var whole = projection.ApplyAll(history.AggregateId, null, history.Events, Projections.Now);

        ReadModelDocument? document = null;
        foreach (var e in history.Events)
        {
            document = projection.ApplyAll(history.AggregateId, document, [e], Projections.Now);
            // Documents are stored as JSON text and read back before the next event.
            document = document with { Data = Json.Obj(document.Data.ToJsonString()) };
        }

        Assert.NotNull(document);
        Json.Equal(whole.Data, document.Data);
        Assert.Equal(whole.Version, document.Version);
        Assert.Equal(whole.Id, document.Id);
    }

    [Theory]
    [MemberData(nameof(Projections.ModelNames), MemberType = typeof(Projections))]
    public void Folding_in_batches_of_any_size_equals_folding_everything(string modelName)
    {
        var (projection, history) = Projections.WithHistory(modelName);
        var whole = projection.Fold(null, history.Events);

        for (var size = 2; size <= 4; size++)
        {
            JsonObject? document = null;
            foreach (var batch in history.Events.Chunk(size))
            {
                document = projection.Fold(document, batch);
            }

            Json.Equal(whole, document);
        }
    }

    [Theory]
    [MemberData(nameof(Projections.ModelNames), MemberType = typeof(Projections))]
    public void ApplyAll_names_the_document_and_sets_its_version_to_the_last_events(string modelName)
    {
        var (projection, history) = Projections.WithHistory(modelName);
        var first = projection.ApplyAll(history.AggregateId, null, [.. history.Events.Take(3)], Projections.Now.AddMinutes(-1));

        var document = projection.ApplyAll(history.AggregateId, first, [.. history.Events.Skip(3)], Projections.Now);

        Assert.Equal(3, first.Version);
        Assert.Equal(history.Events.Count, document.Version);
        Assert.Equal(history.Events[^1].AggregateVersion, document.Version);
        Assert.Equal(modelName, document.ModelName);
        Assert.Equal(Projections.Now, document.UpdatedAt);
        Assert.Equal(projection.IdOf(history.AggregateId, document.Data), document.Id);
        Assert.NotEqual(history.AggregateId.ToString(), document.Id);
    }

    [Theory]
    [MemberData(nameof(Projections.ModelNames), MemberType = typeof(Projections))]
    public void Folding_does_not_change_the_document_it_starts_from(string modelName)
    {
        var (projection, history) = Projections.WithHistory(modelName);
        var start = projection.Fold(null, [.. history.Events.Take(2)]);
        var before = start.ToJsonString();

        projection.Fold(start, [.. history.Events.Skip(2)]);

        Assert.Equal(before, start.ToJsonString());
    }

    /// <summary>For each model, an event that grows its document past 64 KiB on its own.</summary>
    private static (string EventType, JsonObject Payload) Oversized(string modelName)
    {
        var huge = new string('x', ReadModelDocument.MaxBytes);
        return modelName switch
        {
            "player_summary" => ("PlayerRenamed", new JsonObject { ["name"] = huge }),
            "quest_progress" => ("QuestParticipantJoined", new JsonObject { ["playerId"] = huge }),
            "combat_session_stats" => ("CombatantJoined", new JsonObject { ["playerId"] = huge }),
            "tournament_standings" => ("TournamentPlayerRegistered", new JsonObject { ["playerId"] = huge }),
            "guild_roster" => ("GuildMemberJoined", new JsonObject { ["playerId"] = huge }),
            "wallet_balance" => ("CurrencyEarned", new JsonObject { ["currency"] = "gold", ["amount"] = 1, ["source"] = huge }),
            "inventory_contents" => ("InventoryItemAdded", new JsonObject { ["itemId"] = huge }),
            _ => throw new ArgumentOutOfRangeException(nameof(modelName), modelName, null),
        };
    }

    [Theory]
    [MemberData(nameof(Projections.ModelNames), MemberType = typeof(Projections))]
    public void ApplyAll_refuses_a_document_over_64_KiB(string modelName)
    {
        var (projection, history) = Projections.WithHistory(modelName);
        var current = projection.ApplyAll(history.AggregateId, null, history.Events, Projections.Now);
        var (eventType, payload) = Oversized(modelName);
        var oversized = History.Event(history.AggregateId, history.AggregateType, current.Version + 1, eventType, Json.Element(payload));

        var refused = Assert.Throws<InvalidOperationException>(() => projection.ApplyAll(history.AggregateId, current, [oversized], Projections.Now));

        Assert.Contains(modelName, refused.Message, StringComparison.Ordinal);
        Assert.Contains("65536", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_document_of_exactly_64_KiB_is_stored_and_one_byte_more_is_refused()
    {
        var projection = Projections.Named("player_summary");
        var id = GameHistories.PlayerId;
        ReadModelDocument Named(int length) =>
            projection.ApplyAll(id, null, [History.Event(id, "player", 1, "PlayerCreated", Json.Element(new JsonObject { ["playerId"] = "p", ["name"] = new string('n', length) }))], Projections.Now);
        var overhead = Encoding.UTF8.GetByteCount(Named(0).Data.ToJsonString());

        var largest = Named(ReadModelDocument.MaxBytes - overhead);

        Assert.Equal(ReadModelDocument.MaxBytes, Encoding.UTF8.GetByteCount(largest.Data.ToJsonString()));
        Assert.Throws<InvalidOperationException>(() => Named(ReadModelDocument.MaxBytes - overhead + 1));
    }
}
