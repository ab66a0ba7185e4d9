using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using EventSourcing.Domain.Game;
using EventSourcing.Domain.ReadModels;

namespace EventSourcing.Domain;

/// <summary>
/// The domain's JSON, source-generated (no reflection on the hot paths): typed event payloads as the catalog reads
/// them (required members and non-nullable annotations enforced, so a bad payload is a field error at append), aggregate
/// states and read-model documents.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, RespectRequiredConstructorParameters = true, RespectNullableAnnotations = true)]
[JsonSerializable(typeof(CombatStarted))]
[JsonSerializable(typeof(CombatantJoined))]
[JsonSerializable(typeof(DamageDealt))]
[JsonSerializable(typeof(CombatantDefeated))]
[JsonSerializable(typeof(CombatEnded))]
[JsonSerializable(typeof(CombatSessionState))]
[JsonSerializable(typeof(WalletOpened))]
[JsonSerializable(typeof(CurrencyEarned))]
[JsonSerializable(typeof(CurrencySpent))]
[JsonSerializable(typeof(EconomyState))]
[JsonSerializable(typeof(GuildFounded))]
[JsonSerializable(typeof(GuildMemberJoined))]
[JsonSerializable(typeof(GuildMemberLeft))]
[JsonSerializable(typeof(GuildLeaderChanged))]
[JsonSerializable(typeof(GuildContributionMade))]
[JsonSerializable(typeof(GuildState))]
[JsonSerializable(typeof(InventoryCreated))]
[JsonSerializable(typeof(InventoryItemAdded))]
[JsonSerializable(typeof(InventoryItemRemoved))]
[JsonSerializable(typeof(InventoryItemEquipped))]
[JsonSerializable(typeof(InventoryItemUnequipped))]
[JsonSerializable(typeof(InventoryState))]
[JsonSerializable(typeof(PlayerCreated))]
[JsonSerializable(typeof(PlayerRenamed))]
[JsonSerializable(typeof(PlayerLevelUp))]
[JsonSerializable(typeof(ExperienceGainedV1))]
[JsonSerializable(typeof(ExperienceGained))]
[JsonSerializable(typeof(ItemAcquired))]
[JsonSerializable(typeof(ItemRemoved))]
[JsonSerializable(typeof(AchievementUnlocked))]
[JsonSerializable(typeof(EnemyKilled))]
[JsonSerializable(typeof(PlayerDied))]
[JsonSerializable(typeof(PlayerState))]
[JsonSerializable(typeof(QuestObjective))]
[JsonSerializable(typeof(QuestStarted))]
[JsonSerializable(typeof(QuestParticipantJoined))]
[JsonSerializable(typeof(QuestObjectiveCompleted))]
[JsonSerializable(typeof(QuestCompleted))]
[JsonSerializable(typeof(QuestFailed))]
[JsonSerializable(typeof(QuestObjectiveState))]
[JsonSerializable(typeof(QuestState))]
[JsonSerializable(typeof(TournamentCreated))]
[JsonSerializable(typeof(TournamentPlayerRegistered))]
[JsonSerializable(typeof(TournamentMatchPlayed))]
[JsonSerializable(typeof(TournamentCompleted))]
[JsonSerializable(typeof(TournamentMatch))]
[JsonSerializable(typeof(TournamentState))]
[JsonSerializable(typeof(CombatantStats))]
[JsonSerializable(typeof(CombatSessionStats))]
[JsonSerializable(typeof(GuildRoster))]
[JsonSerializable(typeof(InventoryContents))]
[JsonSerializable(typeof(PlayerSummary))]
[JsonSerializable(typeof(QuestProgress))]
[JsonSerializable(typeof(TournamentStanding))]
[JsonSerializable(typeof(TournamentStandings))]
[JsonSerializable(typeof(WalletBalance))]
[JsonSerializable(typeof(JsonObject))]
public sealed partial class DomainJson : JsonSerializerContext;
