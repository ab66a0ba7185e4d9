using System.Text.Json.Nodes;
using EventSourcing.Api.Http;
using EventSourcing.Api.Security;
using Npgsql;

namespace EventSourcing.Api.Processing;

/// <summary>Processing status (counts, lag, oldest pending, workers) and the manual retry of a failed event.</summary>
public static class ProcessingApi
{
    public static IEndpointRouteBuilder MapProcessingApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/events/processing").WithTags("Processing");
        api.MapGet("/status", StatusAsync).RequireAuthorization(Scopes.Read).WithSummary("Processing counts, consumer lag, oldest pending age, workers");
        api.MapPost("/retry/{eventId}", RetryAsync).RequireAuthorization(Scopes.Admin).WithSummary("Queue a failed or dead-lettered event again");
        return app;
    }

    private static async Task<IResult> StatusAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        var counts = new Dictionary<string, long>();
        await using (var command = dataSource.CreateCommand("SELECT status, count(*) FROM event_store.processing_status GROUP BY status"))
        await using (var rows = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await rows.ReadAsync(cancellationToken))
            {
                counts[rows.GetString(0)] = rows.GetInt64(1);
            }
        }

        // Gap-free positions: the last one is the number of events; those without an outcome yet are pending.
        // The oldest pending event is looked for among the newest 100,000 only, to stay fast at any size.
        await using var summary = dataSource.CreateCommand(
            """
            WITH head AS (SELECT last_position FROM event_store.global_position)
            SELECT head.last_position,
                   (SELECT extract(epoch FROM now() - min(e.occurred_at))::float8 FROM event_store.events e
                     WHERE e.position > head.last_position - 100000
                       AND NOT EXISTS (SELECT 1 FROM event_store.processing_status s WHERE s.event_id = e.event_id AND s.status <> 'pending')),
                   coalesce((SELECT sum(consumer_lag) FROM event_store.processor_instances WHERE updated_at > now() - interval '30 seconds'), 0)::bigint,
                   coalesce((SELECT sum(workers) FROM event_store.processor_instances WHERE updated_at > now() - interval '30 seconds'), 0)::bigint
            FROM head
            """);
        await using var reader = await summary.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var total = reader.GetInt64(0);
        var decided = counts.Where(c => c.Key != "pending").Sum(c => c.Value);
        return TypedResults.Ok(new JsonObject
        {
            ["pending"] = total - decided,
            ["processing"] = counts.GetValueOrDefault("processing"),
            ["processed"] = counts.GetValueOrDefault("processed"),
            ["failed"] = counts.GetValueOrDefault("failed"),
            ["deadLettered"] = counts.GetValueOrDefault("dead_lettered"),
            ["consumerLag"] = reader.GetInt64(2),
            ["oldestPendingAgeSeconds"] = reader.IsDBNull(1) ? 0 : Math.Round(reader.GetDouble(1), 3),
            ["workers"] = reader.GetInt64(3),
        });
    }

    private static async Task<IResult> RetryAsync(string eventId, NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        if (!Guid.TryParseExact(eventId, "D", out var id))
        {
            return Problems.Validation("eventId", "must be a UUID");
        }

        await using var command = dataSource.CreateCommand(
            "SELECT EXISTS (SELECT 1 FROM event_store.events WHERE event_id = @id), (SELECT status FROM event_store.processing_status WHERE event_id = @id)");
        command.Parameters.AddWithValue("id", id);
        bool exists;
        string? status;
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            await reader.ReadAsync(cancellationToken);
            exists = reader.GetBoolean(0);
            status = reader.IsDBNull(1) ? null : reader.GetString(1);
        }

        if (!exists)
        {
            return Problems.Problem(StatusCodes.Status404NotFound, "Event not found", $"no event {eventId}");
        }

        await using var requeue = dataSource.CreateCommand(
            "UPDATE event_store.processing_status SET status = 'pending', attempts = 0, next_retry = now(), error_message = NULL WHERE event_id = @id AND status IN ('failed', 'dead_lettered')");
        requeue.Parameters.AddWithValue("id", id);
        if (await requeue.ExecuteNonQueryAsync(cancellationToken) == 0)
        {
            return Problems.Problem(StatusCodes.Status409Conflict, "Event is not failed", $"event {eventId} is {status ?? "pending"}; only failed or dead-lettered events can be retried");
        }

        return TypedResults.Accepted((string?)null, new JsonObject { ["eventId"] = eventId, ["status"] = "pending" });
    }
}
