using EventSourcing.Api.Security;
using Microsoft.Extensions.Configuration;

namespace EventSourcing.Tests.Security;

[Trait("Category", "Unit")]
public sealed class JwtSettingsTests
{
    [Fact]
    public void The_published_development_secret_is_refused_outside_Development()
    {
        var error = Assert.Throws<InvalidOperationException>(() => JwtSettings.Read(Configuration(JwtSettings.DevelopmentSecret), isDevelopment: false));
        Assert.Contains("development secret", error.Message, StringComparison.Ordinal);
        Assert.NotNull(JwtSettings.Read(Configuration(JwtSettings.DevelopmentSecret), isDevelopment: true));
    }

    [Fact]
    public void Outside_Development_a_secret_of_at_least_32_bytes_is_required()
    {
        Assert.Throws<InvalidOperationException>(() => JwtSettings.Read(Configuration(null), isDevelopment: false));
        Assert.Throws<InvalidOperationException>(() => JwtSettings.Read(Configuration(new string('x', 31)), isDevelopment: false));
        Assert.Equal(32, JwtSettings.Read(Configuration(new string('x', 32)), isDevelopment: false).Secret.Length);
        Assert.Equal(JwtSettings.DevelopmentSecret.Length, JwtSettings.Read(Configuration(null), isDevelopment: true).Secret.Length);
    }

    private static IConfiguration Configuration(string? secret) =>
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["JWT_SECRET"] = secret }).Build();
}
