namespace EventSourcing.Domain.Tests.Support;

internal static class Projections
{
    public static readonly DateTimeOffset Now = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    /// <summary>The seven read models, for theories over all of them.</summary>
    public static TheoryData<string> ModelNames =>
        ["player_summary", "quest_progress", "combat_session_stats", "tournament_standings", "guild_roster", "wallet_balance", "inventory_contents"];

    public static IReadModelProjection Named(string modelName) => ReadModelCatalog.All.Single(p => p.ModelName == modelName);

    /// <summary>The model and the realistic history of its aggregate type (<see cref="GameHistories.For"/>).</summary>
    public static (IReadModelProjection Projection, History History) WithHistory(string modelName)
    {
        var projection = Named(modelName);
        return (projection, GameHistories.For(projection.AggregateType));
    }

    /// <summary>The document after the history's first <paramref name="count"/> events (all when null), in one batch.</summary>
    public static JsonObject Fold(this IReadModelProjection projection, History history, int? count = null) =>
        projection.Fold(null, [.. history.Events.Take(count ?? history.Events.Count)]);

    /// <summary>Folds (eventType, payload) pairs given in version order into a new document.</summary>
    public static JsonObject Fold(this IReadModelProjection projection, params (string EventType, string Payload)[] events)
    {
        var id = Guid.NewGuid();
        return projection.Fold(null, [.. events.Select((e, i) => History.Event(id, projection.AggregateType, i + 1, e.EventType, e.Payload))]);
    }
}
