using System.Text.Json.Nodes;
using EventSourcing.Api.Http;
using EventSourcing.Api.Security;
using EventSourcing.Domain.Events;
using EventSourcing.EventStore.Processing;

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

    private static async Task<IResult> StatusAsync(ProcessingStatusStore statuses, CancellationToken cancellationToken)
    {
        var summary = await statuses.SummaryAsync(cancellationToken);
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

    private static async Task<IResult> RetryAsync(string eventId, ProcessingStatusStore statuses, CancellationToken cancellationToken)
    {
        if (!Guid.TryParseExact(eventId, "D", out var id))
        {
            return Problems.Validation("eventId", EventNames.NotAUuid);
        }

        return await statuses.RequeueAsync(id, cancellationToken) switch
        {
            (RequeueResult.NotFound, _) => Problems.Problem(StatusCodes.Status404NotFound, "Event not found", $"no event {eventId}"),
            (RequeueResult.NotFailed, var state) => Problems.Problem(StatusCodes.Status409Conflict, "Event is not failed",
                $"event {eventId} is {ProcessingStatusStore.Text(state)}; only failed or dead-lettered events can be retried"),
            _ => TypedResults.Accepted((string?)null, new JsonObject { ["eventId"] = eventId, ["status"] = ProcessingStatusStore.Text(ProcessingState.Pending) }),
        };
    }
}
