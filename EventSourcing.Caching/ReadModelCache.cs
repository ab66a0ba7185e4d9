using System.Text.Json;
using EventSourcing.Contracts;
using EventSourcing.Domain;
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
    public static ReadModelResponse ToResponse(ReadModelDocument document) =>
        new(document.Id, document.ModelName, JsonSerializer.SerializeToElement(document.Data, DomainJson.Default.JsonObject), document.Version, document.UpdatedAt);

    /// <summary>The served document as JSON text (what the cache holds).</summary>
    public static string ToJsonText(ReadModelDocument document) =>
        JsonSerializer.Serialize(ToResponse(document), ContractJson.Default.ReadModelResponse);
}
