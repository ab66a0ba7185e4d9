using System.Text.Json;
using EventSourcing.Client;
using EventSourcing.Contracts;

namespace EventSourcing.GameSimulator;

/// <summary>
/// One game server: plays scenes of the game through the client, the way a real service does. Appends to an existing
/// aggregate read its state first and send the version they read as the expected version; on a conflict they read
/// again, decide again and retry.
/// </summary>
public sealed class GameServer(EventSourcingClient client, GameWorld world, SimulatorStats stats, Random random)
{
    private const int MaxAttempts = 5;
    private static readonly string[] Weapons = ["cyber_blade", "plasma_rifle", "mono_wire", "smart_pistol"];
    private static readonly string[] Items = ["medkit", "armor_plate", "data_shard", "grenade", "stim"];

    /// <summary>Plays one scene; returns how many events it appended.</summary>
    public async Task<int> PlayAsync(CancellationToken cancellationToken)
    {
        var scene = world.Players.Count < 6 ? 0 : random.Next(1, 9);
        return scene switch
        {
            0 => await NewPlayerAsync(cancellationToken),
            1 => await LevelUpAsync(cancellationToken),
            2 => await LootAsync(cancellationToken),
            3 => await TradeAsync(cancellationToken),
            4 => await QuestAsync(cancellationToken),
            5 => await FightAsync(cancellationToken),
            6 => await ContributeToGuildAsync(cancellationToken),
            7 => await TournamentAsync(cancellationToken),
            _ => await NewPlayerAsync(cancellationToken),
        };
    }

    private async Task<int> NewPlayerAsync(CancellationToken cancellationToken)
    {
        var player = new Player(Guid.CreateVersion7(), "player_" + Guid.NewGuid().ToString("N")[..12], "Runner" + random.Next(1000), Guid.CreateVersion7(),
            Guid.CreateVersion7());
        // A new player's aggregates are created together, all or nothing, each expected not to exist yet.
        await AppendBatchAsync(
        [
            EventSourcingClient.Event(player.AggregateId, "player", "PlayerCreated", new { player.PlayerId, player.Name }, expectedVersion: 0),
            EventSourcingClient.Event(player.WalletId, "economy", "WalletOpened", new { OwnerId = player.PlayerId }, expectedVersion: 0),
            EventSourcingClient.Event(player.InventoryId, "inventory", "InventoryCreated", new { OwnerId = player.PlayerId, Capacity = 20 }, expectedVersion: 0),
        ], cancellationToken);
        world.Add(player);
        return 3;
    }

    private async Task<int> LevelUpAsync(CancellationToken cancellationToken)
    {
        var player = world.Pick(random)!;
        return await DecideAndAppendAsync("player", player.AggregateId, state =>
        {
            var level = state?.GetProperty("level").GetInt32() ?? 0;
            return ("PlayerLevelUp", new { NewLevel = level + 1, ExperienceGained = 100 * (level + 1) });
        }, cancellationToken);
    }

    private async Task<int> LootAsync(CancellationToken cancellationToken)
    {
        var player = world.Pick(random)!;
        var item = Items[random.Next(Items.Length)];
        await AppendBatchAsync(
        [
            EventSourcingClient.Event(player.InventoryId, "inventory", "InventoryItemAdded", new { ItemId = item, Quantity = 1 }),
            EventSourcingClient.Event(player.WalletId, "economy", "CurrencyEarned", new { Currency = "eddies", Amount = random.Next(5, 50), Source = "loot" }),
            EventSourcingClient.Event(player.AggregateId, "player", "ItemAcquired", new { ItemId = item }),
        ], cancellationToken);
        world.Looted(player, item);
        return 3;
    }

