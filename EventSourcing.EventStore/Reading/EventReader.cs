using System.Text;
using EventSourcing.Domain.Events;
using Npgsql;
using NpgsqlTypes;

namespace EventSourcing.EventStore.Reading;

public enum ReadDirection
{
    Forward,
    Backward,
}

public sealed record StreamPage(StreamInfo Stream, IReadOnlyList<StoredEvent> Events, long? NextFromVersion);

public sealed record EventPage(IReadOnlyList<StoredEvent> Events, long? NextAfterPosition);

public sealed record AggregatePage(IReadOnlyList<StreamInfo> Aggregates, Guid? NextAfter);

/// <param name="PayloadContains">A JSON object the payload must contain (jsonb @>, served by idx_events_payload_gin).</param>
/// <param name="MetadataContains">A JSON object the metadata must contain (idx_events_metadata_gin).</param>
public sealed record EventFilter(
    string? AggregateType, string? EventType, Guid? CorrelationId, DateTimeOffset? From, DateTimeOffset? To, long AfterPosition, int Limit,
    string? PayloadContains = null, string? MetadataContains = null);

/// <summary>The read side of the store. Every query is served by an index (see the migrations).</summary>
public sealed class EventReader(NpgsqlDataSource dataSource)
{
    private const string StreamColumns = "aggregate_id, aggregate_type, current_version, created_at, updated_at";

    public async Task<StreamInfo?> FindStreamAsync(Guid aggregateId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {StreamColumns} FROM event_store.streams WHERE aggregate_id = @id");
        command.Parameters.AddWithValue("id", aggregateId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadStream(reader) : null;
    }

    /// <summary>A page of one aggregate's events (idx_events_aggregate), or null when it has none.</summary>
    public async Task<StreamPage?> ReadStreamAsync(Guid aggregateId, long? fromVersion, int limit, ReadDirection direction, CancellationToken cancellationToken)
    {
        var stream = await FindStreamAsync(aggregateId, cancellationToken);
        if (stream is null)
        {
            return null;
        }

        var forward = direction == ReadDirection.Forward;
        var from = fromVersion ?? (forward ? 1 : stream.CurrentVersion);
        await using var command = dataSource.CreateCommand(
            $"SELECT {EventRows.Columns} FROM event_store.events WHERE aggregate_id = @id AND aggregate_version {(forward ? ">=" : "<=")} @from " +
            $"ORDER BY aggregate_version {(forward ? "ASC" : "DESC")} LIMIT @limit");
        command.Parameters.AddWithValue("id", aggregateId);
        command.Parameters.AddWithValue("from", from);
        command.Parameters.AddWithValue("limit", limit + 1);
        var events = await EventRows.ReadAllAsync(command, cancellationToken);
        long? next = null;
        if (events.Count > limit)
        {
            next = events[limit].AggregateVersion;
            events.RemoveAt(limit);
        }

        return new StreamPage(stream, events, next);
    }

    /// <summary>Events in position order. Positions become visible in commit order, so a cursor never skips one.</summary>
    public async Task<EventPage> QueryAsync(EventFilter filter, CancellationToken cancellationToken)
    {
        var sql = new StringBuilder($"SELECT {EventRows.Columns} FROM event_store.events WHERE position > @after");
        await using var command = dataSource.CreateCommand();
        command.Parameters.AddWithValue("after", filter.AfterPosition);
        if (filter.AggregateType is not null)
        {
            sql.Append(" AND aggregate_type = @aggregate_type");
            command.Parameters.AddWithValue("aggregate_type", filter.AggregateType);
        }

        if (filter.EventType is not null)
        {
            sql.Append(" AND event_type = @event_type");
            command.Parameters.AddWithValue("event_type", filter.EventType);
        }

        if (filter.CorrelationId is not null)
        {
            sql.Append(" AND correlation_id = @correlation_id");
            command.Parameters.AddWithValue("correlation_id", filter.CorrelationId.Value);
        }

        if (filter.PayloadContains is not null)
        {
            sql.Append(" AND payload @> @payload");
            command.Parameters.Add(new NpgsqlParameter("payload", NpgsqlDbType.Jsonb) { Value = filter.PayloadContains });
        }

        if (filter.MetadataContains is not null)
        {
            sql.Append(" AND metadata @> @metadata");
            command.Parameters.Add(new NpgsqlParameter("metadata", NpgsqlDbType.Jsonb) { Value = filter.MetadataContains });
        }

        if (filter.From is not null)
        {
            sql.Append(" AND occurred_at >= @from");
            command.Parameters.AddWithValue("from", filter.From.Value);
        }

        if (filter.To is not null)
        {
            sql.Append(" AND occurred_at < @to");
            command.Parameters.AddWithValue("to", filter.To.Value);
        }

        sql.Append(" ORDER BY position LIMIT @limit");
        command.Parameters.AddWithValue("limit", filter.Limit + 1);
        command.CommandText = sql.ToString();
        var events = await EventRows.ReadAllAsync(command, cancellationToken);
        long? next = null;
        if (events.Count > filter.Limit)
        {
            events.RemoveAt(filter.Limit);
            next = events[^1].Position;
        }

        return new EventPage(events, next);
    }

    /// <summary>Events by id (events_pkey), in position order.</summary>
    public async Task<List<StoredEvent>> FindEventsAsync(IReadOnlyCollection<Guid> eventIds, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {EventRows.Columns} FROM event_store.events WHERE event_id = ANY(@ids) ORDER BY position");
        command.Parameters.AddWithValue("ids", eventIds.ToArray());
        return await EventRows.ReadAllAsync(command, cancellationToken);
    }

    /// <summary>One aggregate's events with versions in [from, to], in one query on the data source.</summary>
    public async Task<List<StoredEvent>> ReadVersionsAsync(Guid aggregateId, long from, long to, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await ReadVersionsAsync(connection, aggregateId, from, to, cancellationToken);
    }

    /// <summary>One aggregate's events with versions in [from, to].</summary>
    /// <param name="connection">The caller's open connection (inside its transaction), so it never needs a second one.</param>
    public static async Task<List<StoredEvent>> ReadVersionsAsync(NpgsqlConnection connection, Guid aggregateId, long from, long to, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            $"SELECT {EventRows.Columns} FROM event_store.events WHERE aggregate_id = @id AND aggregate_version BETWEEN @from AND @to ORDER BY aggregate_version",
            connection);
        command.Parameters.AddWithValue("id", aggregateId);
        command.Parameters.AddWithValue("from", from);
        command.Parameters.AddWithValue("to", to);
        // The hottest read (every aggregate GET, every gap fill): prepared once per connection. Its plan never
        // depends on the values (idx_events_aggregate), so a generic plan is as good as a custom one, except one made
        // on a nearly empty store (a scan until the first auto-analyze; unlike the append lookups, reads only).
        await command.PrepareAsync(cancellationToken);
        return await EventRows.ReadAllAsync(command, cancellationToken);
    }

