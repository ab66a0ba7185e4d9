using EventSourcing.Api.Http;
using EventSourcing.Api.Security;
using EventSourcing.Contracts;
using EventSourcing.Domain.Events;
using EventSourcing.EventStore.Processing;
using Microsoft.AspNetCore.Http.HttpResults;

namespace EventSourcing.Api.Processing;

/// <summary>Processing status (counts, lag, oldest pending, workers) and the manual retry of a failed event.</summary>
public static class ProcessingApi
{
    public static IEndpointRouteBuilder MapProcessingApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/events/processing").WithTags(ApiTags.Processing);
        api.MapGet("/status", StatusAsync).RequireAuthorization(Scopes.Read)
            .WithName("getProcessingStatus")
            .WithSummary("Processing counts, consumer lag, oldest pending age, workers")
            .WithDescription("Computed from counters and small sets, so it costs the same at ten events or ten million.");
        api.MapGet("/failed", FailedAsync).RequireAuthorization(Scopes.Read)
            .WithName("listFailedEvents")
            .WithSummary("Failed and dead-lettered events with their error")
            .WithDescription("Oldest attempt first; `status` narrows it to failed (waiting for a retry) or dead_lettered (given up on).")
            .WithParameters(ApiParameters.FailedStatus, ApiParameters.Limit)
            .ProducesProblems(400);
        api.MapPost("/retry/{eventId}", RetryAsync).RequireAuthorization(Scopes.Admin)
            .WithName("retryEvent")
            .WithSummary("Queue a failed or dead-lettered event again")
            .WithDescription("The event is processed again with a fresh attempt count; 409 when it is not failed or dead-lettered.")
            .WithParameters(ApiParameters.EventId)
            .ProducesProblems(400, 404, 409);
        api.MapPost("/dead-lettered/retry", RetryDeadLetteredAsync).RequireAuthorization(Scopes.Admin)
            .WithName("retryDeadLetteredEvents")
            .WithSummary("Queue every dead-lettered event again")
            .WithDescription("What an operator does once the cause is fixed: each is processed again with a fresh attempt count.");
        return app;
    }

    private static async Task<Accepted<RetryAllResponse>> RetryDeadLetteredAsync(ProcessingStatusStore statuses, CancellationToken cancellationToken) =>
        TypedResults.Accepted((string?)null, new RetryAllResponse(await statuses.RequeueAllAsync(ProcessingState.DeadLettered, cancellationToken)));

    private static async Task<Ok<ProcessingStatusResponse>> StatusAsync(ProcessingStatusStore statuses, ConsumerGroupLag lag, CancellationToken cancellationToken)
    {
        var s = await statuses.SummaryAsync(await lag.ReadAsync(cancellationToken), cancellationToken);
        return TypedResults.Ok(new ProcessingStatusResponse(s.Pending, s.Processing, s.Processed, s.Failed, s.DeadLettered, s.ConsumerLag, s.RelayBacklog,
            Math.Round(s.OldestPendingAge.TotalSeconds, 3), s.Workers));
    }

    private static async Task<Results<Ok<FailedEventListResponse>, ProblemHttpResult>> FailedAsync(HttpRequest request, ProcessingStatusStore statuses,
        CancellationToken cancellationToken)
    {
        var query = new QueryReader(request.Query);
        var status = query.Text(ApiParameters.FailedStatus);
        if (status is not null && !ApiParameters.FailedStatus.Choices!.Contains(status))
        {
            query.Error(ApiParameters.FailedStatus.Name, "must be one of " + string.Join(", ", ApiParameters.FailedStatus.Choices!));
        }

        var limit = query.Limit();
        if (query.HasErrors)
        {
            return Problems.Validation(query.Errors);
        }

        var failed = await statuses.ListFailedAsync(status is null ? null : ProcessingStatusStore.Parse(status), limit, cancellationToken);
        return TypedResults.Ok(new FailedEventListResponse([.. failed.Select(f => new FailedEvent(f.EventId, f.AggregateId, f.AggregateType,
            f.AggregateVersion, f.EventType, ProcessingStatusStore.Text(f.State), f.Attempts, f.Error, f.LastAttempt, f.NextRetry))]));
    }

    private static async Task<Results<Accepted<RetryResponse>, ProblemHttpResult>> RetryAsync(string eventId, ProcessingStatusStore statuses,
        CancellationToken cancellationToken)
    {
        if (!Guid.TryParseExact(eventId, "D", out var id))
        {
            return Problems.Validation("eventId", EventNames.NotAUuid);
        }

        return await statuses.RequeueAsync(id, cancellationToken) switch
        {
            (RequeueResult.NotFound, _) => Problems.Problem(StatusCodes.Status404NotFound, "Event not found", $"no event {eventId}"),
            (RequeueResult.NotFailed, var state) => Problems.Problem(StatusCodes.Status409Conflict, "Event is not failed",
                $"event {eventId} {(state is { } found ? $"is {ProcessingStatusStore.Text(found)}" : "has no failed attempt (it is processed or not processed yet)")}; only failed or dead-lettered events can be retried"),
            _ => TypedResults.Accepted((string?)null, new RetryResponse(id, ProcessingStatusStore.Text(ProcessingState.Pending))),
        };
    }
}
