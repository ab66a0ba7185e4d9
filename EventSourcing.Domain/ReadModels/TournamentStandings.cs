using System.Text.Json.Nodes;
using EventSourcing.Domain.Game;

namespace EventSourcing.Domain.ReadModels;

public sealed class TournamentStanding
{
    public required string PlayerId { get; set; }
    public int Wins { get; set; }
    public int Losses { get; set; }
    public bool Eliminated { get; set; }
}

public sealed class TournamentStandings
{
    public string? TournamentId { get; set; }
    public string? Name { get; set; }
    public string Status { get; set; } = "registration";
    public int MaxParticipants { get; set; }
    public int CurrentRound { get; set; }
    public int MatchesPlayed { get; set; }

    /// <summary>Most wins first, then fewest losses, then player id.</summary>
    public List<TournamentStanding> Standings { get; set; } = [];
    public string? WinnerId { get; set; }
}

/// <summary>tournament_standings: wins and losses per player (single elimination: a loss eliminates), the champion.</summary>
public sealed class TournamentStandingsProjection : ReadModelProjection<TournamentStandings>
{
    public TournamentStandingsProjection()
    {
        On<TournamentCreated>((d, e, _) => (d.TournamentId, d.Name, d.MaxParticipants) = (e.TournamentId, e.Name, e.MaxParticipants));
        On<TournamentPlayerRegistered>((d, e, _) => Standing(d, e.PlayerId));
        On<TournamentMatchPlayed>((d, e, _) =>
        {
            Standing(d, e.WinnerId).Wins++;
            var loser = Standing(d, e.LoserId);
            (loser.Losses, loser.Eliminated) = (loser.Losses + 1, true);
            d.MatchesPlayed++;
            d.CurrentRound = Math.Max(d.CurrentRound, e.Round);
            d.Status = d.Status == "registration" ? "in_progress" : d.Status;
        });
        On<TournamentCompleted>((d, e, _) =>
        {
            (d.Status, d.WinnerId) = ("completed", e.WinnerId);
            Standing(d, e.WinnerId);
        });
    }

    public override string ModelName => "tournament_standings";

    public override string AggregateType => "tournament";

    public override string IdOf(Guid aggregateId, JsonObject document) => NaturalIdOr(aggregateId, document, "tournamentId");

    protected override void Touch(TournamentStandings document, Events.StoredEvent e) =>
        document.Standings.Sort((a, b) => (b.Wins, a.Losses).CompareTo((a.Wins, b.Losses)) is var order and not 0 ? order : string.CompareOrdinal(a.PlayerId, b.PlayerId));

    private static TournamentStanding Standing(TournamentStandings d, string playerId)
    {
        var standing = d.Standings.Find(s => s.PlayerId == playerId);
        if (standing is null)
        {
            standing = new TournamentStanding { PlayerId = playerId };
            d.Standings.Add(standing);
        }

        return standing;
    }
}