    /// <summary>A sale between two players of something the seller looted: the item and the money move together, or not at all.</summary>
    private async Task<int> TradeAsync(CancellationToken cancellationToken)
    {
        var seller = world.Pick(random)!;
        var buyer = world.Pick(random, seller);
        if (buyer is null || !world.TryTakeLoot(seller, out var item))
        {
            return 0;
        }

        var price = random.Next(10, 100);
        await AppendBatchAsync(
        [
            EventSourcingClient.Event(seller.InventoryId, "inventory", "InventoryItemRemoved", new { ItemId = item, Quantity = 1 }),
            EventSourcingClient.Event(buyer.InventoryId, "inventory", "InventoryItemAdded", new { ItemId = item, Quantity = 1 }),
            EventSourcingClient.Event(buyer.WalletId, "economy", "CurrencySpent", new { Currency = "eddies", Amount = price, Sink = "trade" }),
            EventSourcingClient.Event(seller.WalletId, "economy", "CurrencyEarned", new { Currency = "eddies", Amount = price, Source = "trade" }),
        ], cancellationToken);
        world.Looted(buyer, item);
        return 4;
    }

    /// <summary>Starts a quest, or moves an open one on by one objective (and completes it after the last).</summary>
    private async Task<int> QuestAsync(CancellationToken cancellationToken)
    {
        if (world.PickQuest(random) is not { } quest || random.Next(4) == 0)
        {
            var started = new QuestRun(Guid.CreateVersion7(), "quest_" + Guid.NewGuid().ToString("N")[..12], ["infiltrate", "hack_terminal", "extract"]);
            var player = world.Pick(random)!;
            await AppendBatchAsync(
            [
                EventSourcingClient.Event(started.AggregateId, "quest", "QuestStarted", new
                {
                    started.QuestId,
                    Title = "Corporate Espionage",
                    Objectives = started.Objectives.Select(o => new { Id = o, Description = o.Replace('_', ' ') }),
                }, expectedVersion: 0),
                EventSourcingClient.Event(started.AggregateId, "quest", "QuestParticipantJoined", new { player.PlayerId }, expectedVersion: 1),
            ], cancellationToken);
            world.Open(started);
            return 2;
        }

        var appended = await DecideAndAppendAsync("quest", quest.AggregateId, state =>
        {
            var done = state?.GetProperty("objectives").EnumerateArray().Where(o => o.GetProperty("completed").GetBoolean())
                .Select(o => o.GetProperty("id").GetString()).ToHashSet() ?? [];
            var next = quest.Objectives.FirstOrDefault(o => !done.Contains(o));
            return next is null ? ("QuestCompleted", new { }) : ("QuestObjectiveCompleted", (object)new { ObjectiveId = next });
        }, cancellationToken);
        if (await client.GetAggregateAsync("quest", quest.AggregateId, cancellationToken: cancellationToken) is { } after
            && after.State.GetProperty("status").GetString() == "completed")
        {
            world.Close(quest);
        }

        return appended;
    }

    /// <summary>A duel: damage until one falls; the fallen player dies, the winner scores a kill.</summary>
    private async Task<int> FightAsync(CancellationToken cancellationToken)
    {
        var attacker = world.Pick(random)!;
        var target = world.Pick(random, attacker);
        if (target is null)
        {
            return 0;
        }

        var session = Guid.CreateVersion7();
        var weapon = Weapons[random.Next(Weapons.Length)];
        var hits = Enumerable.Range(0, random.Next(2, 5))
            .Select(_ => EventSourcingClient.Event(session, "combat_session", "DamageDealt",
                new { AttackerId = attacker.PlayerId, TargetId = target.PlayerId, Amount = random.Next(10, 60), Weapon = weapon }))
            .ToList();
        await AppendBatchAsync(
        [
            EventSourcingClient.Event(session, "combat_session", "CombatStarted",
                new { SessionId = "duel_" + Guid.NewGuid().ToString("N")[..12], Mode = "duel", Participants = new[] { attacker.PlayerId, target.PlayerId } }, expectedVersion: 0),
            .. hits,
            EventSourcingClient.Event(session, "combat_session", "CombatantDefeated", new { target.PlayerId, DefeatedBy = attacker.PlayerId }),
            EventSourcingClient.Event(session, "combat_session", "CombatEnded", new { WinnerId = attacker.PlayerId }),
            EventSourcingClient.Event(attacker.AggregateId, "player", "EnemyKilled", new { Weapon = weapon }),
            EventSourcingClient.Event(target.AggregateId, "player", "PlayerDied", new { }),
        ], cancellationToken);
        return hits.Count + 5;
    }

