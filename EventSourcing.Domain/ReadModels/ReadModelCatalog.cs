namespace EventSourcing.Domain.ReadModels;

/// <summary>Every read model the processor maintains (and replay can rebuild): one per registered aggregate type.</summary>
public static class ReadModelCatalog
{
    public static IReadOnlyList<IReadModelProjection> All { get; } =
    [
        new PlayerSummaryProjection(), new QuestProgressProjection(), new CombatSessionStatsProjection(),
        new TournamentStandingsProjection(), new GuildRosterProjection(), new WalletBalanceProjection(),
        new InventoryContentsProjection(),
    ];
}
