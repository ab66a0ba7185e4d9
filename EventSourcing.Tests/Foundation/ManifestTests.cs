using System.Diagnostics;
using System.Reflection;
using System.Text.Json;

namespace EventSourcing.Tests.Foundation;

/// <summary>The Aspire manifest (for azd / manifest-based deployment) names every resource of the containers graph.</summary>
public sealed class ManifestTests
{
    [Fact]
    public async Task The_manifest_names_every_resource()
    {
        var root = RepositoryRoot();
        var output = Path.Combine(Path.GetTempPath(), $"manifest-{Guid.NewGuid():N}.json");
        var configuration = typeof(ManifestTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { "run", "--no-build", "-c", configuration, "--no-launch-profile", "--project", Path.Combine(root, "EventSourcing.AppHost"), "--", "--publisher", "manifest", "--output-path", output },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["ASPIRE_ALLOW_UNSECURED_TRANSPORT"] = "true";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"manifest publisher failed: {await stdout}\n{await stderr}");

        using var manifest = JsonDocument.Parse(await File.ReadAllTextAsync(output));
        var resources = manifest.RootElement.GetProperty("resources");
        foreach (var name in new[] { "postgres", "eventstore", "redis", "kafka", "migrations", "api", "processor" })
        {
            Assert.True(resources.TryGetProperty(name, out _), $"manifest lacks {name}");
        }

        Assert.Equal("container.v0", resources.GetProperty("kafka").GetProperty("type").GetString());
        var apiEnv = resources.GetProperty("api").GetProperty("env");
        Assert.Equal("{eventstore.connectionString}", apiEnv.GetProperty("ConnectionStrings__eventstore").GetString());
        Assert.Equal("{kafka.connectionString}", apiEnv.GetProperty("ConnectionStrings__kafka").GetString());
        File.Delete(output);
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "EventSourcing.Aspire.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("EventSourcing.Aspire.sln not found above the test folder");
    }
}
