using System.Text.Json;
using System.Text.Json.Serialization;

namespace EventSourcing.Contracts;

/// <summary>
/// The contract's JSON, source-generated (no reflection): camelCase, enums as camelCase names, RFC 3339 UTC timestamps,
/// null members written (the seed's event JSON shows causationId and correlationId even when unset).
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web,
    UseStringEnumConverter = true,
    Converters = [typeof(UtcTimestampConverter)],
    NumberHandling = JsonNumberHandling.Strict,
    AllowDuplicateProperties = false)]
[JsonSerializable(typeof(AppendEventRequest))]
[JsonSerializable(typeof(AppendBatchRequest))]
[JsonSerializable(typeof(EventResponse))]
[JsonSerializable(typeof(BatchResponse))]
[JsonSerializable(typeof(StreamResponse))]
[JsonSerializable(typeof(EventPageResponse))]
[JsonSerializable(typeof(AggregateListResponse))]
[JsonSerializable(typeof(AggregateStateResponse))]
[JsonSerializable(typeof(RebuildResponse))]
[JsonSerializable(typeof(SnapshotResponse))]
[JsonSerializable(typeof(ReadModelResponse))]
[JsonSerializable(typeof(ReadModelListResponse))]
[JsonSerializable(typeof(ReplayResponse))]
[JsonSerializable(typeof(ReplayListResponse))]
[JsonSerializable(typeof(ProcessingStatusResponse))]
[JsonSerializable(typeof(RetryResponse))]
[JsonSerializable(typeof(FailedEventListResponse))]
[JsonSerializable(typeof(RetryAllResponse))]
[JsonSerializable(typeof(IReadOnlyList<EventsPerDay>))]
[JsonSerializable(typeof(ProcessingLatencyResponse))]
[JsonSerializable(typeof(IReadOnlyList<AggregateSize>))]
[JsonSerializable(typeof(IReadOnlyList<AggregateSizeBucket>))]
[JsonSerializable(typeof(Problem))]
[JsonSerializable(typeof(ValidationProblem))]
[JsonSerializable(typeof(ConflictProblem))]
[JsonSerializable(typeof(ReadDirection))]
public sealed partial class ContractJson : JsonSerializerContext;

/// <summary>The contract's rules for JSON options other than the context's own (ASP.NET's, a client's).</summary>
public static class ContractJsonOptions
{
    /// <summary>The contract's types resolved first (source-generated), RFC 3339 Z timestamps, numbers as numbers.</summary>
    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        options.TypeInfoResolverChain.Insert(0, ContractJson.Default);
        options.Converters.Add(new UtcTimestampConverter());
        options.NumberHandling = JsonNumberHandling.Strict;
        return options;
    }
}
