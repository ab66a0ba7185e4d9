using System.Text.Json.Nodes;

namespace EventSourcing.Domain.ReadModels;

/// <summary>One read model's document of one aggregate; <see cref="Version"/> is the last aggregate version applied.</summary>
public sealed record ReadModelDocument(string Id, string ModelName, JsonObject Data, long Version, DateTimeOffset UpdatedAt)
{
    /// <summary>Larger documents are refused: the seed's budget for state is 50 KB on average.</summary>
    public const int MaxBytes = 64 * 1024;

    public void EnsureStorable()
    {
        if (System.Text.Encoding.UTF8.GetByteCount(Data.ToJsonString()) > MaxBytes)
        {
            throw new InvalidOperationException($"{ModelName} document {Id} would exceed {MaxBytes} bytes; refusing to store it");
        }
    }
}
