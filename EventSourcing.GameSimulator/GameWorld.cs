using System.Collections.Concurrent;

namespace EventSourcing.GameSimulator;

/// <summary>A player and the aggregates that belong to them.</summary>
public sealed record Player(Guid AggregateId, string PlayerId, string Name, Guid WalletId, Guid InventoryId);

/// <summary>A tournament: its aggregate and its natural id.</summary>
public sealed record Tournament(Guid AggregateId, string TournamentId)
{
    public static Tournament Next() => new(Guid.CreateVersion7(), "cup_" + Guid.NewGuid().ToString("N")[..12]);
}

/// <summary>A quest in progress: its objectives, and how many are done.</summary>
public sealed record QuestRun(Guid AggregateId, string QuestId, IReadOnlyList<string> Objectives);

/// <summary>
/// What the game servers share: the players, the open quests, one guild and one tournament (shared aggregates, so two
/// servers appending to them at once meet the expected-version check), and every aggregate the game touched.
/// </summary>
public sealed class GameWorld
{
    private readonly ConcurrentDictionary<Guid, Player> _players = new();
    private readonly ConcurrentDictionary<Guid, QuestRun> _quests = new();

    public Guid GuildId { get; } = Guid.CreateVersion7();
    public string GuildName { get; } = "guild_" + Guid.NewGuid().ToString("N")[..12];
    private readonly ConcurrentDictionary<Guid, ConcurrentQueue<string>> _loot = new();
    private Tournament _tournament = Tournament.Next();

    /// <summary>The tournament being played; a new one once it has a champion.</summary>
    public Tournament CurrentTournament => Volatile.Read(ref _tournament);

    /// <summary>Every aggregate appended to, with its type.</summary>
    public ConcurrentDictionary<Guid, string> Touched { get; } = new();

    public IReadOnlyList<Player> Players => [.. _players.Values];

    public void Add(Player player) => _players[player.AggregateId] = player;

    public Player? Pick(Random random, Player? other = null)
    {
        var players = Players.Where(p => p != other).ToList();
        return players.Count == 0 ? null : players[random.Next(players.Count)];
    }

    /// <summary>The first server to see <paramref name="completed"/> finished opens the next one; the others then see it.</summary>
    public void Finish(Tournament completed) => Interlocked.CompareExchange(ref _tournament, Tournament.Next(), completed);

    /// <summary>Items a player has looted and not sold yet (what they can trade).</summary>
    public void Looted(Player player, string item) => _loot.GetOrAdd(player.AggregateId, _ => new()).Enqueue(item);

    public bool TryTakeLoot(Player player, out string item)
    {
        item = "";
        return _loot.TryGetValue(player.AggregateId, out var items) && items.TryDequeue(out item!);
    }

    public void Open(QuestRun quest) => _quests[quest.AggregateId] = quest;

    public void Close(QuestRun quest) => _quests.TryRemove(quest.AggregateId, out _);

    public QuestRun? PickQuest(Random random)
    {
        var quests = _quests.Values.ToList();
        return quests.Count == 0 ? null : quests[random.Next(quests.Count)];
    }
}
