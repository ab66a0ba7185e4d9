using System.Text;
using Microsoft.IdentityModel.Tokens;

namespace EventSourcing.Api.Security;

/// <summary>JWT_SECRET (HS256), and JWT_ISSUER / JWT_AUDIENCE when configured.</summary>
public sealed record JwtSettings(byte[] Secret, string? Issuer, string? Audience)
{
    public const int MinimumSecretBytes = 32;

    /// <summary>Accepted in Development only, so that a fresh clone runs without setup.</summary>
    public const string DevelopmentSecret = "development-only-secret-do-not-use-in-production!";

    public SymmetricSecurityKey SigningKey => new(Secret);

    public static JwtSettings Read(IConfiguration configuration, bool isDevelopment)
    {
        var secret = configuration["JWT_SECRET"];
        if (string.IsNullOrEmpty(secret) && isDevelopment)
        {
            secret = DevelopmentSecret;
        }

        if (string.IsNullOrEmpty(secret) || Encoding.UTF8.GetByteCount(secret) < MinimumSecretBytes)
        {
            throw new InvalidOperationException(
                $"JWT_SECRET must be set to at least {MinimumSecretBytes} bytes outside Development; refusing to start.");
        }

        // Published in this repository: anyone could mint tokens with it.
        if (secret == DevelopmentSecret && !isDevelopment)
        {
            throw new InvalidOperationException(
                "JWT_SECRET is the published development secret; set a secret of your own outside Development. Refusing to start.");
        }

        return new JwtSettings(Encoding.UTF8.GetBytes(secret), NullIfEmpty(configuration["JWT_ISSUER"]), NullIfEmpty(configuration["JWT_AUDIENCE"]));
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
