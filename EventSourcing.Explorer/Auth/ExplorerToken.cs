using System.Text;
using System.Text.Json;

namespace EventSourcing.Explorer.Auth;

/// <summary>No token yet: the user must paste one (or the AppHost give one in development).</summary>
public sealed class TokenMissingException() : InvalidOperationException("No API token: paste one on the Token page.");

/// <summary>
/// The bearer token the explorer calls the API with: the one pasted into this browser's session, else the configured
/// one (the AppHost mints it from JWT_SECRET in development). The API checks the scopes: reading needs events:read,
/// retries and replays events:admin.
/// </summary>
public sealed class ExplorerToken(IHttpContextAccessor http, IConfiguration configuration)
{
    private const string SessionKey = "explorer.token";

    public string? Configured => configuration["EventSourcing:Client:Token"] is { Length: > 0 } token ? token : null;

    public string? Current => http.HttpContext?.Session.GetString(SessionKey) ?? Configured;

    public ValueTask<string> CurrentAsync(CancellationToken cancellationToken) => ValueTask.FromResult(Current ?? throw new TokenMissingException());

    public static void Set(HttpContext context, string token) => context.Session.SetString(SessionKey, token.Trim());

    public static void Clear(HttpContext context) => context.Session.Remove(SessionKey);

    /// <summary>The subject and scopes the token claims (read, not verified: the API verifies it on every call).</summary>
    public static (string? Subject, string? Scopes) Describe(string? token)
    {
        var parts = token?.Split('.');
        if (parts is not { Length: 3 })
        {
            return (null, null);
        }

        try
        {
            var padded = parts[1].Replace('-', '+').Replace('_', '/');
            padded += new string('=', (4 - (padded.Length % 4)) % 4);
            using var claims = JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(padded)));
            return (Claim(claims.RootElement, "sub"), Claim(claims.RootElement, "scope"));
        }
        catch (Exception ex) when (ex is FormatException or JsonException)
        {
            return (null, null);
        }
    }

    private static string? Claim(JsonElement claims, string name) =>
        claims.ValueKind == JsonValueKind.Object && claims.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
