using System.Net;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using EventSourcing.Contracts;

namespace EventSourcing.Client;

/// <summary>An aggregate's state as a typed value.</summary>
public sealed record AggregateState<TState>(Guid AggregateId, string AggregateType, long CurrentVersion, TState State);

/// <summary>A read-model document as a typed value.</summary>
public sealed record ReadModel<TData>(string Id, string ModelName, TData Data, long Version, DateTimeOffset UpdatedAt);

/// <summary>A filter over the store's global order: events after a position, of a type, in a time window.</summary>
/// <param name="From">Inclusive.</param>
/// <param name="To">Exclusive.</param>
/// <param name="PayloadContains">A JSON object every payload returned contains (jsonb containment), such as <c>{"weapon":"bow"}</c>.</param>
/// <param name="MetadataContains">A JSON object every metadata returned contains.</param>
public sealed record EventQuery(long AfterPosition = 0, string? AggregateType = null, string? EventType = null, Guid? CorrelationId = null,
    DateTimeOffset? From = null, DateTimeOffset? To = null, int Limit = 100, string? PayloadContains = null, string? MetadataContains = null);

/// <summary>What an append did: <see cref="Created"/> (201) or an idempotent repeat of stored events (200).</summary>
public sealed record AppendResult<T>(T Value, bool Created);

/// <summary>
/// The event store's REST API for a game service. Every call takes a <see cref="CancellationToken"/>; a GET of something
/// that does not exist returns null (or nothing); a 409 on an expected version is a <see cref="ConcurrencyConflictException"/>,
/// a 400 an <see cref="EventValidationException"/>, any other problem an <see cref="EventSourcingApiException"/>.
/// </summary>
public sealed class EventSourcingClient(HttpClient http)
{
    private const string Base = "api/v1/events";

    /// <summary>JSON for payloads, metadata and typed states the caller gives or asks for (camelCase, web defaults, any type).</summary>
    public static JsonSerializerOptions PayloadJson { get; } = CreatePayloadJson();

    // --- appends ---

    /// <summary>
    /// Appends one event. Its eventId is chosen here when the request has none, so the resilience handler's retries (and
    /// yours, with the returned id) repeat it instead of storing it twice.
    /// </summary>
    public async Task<AppendResult<EventResponse>> AppendAsync(AppendEventRequest request, CancellationToken cancellationToken = default)
    {
        using var response = await http.PostAsJsonAsync($"{Base}/events", WithEventId(request), ContractJson.Default.AppendEventRequest, cancellationToken);
        return new AppendResult<EventResponse>(await ReadAsync(response, ContractJson.Default.EventResponse, cancellationToken),
            response.StatusCode == HttpStatusCode.Created);
    }

    /// <summary>Appends one event whose payload (and metadata) the client serializes (camelCase).</summary>
    public Task<AppendResult<EventResponse>> AppendAsync<TPayload>(Guid aggregateId, string aggregateType, string eventType, TPayload payload,
        long? expectedVersion = null, object? metadata = null, Guid? eventId = null, Guid? correlationId = null, Guid? causationId = null,
        int? eventVersion = null, CancellationToken cancellationToken = default) =>
        AppendAsync(
            new AppendEventRequest(aggregateId, aggregateType, eventType, ToJson(payload), eventVersion, metadata is null ? null : ToJson(metadata),
                eventId, causationId, correlationId, expectedVersion),
            cancellationToken);

    /// <summary>Appends 1 to 1000 events, all or nothing (each gets its eventId here when it has none).</summary>
    public async Task<AppendResult<IReadOnlyList<EventResponse>>> AppendBatchAsync(IEnumerable<AppendEventRequest> events, CancellationToken cancellationToken = default)
    {
        var batch = new AppendBatchRequest([.. events.Select(WithEventId)]);
        using var response = await http.PostAsJsonAsync($"{Base}/events/batch", batch, ContractJson.Default.AppendBatchRequest, cancellationToken);
        var stored = await ReadAsync(response, ContractJson.Default.BatchResponse, cancellationToken);
        return new AppendResult<IReadOnlyList<EventResponse>>(stored.Events, response.StatusCode == HttpStatusCode.Created);
    }

    /// <summary>An event to append, its payload serialized by the client (for <see cref="AppendBatchAsync"/>).</summary>
    public static AppendEventRequest Event<TPayload>(Guid aggregateId, string aggregateType, string eventType, TPayload payload, long? expectedVersion = null,
        object? metadata = null, Guid? eventId = null) =>
        new(aggregateId, aggregateType, eventType, ToJson(payload), null, metadata is null ? null : ToJson(metadata), eventId, null, null, expectedVersion);