    /// <summary>The shared guild: founded by the first server to get there, then joined and funded by everyone.</summary>
    private async Task<int> ContributeToGuildAsync(CancellationToken cancellationToken)
    {
        var player = world.Pick(random)!;
        return await DecideAndAppendAsync("guild", world.GuildId, state =>
        {
            if (state is null)
            {
                return ("GuildFounded", new { GuildId = world.GuildName, Name = "Night Watch", LeaderId = player.PlayerId });
            }

            var members = state.Value.GetProperty("members").EnumerateArray().Select(m => m.GetString()).ToHashSet();
            return members.Contains(player.PlayerId)
                ? ("GuildContributionMade", new { player.PlayerId, Amount = random.Next(10, 200) })
                : ("GuildMemberJoined", (object)new { player.PlayerId });
        }, cancellationToken);
    }

    /// <summary>The shared tournament: created, registered for, then played round by round to a champion; then the next one.</summary>
    private async Task<int> TournamentAsync(CancellationToken cancellationToken)
    {
        var player = world.Pick(random)!;
        var tournament = world.CurrentTournament;
        return await DecideAndAppendAsync("tournament", tournament.AggregateId, state =>
        {
            if (state is null)
            {
                return ("TournamentCreated", new { tournament.TournamentId, Name = "Night City Cup", MaxParticipants = 8 });
            }

            var s = state.Value;
            if (s.GetProperty("status").GetString() == "completed")
            {
                world.Finish(tournament);
                return null;
            }

            var participants = s.GetProperty("participants").EnumerateArray().Select(p => p.GetString()!).ToList();
            if (participants.Count < 4 && !participants.Contains(player.PlayerId))
            {
                return ("TournamentPlayerRegistered", new { player.PlayerId });
            }

            var losers = s.GetProperty("matches").EnumerateArray().Select(m => m.GetProperty("loserId").GetString()).ToHashSet();
            var standing = participants.Where(p => !losers.Contains(p)).ToList();
            if (standing.Count <= 1)
            {
                return ("TournamentCompleted", new { WinnerId = standing.FirstOrDefault() ?? participants[0] });
            }

            var round = s.GetProperty("round").GetInt32() + 1;
            return ("TournamentMatchPlayed", (object)new { Round = round, WinnerId = standing[0], LoserId = standing[1] });
        }, cancellationToken);
    }

    /// <summary>
    /// Read the aggregate, decide the next event from its state, append it at the version read; on a conflict (another
    /// server got there first) read again and decide again. Returns the events appended (0 or 1).
    /// </summary>
    private async Task<int> DecideAndAppendAsync(string type, Guid id, Func<JsonElement?, (string EventType, object Payload)?> decide,
        CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var current = await client.GetAggregateAsync(type, id, cancellationToken: cancellationToken);
            if (decide(current?.State) is not var (eventType, payload))
            {
                return 0;
            }

            try
            {
                await client.AppendAsync(id, type, eventType, payload, expectedVersion: current?.CurrentVersion ?? 0, cancellationToken: cancellationToken);
                world.Touched[id] = type;
                stats.Sent(1);
                return 1;
            }
            catch (ConcurrencyConflictException) when (attempt < MaxAttempts)
            {
                stats.Conflict();
            }
        }
    }

    private async Task AppendBatchAsync(IReadOnlyList<AppendEventRequest> events, CancellationToken cancellationToken)
    {
        await client.AppendBatchAsync(events, cancellationToken);
        foreach (var e in events)
        {
            world.Touched[e.AggregateId] = e.AggregateType;
        }

        stats.Sent(events.Count);
    }
}
