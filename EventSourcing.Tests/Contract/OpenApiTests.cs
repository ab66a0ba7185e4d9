using System.Diagnostics;
using EventSourcing.Tests.Deployment;
using Xunit.Abstractions;

namespace EventSourcing.Tests.Contract;

/// <summary>
/// The OpenAPI document the API serves is a product of its own: third-party tools read it as a user would, a linter
/// (redocly, recommended rules) and a client generator (NSwag) whose client is compiled and used against the graph.
/// </summary>
[Collection(GraphCollection.Name)]
public sealed class OpenApiTests(GraphFixture graph, ITestOutputHelper output)
{
    [Fact]
    public async Task Redocly_finds_no_error_and_no_warning_in_the_served_document()
    {
        var document = await ServedDocumentAsync();
        var redocly = Path.Combine(ManifestPublisher.RepositoryRoot(), ".tools", "redocly", "node_modules", ".bin", "redocly");
        Assert.True(File.Exists(redocly), "redocly is not installed: scripts/prerequisites.sh --tests");
        var (exit, text) = await RunAsync(redocly, ManifestPublisher.RepositoryRoot(),
            "lint", document, "--config", Path.Combine(ManifestPublisher.RepositoryRoot(), "redocly.yaml"), "--format=stylish");
        output.WriteLine(text);
        Assert.Equal(0, exit);
        Assert.Contains("Your API description is valid", text, StringComparison.Ordinal);
        Assert.DoesNotContain("warning", text.Split('\n').Where(l => !l.Contains("Node.js", StringComparison.Ordinal)), StringComparer.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_client_generated_from_the_served_document_appends_the_seed_event_and_reads_the_state_back()
    {
        var document = await ServedDocumentAsync();
        var project = Directory.CreateTempSubdirectory("nswag-client-").FullName;
        try
        {
            // The two commands of the README.
            var (generated, log) = await RunAsync("dotnet", ManifestPublisher.RepositoryRoot(), "tool", "run", "nswag", "openapi2csclient",
                $"/input:{document}", $"/output:{Path.Combine(project, "EventSourcingClient.cs")}", "/namespace:Game.EventStore", "/className:EventSourcingClient",
                "/jsonLibrary:SystemTextJson");
            Assert.True(generated == 0, log);
            await File.WriteAllTextAsync(Path.Combine(project, "Client.csproj"), """
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup><OutputType>Exe</OutputType><TargetFramework>net10.0</TargetFramework><ImplicitUsings>enable</ImplicitUsings></PropertyGroup>
                </Project>
                """);
            await File.WriteAllTextAsync(Path.Combine(project, "Program.cs"), """
                using Game.EventStore;
                var http = new HttpClient();
                http.DefaultRequestHeaders.Authorization = new("Bearer", args[1]);
                var api = new EventSourcingClient(http) { BaseUrl = args[0] };
                var id = Guid.Parse(args[2]);
                var request = new AppendEventRequest
                {
                    AggregateId = id, AggregateType = "player", EventType = "PlayerLevelUp",
                    Payload = new FreeJsonObject { AdditionalProperties = { ["newLevel"] = 25, ["experienceGained"] = 1500 } },
                };
                var stored = await api.AppendEventAsync(request);
                Console.WriteLine($"stored version={stored.AggregateVersion} type={stored.EventType} position>0={stored.Position > 0}");
                var state = await api.GetAggregateAsync("player", id, atVersion: null);
                Console.WriteLine($"state version={state.CurrentVersion} level={state.State.AdditionalProperties["level"]} experience={state.State.AdditionalProperties["experience"]}");
                try
                {
                    request.ExpectedVersion = 0;
                    await api.AppendEventAsync(request);
                    Console.WriteLine("conflict none");
                }
                catch (ApiException conflict)
                {
                    Console.WriteLine($"conflict status={conflict.StatusCode}");
                }
                """);
            var api = graph.CreateHttpClient("api").BaseAddress!.ToString().TrimEnd('/');
            var id = Guid.NewGuid();
            var (ran, result) = await RunAsync("dotnet", project, "run", "--", api, ApiClient.Token(), id.ToString());
            output.WriteLine(result);
            Assert.True(ran == 0, result);
            Assert.Contains("stored version=1 type=PlayerLevelUp position>0=True", result, StringComparison.Ordinal);
            Assert.Contains("state version=1 level=25 experience=1500", result, StringComparison.Ordinal);
            Assert.Contains("conflict status=409", result, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(project, recursive: true);
        }
    }

    /// <summary>The document as the API serves it, saved for the tools.</summary>
    private async Task<string> ServedDocumentAsync()
    {
        using var http = graph.CreateHttpClient("api");
        var response = await http.GetAsync(new Uri("/openapi/v1.json", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var path = Path.Combine(Path.GetTempPath(), $"openapi-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(path, await response.Content.ReadAsStringAsync());
        return path;
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string file, string workingDirectory, params string[] args)
    {
        var start = new ProcessStartInfo(file) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}