    // --- reads ---

    /// <summary>One aggregate's events, page after page (nothing when the aggregate has none).</summary>
    public async IAsyncEnumerable<EventResponse> ReadStreamAsync(Guid aggregateId, long? fromVersion = null, ReadDirection direction = ReadDirection.Forward,
        int pageSize = 100, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        long? next = fromVersion;
        do
        {
            var page = await ReadStreamPageAsync(aggregateId, next, pageSize, direction, cancellationToken);
            if (page is null)
            {
                yield break;
            }

            foreach (var e in page.Events)
            {
                yield return e;
            }

            next = page.NextFromVersion;
        }
        while (next is not null);
    }

    /// <summary>One page of an aggregate's events with its type and current version; null when the aggregate has no events.</summary>
    public Task<StreamResponse?> ReadStreamPageAsync(Guid aggregateId, long? fromVersion = null, int limit = 100, ReadDirection direction = ReadDirection.Forward,
        CancellationToken cancellationToken = default) =>
        GetOrNullAsync($"{Base}/stream/{aggregateId}?limit={limit}&direction={(direction == ReadDirection.Forward ? "forward" : "backward")}" +
            (fromVersion is { } from ? $"&fromVersion={from}" : ""), ContractJson.Default.StreamResponse, cancellationToken);

    /// <summary>Events in global order after <paramref name="afterPosition"/>, filtered, page after page up to the current end.</summary>
    public async IAsyncEnumerable<EventResponse> ReadEventsAsync(long afterPosition = 0, string? aggregateType = null, string? eventType = null,
        Guid? correlationId = null, int pageSize = 500, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        long? after = afterPosition;
        while (after is { } position)
        {
            var page = await QueryEventsAsync(position, aggregateType, eventType, correlationId, pageSize, cancellationToken);
            foreach (var e in page.Events)
            {
                yield return e;
            }

            after = page.NextAfterPosition;
        }
    }

    /// <summary>One page of events in global order (for a browser's paging; <see cref="ReadEventsAsync"/> reads them all).</summary>
    public async Task<EventPageResponse> QueryEventsAsync(EventQuery query, CancellationToken cancellationToken = default)
    {
        var filters = new (string Name, string? Value)[]
        {
            ("aggregateType", query.AggregateType),
            ("eventType", query.EventType),
            ("correlationId", query.CorrelationId?.ToString()),
            ("from", query.From is { } from ? UtcTimestampConverter.Format(from) : null),
            ("to", query.To is { } to ? UtcTimestampConverter.Format(to) : null),
            ("payloadContains", query.PayloadContains),
            ("metadataContains", query.MetadataContains),
        };
        var url = $"{Base}/events?afterPosition={query.AfterPosition}&limit={query.Limit}" +
            string.Concat(filters.Where(f => f.Value is not null).Select(f => $"&{f.Name}={Uri.EscapeDataString(f.Value!)}"));
        return (await GetOrNullAsync(url, ContractJson.Default.EventPageResponse, cancellationToken))!;
    }

    /// <summary>
    /// A catch-up subscription: hands every event after <paramref name="fromPosition"/> to <paramref name="handler"/> in
    /// global order, then waits for new ones (polling every <paramref name="pollInterval"/>, 500 ms), until cancelled.
    /// Returns the position of the last event handled, to resume from.
    /// </summary>
    public async Task<long> SubscribeAsync(long fromPosition, Func<EventResponse, CancellationToken, ValueTask> handler, string? aggregateType = null,
        TimeSpan? pollInterval = null, CancellationToken cancellationToken = default)
    {
        var position = fromPosition;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var page = await QueryEventsAsync(position, aggregateType, null, null, 500, cancellationToken);
                foreach (var e in page.Events)
                {
                    await handler(e, cancellationToken);
                    position = e.Position;
                }

                if (page.NextAfterPosition is null)
                {
                    await Task.Delay(pollInterval ?? TimeSpan.FromMilliseconds(500), cancellationToken);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }

        return position;
    }

    /// <summary>An aggregate's state (now, or as of <paramref name="atVersion"/>); null when there is no such aggregate.</summary>
    public Task<AggregateStateResponse?> GetAggregateAsync(string aggregateType, Guid aggregateId, long? atVersion = null, CancellationToken cancellationToken = default) =>
        GetOrNullAsync($"{Base}/aggregates/{Uri.EscapeDataString(aggregateType)}/{aggregateId}{(atVersion is { } v ? $"?atVersion={v}" : "")}",
            ContractJson.Default.AggregateStateResponse, cancellationToken);

