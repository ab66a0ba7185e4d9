using System.Text.Json.Nodes;
using EventSourcing.Domain.Events;
using EventSourcing.Domain.ReadModels;

namespace EventSourcing.Caching;

/// <summary>
/// Cached read-model documents in Redis, shared by the API (reads, fills on a miss) and the processor (writes each
/// update through), as <see cref="Caching.VersionedCacheEntry"/> entries keyed by model and id.
/// </summary>
public static class ReadModelCache
{
    public static readonly TimeSpan TimeToLive = TimeSpan.FromMinutes(5);

    public static string Key(string modelName, string id) => $"readmodel:{modelName}:{id}";

    /// <summary>The document as the read-model endpoints serve it.</summary>
    public static JsonObject ToJson(ReadModelDocument document) => new()
    {
        ["id"] = document.Id,
        ["modelName"] = document.ModelName,
        ["data"] = document.Data.DeepClone(),
        ["version"] = document.Version,
        ["updatedAt"] = EventJson.Timestamp(document.UpdatedAt),
    };
}
