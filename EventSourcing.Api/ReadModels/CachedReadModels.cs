using System.Diagnostics.Metrics;
using System.Text.Json;
using System.Text.Json.Nodes;
using EventSourcing.Core.ReadModels;
using StackExchange.Redis;

namespace EventSourcing.Api.ReadModels;

/// <summary>
/// Read-model documents through Redis (cache-aside; the processor deletes a document's key when it updates it).
/// Redis being away only costs speed: every read falls back to PostgreSQL.
/// </summary>
public sealed class CachedReadModels : IDisposable
{
    public const string MeterName = "EventSourcing.ReadModelCache";

    private readonly ReadModelStore _store;
    private readonly IConnectionMultiplexer _redis;
    private readonly ILogger<CachedReadModels> _logger;
    private readonly Meter _meter;
    private readonly Counter<long> _lookups;

    public CachedReadModels(ReadModelStore store, IConnectionMultiplexer redis, IMeterFactory meterFactory, ILogger<CachedReadModels> logger)
    {
        _store = store;
        _redis = redis;
        _logger = logger;
        _meter = meterFactory.Create(MeterName);
        _lookups = _meter.CreateCounter<long>("event_sourcing_read_model_cache_lookups", "{lookup}", "Read-model cache lookups by result (hit, miss, error)");
    }

    public async Task<JsonObject?> GetAsync(string modelName, string id, CancellationToken cancellationToken)
    {
        var key = ReadModelCache.Key(modelName, id);
        var cacheUp = _redis.IsConnected;
        try
        {
            if (!cacheUp)
            {
                throw new RedisConnectionException(ConnectionFailureType.UnableToConnect, "not connected");
            }

            var cached = await _redis.GetDatabase().StringGetAsync(key);
            if (cached.HasValue)
            {
                Count("hit");
                return JsonNode.Parse((string)cached!)!.AsObject();
            }

            Count("miss");
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            Count("error");
            _logger.LogDebug("Read-model cache unavailable: {Message}", ex.Message);
        }

        var document = await _store.GetAsync(modelName, id, cancellationToken);
        if (document is null)
        {
            return null;
        }

        var json = ToJson(document);
        try
        {
            if (cacheUp)
            {
                await _redis.GetDatabase().StringSetAsync(key, json.ToJsonString(), ReadModelCache.TimeToLive);
            }
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            // Serving from PostgreSQL is correct, just slower.
        }

        return json;
    }

    public static JsonObject ToJson(ReadModelDocument document) => new()
    {
        ["id"] = document.Id,
        ["modelName"] = document.ModelName,
        ["data"] = document.Data.DeepClone(),
        ["version"] = document.Version,
        ["updatedAt"] = EventSourcing.Core.Events.EventJson.Timestamp(document.UpdatedAt),
    };

    private void Count(string result) => _lookups.Add(1, new KeyValuePair<string, object?>("result", result));

    public void Dispose() => _meter.Dispose();
}
