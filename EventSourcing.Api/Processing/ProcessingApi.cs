using System.Text.Json.Nodes;
using EventSourcing.Api.Http;
using EventSourcing.Api.Security;
using EventSourcing.Core.Processing;
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
        var summary = await ProcessingSummary.ReadAsync(dataSource, cancellationToken);
        return TypedResults.Ok(new JsonObject
        {
            ["pending"] = summary.Pending,
            ["processing"] = summary.Processing,
            ["processed"] = summary.Processed,
            ["failed"] = summary.Failed,
            ["deadLettered"] = summary.DeadLettered,
            ["consumerLag"] = summary.ConsumerLag,
            ["relayBacklog"] = summary.RelayBacklog,
            ["oldestPendingAgeSeconds"] = Math.Round(summary.OldestPendingAge.TotalSeconds, 3),
            ["workers"] = summary.Workers,
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
