namespace EventSourcing.Core.ReadModels;

/// <summary>The Redis key scheme of cached read-model documents, shared by the API (reader) and processor (invalidator).</summary>
public static class ReadModelCache
{
    public static readonly TimeSpan TimeToLive = TimeSpan.FromMinutes(5);

    public static string Key(string modelName, string id) => $"readmodel:{modelName}:{id}";
}
