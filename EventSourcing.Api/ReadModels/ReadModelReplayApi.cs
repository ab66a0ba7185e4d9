using System.Text.Json.Nodes;
using EventSourcing.Api.Http;
using EventSourcing.Api.Security;
using EventSourcing.Domain.ReadModels;
using EventSourcing.EventStore.Replays;

namespace EventSourcing.Api.ReadModels;

/// <summary>
/// Replay (admin): rebuild one read model, or all, from the full history into a fresh copy while the live one keeps
/// serving, then switch. The processor does the work; these endpoints queue it and report its progress.
/// </summary>
public static class ReadModelReplayApi
{
    private const string StatusRoute = "/api/v1/events/read-models/replays";

    public static IEndpointRouteBuilder MapReadModelReplayApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/events/read-models").WithTags("Read models");
        api.MapPost("/{modelName}/replay", (string modelName, ReplayStore replays, TimeProvider clock, CancellationToken cancellationToken) =>
            ReplayAsync(modelName, replays, clock, cancellationToken))
            .RequireAuthorization(Scopes.Admin).WithSummary("Rebuild one read model from the full history (blue/green)");
        api.MapPost("/replay", (ReplayStore replays, TimeProvider clock, CancellationToken cancellationToken) =>
            ReplayAsync(null, replays, clock, cancellationToken))
            .RequireAuthorization(Scopes.Admin).WithSummary("Rebuild every read model from the full history (blue/green)");
        api.MapGet("/replays/{replayId:guid}", StatusAsync).RequireAuthorization(Scopes.Read).WithSummary("A replay's progress: events done / total, rate, ETA");
        api.MapGet("/replays", RecentAsync).RequireAuthorization(Scopes.Read).WithSummary("The 20 most recent replays");
        return app;
    }

    private static async Task<IResult> ReplayAsync(string? modelName, ReplayStore replays, TimeProvider clock, CancellationToken cancellationToken)
    {
        var models = modelName is null
            ? ReadModelCatalog.All.Select(p => p.ModelName).ToList()
            : ReadModelCatalog.All.Where(p => p.ModelName == modelName).Select(p => p.ModelName).ToList();
        if (models.Count == 0)
        {
            return Problems.Problem(StatusCodes.Status404NotFound, "Read model not found",
                $"no read model '{modelName}' (known: {string.Join(", ", ReadModelCatalog.All.Select(p => p.ModelName))})");
        }

        var (replay, busy) = await replays.RequestAsync(models, cancellationToken);
        return replay is null
            ? Problems.Problem(StatusCodes.Status409Conflict, "Replay already in progress", $"a replay of '{busy}' is already queued or running")
            : TypedResults.Accepted($"{StatusRoute}/{replay.ReplayId}", ToJson(replay, clock.GetUtcNow()));
    }

    private static async Task<IResult> StatusAsync(Guid replayId, ReplayStore replays, TimeProvider clock, CancellationToken cancellationToken) =>
        await replays.GetAsync(replayId, cancellationToken) is { } replay
            ? TypedResults.Ok(ToJson(replay, clock.GetUtcNow()))
            : Problems.Problem(StatusCodes.Status404NotFound, "Replay not found", $"no replay '{replayId}'");

    private static async Task<IResult> RecentAsync(ReplayStore replays, TimeProvider clock, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var recent = await replays.RecentAsync(20, cancellationToken);
        return TypedResults.Ok(new JsonObject { ["replays"] = new JsonArray([.. recent.Select(r => (JsonNode)ToJson(r, now))]) });
    }

    private static JsonObject ToJson(ReplayStatus replay, DateTimeOffset now)
    {
        // A running replay whose worker stopped heart-beating waits for another processor instance to take it over.
        var status = replay.Status == "running" && now - replay.UpdatedAt > ReplayStore.StaleAfter ? "stalled" : replay.Status;
        return new JsonObject
        {
            ["replayId"] = replay.ReplayId,
            ["models"] = new JsonArray([.. replay.ModelNames.Select(m => (JsonNode)m)]),
            ["status"] = status,
            ["currentModel"] = replay.CurrentModel,
            ["modelsDone"] = replay.ModelsDone,
            ["eventsDone"] = replay.EventsDone,
            ["eventsTotal"] = replay.EventsTotal,
            ["progress"] = replay.EventsTotal == 0 ? (replay.Status == "completed" ? 1 : 0) : Math.Round((double)replay.EventsDone / replay.EventsTotal, 4),
            ["eventsPerSecond"] = Math.Round(replay.Rate(now), 1),
            ["etaSeconds"] = replay.EtaSeconds(now) is { } eta ? Math.Round(eta, 1) : null,
            ["documentsWritten"] = replay.DocumentsWritten,
            ["failedAggregates"] = replay.FailedAggregates,
            ["error"] = replay.Error,
            ["requestedAt"] = EventSourcing.Domain.Events.EventJson.Timestamp(replay.RequestedAt),
            ["startedAt"] = replay.StartedAt is { } started ? EventSourcing.Domain.Events.EventJson.Timestamp(started) : null,
            ["finishedAt"] = replay.FinishedAt is { } finished ? EventSourcing.Domain.Events.EventJson.Timestamp(finished) : null,
        };
    }
}
