using EventSourcing.Client;
using EventSourcing.Explorer.Auth;

namespace EventSourcing.Explorer.Tail;

/// <summary>
/// The live tail's feed for the Streams page's script: the events after a position (or since a time, before the first
/// one is seen), in global order, as JSON. The page polls it; the API is called with the session's token.
/// </summary>
public static class LiveTailApi
{
    private const int MaxEvents = 200;

    public sealed record TailEvent(long Position, Guid AggregateId, string AggregateType, long AggregateVersion, string EventType, DateTimeOffset OccurredAt);

    public sealed record TailPage(IReadOnlyList<TailEvent> Events, long? After);

    public static void MapLiveTail(this IEndpointRouteBuilder app) =>
        app.MapGet("/tail", async (long? after, DateTimeOffset? since, string? aggregateType, EventSourcingClient client, CancellationToken cancellationToken) =>
        {
            try
            {
                var page = await client.QueryEventsAsync(new EventQuery(after ?? 0, Blank(aggregateType), From: after is null ? since : null, Limit: MaxEvents),
                    cancellationToken);
                var events = page.Events.Select(e => new TailEvent(e.Position, e.AggregateId, e.AggregateType, e.AggregateVersion, e.EventType, e.OccurredAt)).ToList();
                return Results.Ok(new TailPage(events, events.Count > 0 ? events[^1].Position : after));
            }
            catch (TokenMissingException ex)
            {
                return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "No token", detail: ex.Message);
            }
            catch (EventSourcingApiException ex)
            {
                return Results.Problem(statusCode: ex.Status, title: ex.Problem?.Title ?? "The API refused", detail: ex.Message);
            }
        });

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
