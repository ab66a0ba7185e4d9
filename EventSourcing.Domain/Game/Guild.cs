using EventSourcing.Domain.Aggregates;

namespace EventSourcing.Domain.Game;

public sealed record GuildFounded(string GuildId, string Name, string LeaderId);

public sealed record GuildMemberJoined(string PlayerId);

public sealed record GuildMemberLeft(string PlayerId);

public sealed record GuildLeaderChanged(string LeaderId);

public sealed record GuildContributionMade(string PlayerId, long Amount) : IValidatableEvent
{
    public IEnumerable<KeyValuePair<string, string>> Errors() => EventRules.Positive("amount", Amount);
}

public sealed class GuildState
{
    public string? GuildId { get; set; }
    public string? Name { get; set; }
    public string? LeaderId { get; set; }
    public List<string> Members { get; set; } = [];
    public long Treasury { get; set; }
}

/// <summary>A guild: its members, its leader (always a member) and its treasury.</summary>
public sealed class GuildAggregate : AggregateDefinition<GuildState>
{
    public GuildAggregate()
    {
        On<GuildFounded>((s, e) =>
        {
            (s.GuildId, s.Name) = (e.GuildId, e.Name);
            s.LeaderId ??= e.LeaderId;
            s.Members.AddOnce(e.LeaderId);
        });
        On<GuildMemberJoined>((s, e) => s.Members.AddOnce(e.PlayerId));
        On<GuildMemberLeft>((s, e) => s.Members.Remove(e.PlayerId));
        On<GuildLeaderChanged>((s, e) =>
        {
            s.LeaderId = e.LeaderId;
            s.Members.AddOnce(e.LeaderId);
        });
        On<GuildContributionMade>((s, e) => s.Treasury += e.Amount);
    }

    public override string AggregateType => "guild";
}