    /// <summary>An aggregate's state as <typeparamref name="TState"/> (camelCase JSON); null when there is no such aggregate.</summary>
    public async Task<AggregateState<TState>?> GetAggregateAsync<TState>(string aggregateType, Guid aggregateId, long? atVersion = null,
        CancellationToken cancellationToken = default) =>
        await GetAggregateAsync(aggregateType, aggregateId, atVersion, cancellationToken) is { } a
            ? new AggregateState<TState>(a.AggregateId, a.AggregateType, a.CurrentVersion, a.State.Deserialize<TState>(PayloadJson)!)
            : null;

    /// <summary>The aggregates of a type, page after page.</summary>
    public IAsyncEnumerable<AggregateSummary> ListAggregatesAsync(string aggregateType, int pageSize = 100, CancellationToken cancellationToken = default) =>
        PagesAsync<AggregateListResponse, AggregateSummary>(after => $"{Base}/aggregates/{Uri.EscapeDataString(aggregateType)}?limit={pageSize}{(after is null ? "" : $"&after={after}")}",
            ContractJson.Default.AggregateListResponse, p => (p.Aggregates, p.NextAfter?.ToString()), cancellationToken);

    /// <summary>One page of the aggregates of a type, in id order after <paramref name="after"/>.</summary>
    public async Task<AggregateListResponse> ListAggregatesPageAsync(string aggregateType, Guid? after = null, int limit = 100, CancellationToken cancellationToken = default) =>
        await GetOrNullAsync($"{Base}/aggregates/{Uri.EscapeDataString(aggregateType)}?limit={limit}{(after is null ? "" : $"&after={after}")}", ContractJson.Default.AggregateListResponse,
            cancellationToken) ?? new AggregateListResponse([], null);

    /// <summary>One read-model document; null when there is none with that id.</summary>
    public Task<ReadModelResponse?> GetReadModelAsync(string modelName, string id, CancellationToken cancellationToken = default) =>
        GetOrNullAsync($"{Base}/read-models/{modelName}/{Uri.EscapeDataString(id)}", ContractJson.Default.ReadModelResponse, cancellationToken);

    /// <summary>One read-model document with its data as <typeparamref name="TData"/>; null when there is none.</summary>
    public async Task<ReadModel<TData>?> GetReadModelAsync<TData>(string modelName, string id, CancellationToken cancellationToken = default) =>
        await GetReadModelAsync(modelName, id, cancellationToken) is { } d
            ? new ReadModel<TData>(d.Id, d.ModelName, d.Data.Deserialize<TData>(PayloadJson)!, d.Version, d.UpdatedAt)
            : null;

    /// <summary>A read model's documents, page after page.</summary>
    public IAsyncEnumerable<ReadModelResponse> ListReadModelsAsync(string modelName, int pageSize = 100, CancellationToken cancellationToken = default) =>
        PagesAsync<ReadModelListResponse, ReadModelResponse>(
            after => $"{Base}/read-models/{modelName}?limit={pageSize}{(after is null ? "" : $"&after={Uri.EscapeDataString(after)}")}",
            ContractJson.Default.ReadModelListResponse, p => (p.ReadModels, p.NextAfter), cancellationToken);

    // --- aggregates and snapshots (admin) ---

    /// <summary>Folds the aggregate again from its first event (admin); null when there is no such aggregate.</summary>
    public Task<RebuildResponse?> RebuildAsync(string aggregateType, Guid aggregateId, bool createSnapshot = false, CancellationToken cancellationToken = default) =>
        SendOrNullAsync(HttpMethod.Post, $"{Base}/aggregates/{Uri.EscapeDataString(aggregateType)}/{aggregateId}/rebuild?snapshot={(createSnapshot ? "true" : "false")}",
            ContractJson.Default.RebuildResponse, cancellationToken);

    /// <summary>Takes a snapshot at the current version (admin); null when there is no such aggregate.</summary>
    public Task<SnapshotResponse?> CreateSnapshotAsync(string aggregateType, Guid aggregateId, CancellationToken cancellationToken = default) =>
        SendOrNullAsync(HttpMethod.Post, $"{Base}/aggregates/{Uri.EscapeDataString(aggregateType)}/{aggregateId}/snapshot", ContractJson.Default.SnapshotResponse, cancellationToken);

    /// <summary>The latest snapshot; null when there is none.</summary>
    public Task<SnapshotResponse?> GetSnapshotAsync(string aggregateType, Guid aggregateId, CancellationToken cancellationToken = default) =>
        GetOrNullAsync($"{Base}/aggregates/{Uri.EscapeDataString(aggregateType)}/{aggregateId}/snapshot", ContractJson.Default.SnapshotResponse, cancellationToken);