    /// <summary>Aggregates of one type in id order (idx_streams_type), keyset-paged.</summary>
    public async Task<AggregatePage> ListAggregatesAsync(string aggregateType, Guid? after, int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT {StreamColumns} FROM event_store.streams WHERE aggregate_type = @type AND aggregate_id > @after ORDER BY aggregate_id LIMIT @limit");
        command.Parameters.AddWithValue("type", aggregateType);
        command.Parameters.AddWithValue("after", after ?? Guid.Empty);
        command.Parameters.AddWithValue("limit", limit + 1);
        var streams = await command.ReadAllAsync(ReadStream, cancellationToken);

        Guid? next = null;
        if (streams.Count > limit)
        {
            streams.RemoveAt(limit);
            next = streams[^1].AggregateId;
        }

        return new AggregatePage(streams, next);
    }

    /// <summary>Events of the aggregate types (the total a replay of them will fold).</summary>
    public async Task<long> CountEventsAsync(IEnumerable<string> aggregateTypes, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT COALESCE(sum(current_version), 0)::bigint FROM event_store.streams WHERE aggregate_type = ANY(@types)");
        command.Parameters.AddWithValue("types", aggregateTypes.Distinct().ToArray());
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>The last committed position: positions become visible in commit order, so everything up to it is readable.</summary>
    public static async Task<long> HeadAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT last_position FROM event_store.global_position", connection);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>Ids of the aggregates of a type after <paramref name="after"/>, in id order (idx_streams_type).</summary>
    public static async Task<Guid[]> AggregateIdsAsync(NpgsqlConnection connection, string aggregateType, Guid after, int limit, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "SELECT aggregate_id FROM event_store.streams WHERE aggregate_type = @type AND aggregate_id > @after ORDER BY aggregate_id LIMIT @limit", connection);
        command.Parameters.AddWithValue("type", aggregateType);
        command.Parameters.AddWithValue("after", after);
        command.Parameters.AddWithValue("limit", limit);
        return [.. await command.ReadAllAsync(reader => reader.GetGuid(0), cancellationToken)];
    }

    /// <summary>Every event of the aggregates up to <paramref name="head"/> (a position), by aggregate and version.</summary>
    public static async Task<List<StoredEvent>> EventsOfAsync(NpgsqlConnection connection, Guid[] aggregateIds, long head, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            $"SELECT {EventRows.Columns} FROM event_store.events WHERE aggregate_id = ANY(@ids) AND position <= @head ORDER BY aggregate_id, aggregate_version",
            connection);
        command.Parameters.AddWithValue("ids", aggregateIds);
        command.Parameters.AddWithValue("head", head);
        return await EventRows.ReadAllAsync(command, cancellationToken);
    }

    /// <summary>Events of one aggregate type with positions in (after, upTo], in position order.</summary>
    public static async Task<List<StoredEvent>> EventsOfTypeAsync(NpgsqlConnection connection, string aggregateType, long after, long upTo, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            $"SELECT {EventRows.Columns} FROM event_store.events WHERE aggregate_type = @type AND position > @from AND position <= @to ORDER BY position",
            connection);
        command.Parameters.AddWithValue("type", aggregateType);
        command.Parameters.AddWithValue("from", after);
        command.Parameters.AddWithValue("to", upTo);
        return await EventRows.ReadAllAsync(command, cancellationToken);
    }

    private static StreamInfo ReadStream(NpgsqlDataReader reader) => new(
        reader.GetGuid(0), reader.GetString(1), reader.GetInt64(2),
        reader.GetFieldValue<DateTimeOffset>(3), reader.GetFieldValue<DateTimeOffset>(4));
}
