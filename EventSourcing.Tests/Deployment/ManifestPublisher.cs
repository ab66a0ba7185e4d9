using System.Diagnostics;
using System.Reflection;
using System.Text.Json;

namespace EventSourcing.Tests.Deployment;

/// <summary>Runs the AppHost's manifest publisher (as azd does) and hands back what it wrote.</summary>
public static class ManifestPublisher
{
    public sealed record Result(int ExitCode, string Output, JsonElement? Manifest, string? Text)
    {
        public JsonElement Resources => Manifest?.GetProperty("resources") ?? throw new InvalidOperationException("no manifest: " + Output);

        public JsonElement Resource(string name) =>
            Resources.TryGetProperty(name, out var resource) ? resource : throw new InvalidOperationException($"the manifest has no resource '{name}'");
    }

    public static async Task<Result> PublishAsync(string[] args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var output = Path.Combine(Path.GetTempPath(), $"manifest-{Guid.NewGuid():N}.json");
        var configuration = typeof(ManifestPublisher).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[] { "run", "--no-build", "-c", configuration, "--no-launch-profile", "--project", Path.Combine(RepositoryRoot(), "EventSourcing.AppHost"), "--", "--publisher", "manifest", "--output-path", output }.Concat(args))
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["ASPIRE_ALLOW_UNSECURED_TRANSPORT"] = "true";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        var log = await stdout + await stderr;
        if (process.ExitCode != 0 || !File.Exists(output))
        {
            return new Result(process.ExitCode, log, null, null);
        }

        var text = await File.ReadAllTextAsync(output);
        File.Delete(output);
        return new Result(process.ExitCode, log, JsonDocument.Parse(text).RootElement.Clone(), text);
    }

    public static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "EventSourcing.Aspire.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("EventSourcing.Aspire.sln not found above the test folder");
    }
}
