using EventSourcing.Api.Http;
using EventSourcing.Api.Security;
using EventSourcing.Contracts;
using EventSourcing.Domain.ReadModels;
using EventSourcing.EventStore.Replays;
using Microsoft.AspNetCore.Http.HttpResults;

namespace EventSourcing.Api.ReadModels;

/// <summary>
/// Replay (admin): rebuild one read model, or all, from the full history into a fresh copy while the live one keeps
/// serving, then switch. The processor does the work; these endpoints queue it and report its progress.
/// </summary>
public static class ReadModelReplayApi
{
    private const string StatusRoute = "/api/v1/events/read-models/replays";

    private const string ReplayDescription = """
        The processor folds the full history into a fresh copy while the live model keeps serving and updating, catches up with
        what was appended meanwhile, then swaps the copy in (readers see the old model or the new one). Answers 202 with the
        replay's status URL; one replay per model at a time (409 otherwise).
        """;

    public static IEndpointRouteBuilder MapReadModelReplayApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/events/read-models").WithTags(ApiTags.ReadModels);
        api.MapPost("/{modelName}/replay", (string modelName, ReplayStore replays, TimeProvider clock, CancellationToken cancellationToken) =>
                ReplayAsync(modelName, replays, clock, cancellationToken))
            .RequireAuthorization(Scopes.Admin)
            .WithName("replayReadModel")
            .WithSummary("Rebuild one read model from the full history (blue/green)")
            .WithDescription(ReplayDescription)
            .WithParameters(ApiParameters.ModelName)
            .ProducesProblems(404, 409);
        api.MapPost("/replay", (ReplayStore replays, TimeProvider clock, CancellationToken cancellationToken) =>
                ReplayAsync(null, replays, clock, cancellationToken))
            .RequireAuthorization(Scopes.Admin)
            .WithName("replayAllReadModels")
            .WithSummary("Rebuild every read model from the full history (blue/green)")
            .WithDescription(ReplayDescription)
            .ProducesProblems(409);
        api.MapGet("/replays/{replayId:guid}", StatusAsync).RequireAuthorization(Scopes.Read)
            .WithName("getReplay")
            .WithSummary("A replay's progress")
            .WithDescription("Events done and total, progress, rate and ETA, documents written; `stalled` when its processor stopped (another takes it over).")
            .WithParameters(ApiParameters.ReplayId)
            .ProducesProblems(404);
        api.MapGet("/replays", RecentAsync).RequireAuthorization(Scopes.Read)
            .WithName("listReplays")
            .WithSummary("The 20 most recent replays");
        return app;
    }

    private static async Task<Results<Accepted<ReplayResponse>, ProblemHttpResult>> ReplayAsync(string? modelName, ReplayStore replays, TimeProvider clock,
        CancellationToken cancellationToken)
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
            : TypedResults.Accepted($"{StatusRoute}/{replay.ReplayId}", ToResponse(replay, clock.GetUtcNow()));
    }

    private static async Task<Results<Ok<ReplayResponse>, ProblemHttpResult>> StatusAsync(Guid replayId, ReplayStore replays, TimeProvider clock,
        CancellationToken cancellationToken) =>
        await replays.GetAsync(replayId, cancellationToken) is { } replay
            ? TypedResults.Ok(ToResponse(replay, clock.GetUtcNow()))
            : Problems.Problem(StatusCodes.Status404NotFound, "Replay not found", $"no replay '{replayId}'");

    private static async Task<Ok<ReplayListResponse>> RecentAsync(ReplayStore replays, TimeProvider clock, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var recent = await replays.RecentAsync(20, cancellationToken);
        return TypedResults.Ok(new ReplayListResponse([.. recent.Select(r => ToResponse(r, now))]));
    }

    private static ReplayResponse ToResponse(ReplayStatus replay, DateTimeOffset now)
    {
        // A running replay whose worker stopped heart-beating waits for another processor instance to take it over.
        var status = replay.Status == "running" && now - replay.UpdatedAt > ReplayStore.StaleAfter ? "stalled" : replay.Status;
        var progress = replay.EventsTotal == 0 ? (replay.Status == "completed" ? 1 : 0) : Math.Round((double)replay.EventsDone / replay.EventsTotal, 4);
        return new ReplayResponse(replay.ReplayId, replay.ModelNames, status, replay.CurrentModel, replay.ModelsDone, replay.EventsDone, replay.EventsTotal,
            progress, Math.Round(replay.Rate(now), 1), replay.EtaSeconds(now) is { } eta ? Math.Round(eta, 1) : null, replay.DocumentsWritten,
            replay.FailedAggregates, replay.Error, replay.RequestedAt, replay.StartedAt, replay.FinishedAt);
    }
}