    // --- processing, replays, analytics ---

    public async Task<ProcessingStatusResponse> GetProcessingStatusAsync(CancellationToken cancellationToken = default) =>
        (await GetOrNullAsync($"{Base}/processing/status", ContractJson.Default.ProcessingStatusResponse, cancellationToken))!;

    /// <summary>Failed and dead-lettered events with their error, oldest first (<paramref name="status"/>: failed or dead_lettered; null: both).</summary>
    public async Task<IReadOnlyList<FailedEvent>> ListFailedEventsAsync(string? status = null, int limit = 100, CancellationToken cancellationToken = default) =>
        (await GetOrNullAsync($"{Base}/processing/failed?limit={limit}{(status is null ? "" : $"&status={status}")}",
            ContractJson.Default.FailedEventListResponse, cancellationToken))!.Events;

    /// <summary>Queues a failed or dead-lettered event again (admin).</summary>
    public async Task<RetryResponse> RetryAsync(Guid eventId, CancellationToken cancellationToken = default) =>
        (await SendOrNullAsync(HttpMethod.Post, $"{Base}/processing/retry/{eventId}", ContractJson.Default.RetryResponse, cancellationToken))
        ?? throw new EventSourcingApiException(404, null, $"no event {eventId}");

    /// <summary>Queues every dead-lettered event again (admin); returns how many.</summary>
    public async Task<int> RetryDeadLetteredAsync(CancellationToken cancellationToken = default) =>
        (await SendOrNullAsync(HttpMethod.Post, $"{Base}/processing/dead-lettered/retry", ContractJson.Default.RetryAllResponse, cancellationToken))!.Requeued;

    /// <summary>Queues a blue/green replay of one read model, or of all (<paramref name="modelName"/> null) (admin).</summary>
    public async Task<ReplayResponse> ReplayAsync(string? modelName = null, CancellationToken cancellationToken = default) =>
        (await SendOrNullAsync(HttpMethod.Post, modelName is null ? $"{Base}/read-models/replay" : $"{Base}/read-models/{modelName}/replay",
            ContractJson.Default.ReplayResponse, cancellationToken))
        ?? throw new EventSourcingApiException(404, null, $"no read model '{modelName}'");

    /// <summary>The most recent replays, newest first.</summary>
    public async Task<IReadOnlyList<ReplayResponse>> ListReplaysAsync(CancellationToken cancellationToken = default) =>
        (await GetOrNullAsync($"{Base}/read-models/replays", ContractJson.Default.ReplayListResponse, cancellationToken))?.Replays ?? [];

    public Task<ReplayResponse?> GetReplayAsync(Guid replayId, CancellationToken cancellationToken = default) =>
        GetOrNullAsync($"{Base}/read-models/replays/{replayId}", ContractJson.Default.ReplayResponse, cancellationToken);

