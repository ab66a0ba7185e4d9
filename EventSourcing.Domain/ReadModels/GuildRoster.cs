using System.Text.Json.Nodes;
using EventSourcing.Domain.Game;

namespace EventSourcing.Domain.ReadModels;

public sealed class GuildRoster
{
    public string? GuildId { get; set; }
    public string? Name { get; set; }
    public string? LeaderId { get; set; }
    public List<string> Members { get; set; } = [];
    public int MemberCount { get; set; }
    public long Treasury { get; set; }

    /// <summary>Total contributed per player (members who left keep their contributions).</summary>
    public Dictionary<string, long> Contributions { get; set; } = [];
    public string? TopContributor { get; set; }
}

/// <summary>guild_roster: members, leader, treasury and who contributed most.</summary>
public sealed class GuildRosterProjection : ReadModelProjection<GuildRoster>
{
    public GuildRosterProjection()
    {
        On<GuildFounded>((d, e, _) =>
        {
            (d.GuildId, d.Name) = (e.GuildId, e.Name);
            d.LeaderId ??= e.LeaderId;
            d.Members.AddOnce(e.LeaderId);
        });
        On<GuildMemberJoined>((d, e, _) => d.Members.AddOnce(e.PlayerId));
        On<GuildMemberLeft>((d, e, _) => d.Members.Remove(e.PlayerId));
        On<GuildLeaderChanged>((d, e, _) =>
        {
            d.LeaderId = e.LeaderId;
            d.Members.AddOnce(e.LeaderId);
        });
        On<GuildContributionMade>((d, e, _) =>
        {
            d.Contributions.AddTo(e.PlayerId, e.Amount);
            d.Treasury += e.Amount;
            if (d.TopContributor is null || d.Contributions[e.PlayerId] > d.Contributions.GetValueOrDefault(d.TopContributor))
            {
                d.TopContributor = e.PlayerId;
            }
        });
    }

    public override string ModelName => "guild_roster";

    public override string AggregateType => "guild";

    public override string IdOf(Guid aggregateId, JsonObject document) => NaturalIdOr(aggregateId, document, "guildId");

    protected override void Touch(GuildRoster document, Events.StoredEvent e) => document.MemberCount = document.Members.Count;
}
