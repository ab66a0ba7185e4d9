namespace EventSourcing.Api.Security;

/// <summary>The contract's scopes, carried space-separated in the token's <c>scope</c> claim; each is a policy.</summary>
public static class Scopes
{
    public const string Read = "events:read";
    public const string Write = "events:write";
    public const string Admin = "events:admin";
    public static readonly string[] All = [Read, Write, Admin];
}
