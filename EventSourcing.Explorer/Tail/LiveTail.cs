using EventSourcing.Client;
using EventSourcing.Explorer.Auth;
using Polly.Timeout;

namespace EventSourcing.Explorer.Tail;

/// <summary>
/// The live tail's feed for the Streams page's script: the events after a position (or since a time, before the first
/// one is seen), in global order, as JSON. The page polls it; the API is called with the session's token. Always a 200
/// with a status ("live" or why not), so a refused token or an outage shows on the page, not as failed requests.
/// </summary>
public static class LiveTailApi
{
    private const int MaxEvents = 200;

    public sealed record TailEvent(long Position, Guid AggregateId, string AggregateType, long AggregateVersion, string EventType, DateTimeOffset OccurredAt);

    public sealed record TailPage(string Status, IReadOnlyList<TailEvent> Events, long? After);

    public static void MapLiveTail(this IEndpointRouteBuilder app) =>
        app.MapGet("/tail", async (string? after, string? since, string? aggregateType, EventSourcingClient client, CancellationToken cancellationToken) =>
        {
            long? position = long.TryParse(after, out var p) ? p : null;
            DateTimeOffset? from = DateTimeOffset.TryParse(since, System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.AssumeUniversal, out var t) ? t : null;
            try
            {
                var page = await client.QueryEventsAsync(
                    new EventQuery(position ?? 0, string.IsNullOrWhiteSpace(aggregateType) ? null : aggregateType, From: position is null ? from : null, Limit: MaxEvents),
                    cancellationToken);
                var events = page.Events.Select(e => new TailEvent(e.Position, e.AggregateId, e.AggregateType, e.AggregateVersion, e.EventType, e.OccurredAt)).ToList();
                return new TailPage("live", events, events.Count > 0 ? events[^1].Position : position);
            }
            catch (TokenMissingException)
            {
                return new TailPage("no token", [], position);
            }
            catch (EventSourcingApiException ex)
            {
                return new TailPage($"refused {ex.Status}", [], position);
            }
            catch (Exception ex) when (ex is HttpRequestException or TimeoutRejectedException)
            {
                return new TailPage("unreachable", [], position);
            }
        });
}
