using Microsoft.Extensions.Configuration;

namespace EventSourcing.AppHost.Dashboard;

/// <summary>The optional game simulator: a small game played through EventSourcing.Client, so a newcomer's dashboard has live traffic.</summary>
public static class SimulatorExtensions
{
    public const string EnabledKey = "Simulator:Enabled";

    private static readonly string[] PlayerScopes = ["events:read", "events:write"];

    /// <summary>Run mode with <c>Simulator:Enabled=true</c> (<c>scripts/run.sh --with-simulator</c>); a deployment never gets it.</summary>
    public static void AddGameSimulator(this IDistributedApplicationBuilder builder, IResourceBuilder<ProjectResource> api,
        ServiceSettings settings, bool withoutDashboard)
    {
        if (!builder.ExecutionContext.IsRunMode || !builder.Configuration.GetValue<bool>(EnabledKey))
        {
            return;
        }

        var simulator = builder.AddProject<Projects.EventSourcing_GameSimulator>("simulator")
            .WithReference(api)
            .WaitFor(api)
            .WithTelemetryExport(builder, withoutDashboard)
            // A game service's token: it appends and reads, it cannot replay or requeue.
            .WithRunModeToken(settings, PlayerScopes, "game-simulator");

        // Simulator:EventsPerSecond, Servers, Seed from the AppHost's configuration (command line or environment).
        foreach (var setting in builder.Configuration.GetSection("Simulator").GetChildren().Where(s => s.Key != "Enabled" && s.Value is not null))
        {
            simulator.WithEnvironment($"Simulator__{setting.Key}", setting.Value);
        }
    }
}
