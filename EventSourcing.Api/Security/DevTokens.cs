using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace EventSourcing.Api.Security;

/// <summary>
/// Mints HS256 tokens for local use: <c>dotnet run --project EventSourcing.Api --no-launch-profile -- mint-token --scope "events:read"</c>.
/// </summary>
public static class DevTokens
{
    public static string Mint(JwtSettings settings, IEnumerable<string> scopes, TimeSpan lifetime, DateTimeOffset now, string subject = "dev")
    {
        var descriptor = new SecurityTokenDescriptor
        {
            Subject = new ClaimsIdentity([new Claim("sub", subject), new Claim("scope", string.Join(' ', scopes))]),
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = (now + lifetime).UtcDateTime,
            Issuer = settings.Issuer,
            Audience = settings.Audience,
            SigningCredentials = new SigningCredentials(settings.SigningKey, SecurityAlgorithms.HmacSha256),
        };
        return new JsonWebTokenHandler().CreateToken(descriptor);
    }

    /// <summary>Handles <c>mint-token [--scope "a b"] [--minutes N]</c>; returns false when args ask for something else.</summary>
    public static bool TryRunCommand(string[] args, IConfiguration configuration)
    {
        if (args.Length == 0 || args[0] != "mint-token")
        {
            return false;
        }

        string Option(string name, string fallback) =>
            Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;

        // A developer minting a token on their own machine: the development secret is allowed here.
        var settings = JwtSettings.Read(configuration, isDevelopment: true);
        var scopes = Option("--scope", string.Join(' ', Scopes.All)).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var minutes = int.Parse(Option("--minutes", "60"), System.Globalization.CultureInfo.InvariantCulture);
        Console.WriteLine(Mint(settings, scopes, TimeSpan.FromMinutes(minutes), DateTimeOffset.UtcNow));
        return true;
    }
}
