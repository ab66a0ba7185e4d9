using System.Text.Json.Nodes;
using Microsoft.OpenApi;

namespace EventSourcing.Api.OpenApi;

/// <summary>The seed's examples, on the operations they illustrate.</summary>
internal static class Examples
{
    private const string AppendRequest = """
        {"aggregateId":"550e8400-e29b-41d4-a716-446655440001","aggregateType":"player","eventType":"PlayerLevelUp",
         "payload":{"newLevel":25,"experienceGained":1500},"metadata":{"source":"game_server_01"}}
        """;

    private const string StoredEvent = """
        {"eventId":"550e8400-e29b-41d4-a716-446655440000","aggregateId":"550e8400-e29b-41d4-a716-446655440001","aggregateType":"player",
         "aggregateVersion":5,"eventType":"PlayerLevelUp","eventVersion":1,"occurredAt":"2024-12-27T16:00:00Z",
         "payload":{"newLevel":25,"experienceGained":1500},"metadata":{"source":"game_server_01","gameMode":"ranked"},
         "causationId":"550e8400-e29b-41d4-a716-446655440002","correlationId":"550e8400-e29b-41d4-a716-446655440003","position":1042}
        """;

    private const string Aggregate = """
        {"aggregateId":"550e8400-e29b-41d4-a716-446655440001","aggregateType":"player","currentVersion":15,
         "state":{"playerId":"player_001","name":"CyberNinja","level":25,"experience":12500,"inventory":["sword_001","armor_002"],
                  "achievements":["first_kill","level_25"]}}
        """;

    private const string PlayerSummary = """
        {"id":"player_001","modelName":"player_summary",
         "data":{"name":"CyberNinja","level":25,"experience":12500,"totalKills":1500,"totalDeaths":800,"kdRatio":1.875,"rank":"Diamond",
                 "favoriteWeapon":"cyber_blade","lastSeen":"2024-12-27T16:00:00Z"},
         "version":15,"updatedAt":"2024-12-27T16:00:00Z"}
        """;

    private const string QuestProgress = """
        {"id":"quest_001","modelName":"quest_progress",
         "data":{"title":"Corporate Espionage","status":"in_progress","progress":0.5,
                 "objectives":[{"id":"obj_1","description":"Hack terminal","completed":true},{"id":"obj_2","description":"Steal data","completed":false}],
                 "participants":["player_001","player_002"]},
         "version":4,"updatedAt":"2024-12-27T16:00:00Z"}
        """;

    public static void AddTo(OpenApiOperation operation)
    {
        switch (operation.OperationId)
        {
            case "appendEvent":
                Add(operation.RequestBody?.Content, "application/json", "playerLevelUp", "The seed's example: a player levels up", AppendRequest);
                Add(operation.Responses?.GetValueOrDefault("201")?.Content, "application/json", "stored", "The stored event", StoredEvent);
                break;
            case "getAggregate":
                Add(operation.Responses?.GetValueOrDefault("200")?.Content, "application/json", "player", "The seed's player state", Aggregate);
                break;
            case "getReadModel":
                Add(operation.Responses?.GetValueOrDefault("200")?.Content, "application/json", "playerSummary", "A player_summary document", PlayerSummary);
                Add(operation.Responses?.GetValueOrDefault("200")?.Content, "application/json", "questProgress", "A quest_progress document", QuestProgress);
                break;
        }
    }

    private static void Add(IDictionary<string, OpenApiMediaType>? content, string mediaType, string name, string summary, string json)
    {
        if (content?.TryGetValue(mediaType, out var media) is true)
        {
            media.Examples ??= new Dictionary<string, IOpenApiExample>();
            media.Examples[name] = new OpenApiExample { Summary = summary, Value = JsonNode.Parse(json) };
        }
    }
}