    /// <summary>Follows a replay until it completes or fails, reporting each status read (every <paramref name="pollInterval"/>, 1 s).</summary>
    public async Task<ReplayResponse> WaitForReplayAsync(Guid replayId, IProgress<ReplayResponse>? progress = null, TimeSpan? pollInterval = null,
        CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var replay = await GetReplayAsync(replayId, cancellationToken) ?? throw new EventSourcingApiException(404, null, $"no replay {replayId}");
            progress?.Report(replay);
            if (replay.Status is "completed" or "failed")
            {
                return replay;
            }

            await Task.Delay(pollInterval ?? TimeSpan.FromSeconds(1), cancellationToken);
        }
    }

    public async Task<IReadOnlyList<EventsPerDay>> GetEventsPerDayAsync(DateTimeOffset? from = null, DateTimeOffset? to = null, string? aggregateType = null,
        CancellationToken cancellationToken = default) =>
        (await GetOrNullAsync($"{Base}/analytics/events-per-day{Window(from, to)}{(aggregateType is null ? "" : $"&aggregateType={Uri.EscapeDataString(aggregateType)}")}",
            ContractJson.Default.IReadOnlyListEventsPerDay, cancellationToken))!;

    public async Task<ProcessingLatencyResponse> GetProcessingLatencyAsync(DateTimeOffset? from = null, DateTimeOffset? to = null,
        CancellationToken cancellationToken = default) =>
        (await GetOrNullAsync($"{Base}/analytics/processing-latency{Window(from, to)}", ContractJson.Default.ProcessingLatencyResponse, cancellationToken))!;

    public async Task<IReadOnlyList<AggregateSize>> GetAggregateSizesAsync(CancellationToken cancellationToken = default) =>
        (await GetOrNullAsync($"{Base}/analytics/aggregate-sizes", ContractJson.Default.IReadOnlyListAggregateSize, cancellationToken))!;

    /// <summary>Aggregates per number of events (buckets 1, 2-3, 4-7, ...), per type or of one type.</summary>
    public async Task<IReadOnlyList<AggregateSizeBucket>> GetAggregateSizeHistogramAsync(string? aggregateType = null, CancellationToken cancellationToken = default) =>
        (await GetOrNullAsync($"{Base}/analytics/aggregate-size-histogram{(aggregateType is null ? "" : $"?aggregateType={Uri.EscapeDataString(aggregateType)}")}",
            ContractJson.Default.IReadOnlyListAggregateSizeBucket, cancellationToken))!;

    // --- plumbing ---

    private static JsonSerializerOptions CreatePayloadJson()
    {
        var options = ContractJsonOptions.Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));
        // The caller's own payload and state types, by reflection, after the contract's source-generated ones.
        options.TypeInfoResolverChain.Add(new DefaultJsonTypeInfoResolver());
        options.MakeReadOnly();
        return options;
    }

    private static AppendEventRequest WithEventId(AppendEventRequest request) =>
        request.EventId is null ? request with { EventId = Guid.CreateVersion7() } : request;

    private static JsonElement ToJson<T>(T value) => value is JsonElement element ? element : JsonSerializer.SerializeToElement(value, PayloadJson);

    private static string Window(DateTimeOffset? from, DateTimeOffset? to) =>
        "?" + string.Join("&", new[] { ("from", from), ("to", to) }.Where(p => p.Item2 is not null)
            .Select(p => $"{p.Item1}={Uri.EscapeDataString(UtcTimestampConverter.Format(p.Item2!.Value))}"));

    private Task<EventPageResponse> QueryEventsAsync(long after, string? aggregateType, string? eventType, Guid? correlationId, int limit,
        CancellationToken cancellationToken) =>
        QueryEventsAsync(new EventQuery(after, aggregateType, eventType, correlationId, Limit: limit), cancellationToken);

    private async IAsyncEnumerable<TItem> PagesAsync<TPage, TItem>(Func<string?, string> url, JsonTypeInfo<TPage> type,
        Func<TPage, (IReadOnlyList<TItem> Items, string? Next)> read, [EnumeratorCancellation] CancellationToken cancellationToken)
        where TPage : class
    {
        string? after = null;
        do
        {
            if (await GetOrNullAsync(url(after), type, cancellationToken) is not { } page)
            {
                yield break;
            }

            var (items, next) = read(page);
            foreach (var item in items)
            {
                yield return item;
            }

            after = next;
        }
        while (after is not null);
    }

    private Task<T?> GetOrNullAsync<T>(string url, JsonTypeInfo<T> type, CancellationToken cancellationToken)
        where T : class =>
        SendOrNullAsync(HttpMethod.Get, url, type, cancellationToken);

    /// <summary>The body as <typeparamref name="T"/>; null on a 404; a problem as its exception.</summary>
    private async Task<T?> SendOrNullAsync<T>(HttpMethod method, string url, JsonTypeInfo<T> type, CancellationToken cancellationToken)
        where T : class
    {
        using var request = new HttpRequestMessage(method, url);
        using var response = await http.SendAsync(request, cancellationToken);
        return response.StatusCode == HttpStatusCode.NotFound ? null : await ReadAsync(response, type, cancellationToken);
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return await response.Content.ReadFromJsonAsync(type, cancellationToken)
                ?? throw new EventSourcingApiException((int)response.StatusCode, null, "the API answered with an empty body");
        }

        throw await ProblemAsync(response, cancellationToken);
    }

    private static async Task<EventSourcingApiException> ProblemAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        try
        {
            switch (status)
            {
                case 400 when JsonSerializer.Deserialize(body, ContractJson.Default.ValidationProblem) is { Errors: not null } invalid:
                    return new EventValidationException(invalid);
                case 409 when JsonSerializer.Deserialize(body, ContractJson.Default.ConflictProblem) is { CurrentVersion: not null, ExpectedVersion: not null } conflict:
                    return new ConcurrencyConflictException(conflict);
                default:
                    var problem = JsonSerializer.Deserialize(body, ContractJson.Default.Problem);
                    return new EventSourcingApiException(status, problem, problem?.Detail ?? $"HTTP {status}");
            }
        }
        catch (JsonException)
        {
            return new EventSourcingApiException(status, null, $"HTTP {status}: {body}");
        }
    }
}
