using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace EventSourcing.AppHost.Dashboard;

/// <summary>
/// Bearer tokens the AppHost signs with the API's own secret (HS256, the shape the API's mint-token command gives) for
/// what it runs itself: the simulator's token and the dashboard commands' admin token. Run mode only: a deployment's
/// callers get their tokens from the deployer's identity provider.
/// </summary>
public static class RunModeTokens
{
    public static string Mint(string secret, IEnumerable<string> scopes, string subject, TimeSpan lifetime, DateTimeOffset now)
    {
        var header = Encode(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["alg"] = "HS256", ["typ"] = "JWT" }));
        var claims = Encode(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["sub"] = subject,
            ["scope"] = string.Join(' ', scopes),
            ["iat"] = now.ToUnixTimeSeconds(),
            ["nbf"] = now.ToUnixTimeSeconds(),
            ["exp"] = now.Add(lifetime).ToUnixTimeSeconds(),
        }));
        var signature = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.ASCII.GetBytes($"{header}.{claims}"));
        return $"{header}.{claims}.{Encode(signature)}";
    }

    /// <summary>
    /// Gives a project a token with <paramref name="scopes"/> in <c>EventSourcing__Client__Token</c> (the client's setting),
    /// signed when the project starts and valid for 7 days.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithRunModeToken(this IResourceBuilder<ProjectResource> project, ServiceSettings settings,
        IEnumerable<string> scopes, string subject) =>
        project.WithEnvironment(async context =>
        {
            var secret = await settings.JwtSecret.Resource.GetValueAsync(context.CancellationToken)
                ?? throw new InvalidOperationException("The jwt-secret parameter has no value.");
            context.EnvironmentVariables["EventSourcing__Client__Token"] = Mint(secret, scopes, subject, TimeSpan.FromDays(7), DateTimeOffset.UtcNow);
        });

    private static string Encode(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
