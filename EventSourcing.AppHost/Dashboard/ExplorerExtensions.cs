using EventSourcing.AppHost.Infrastructure;

namespace EventSourcing.AppHost.Dashboard;

/// <summary>The event explorer: streams, states through time, read models, processing and analytics in a browser.</summary>
public static class ExplorerExtensions
{
    public const int ExplorerPort = 8084;

    private static readonly string[] OperatorScopes = ["events:read", "events:admin"];

    /// <summary>
    /// Run mode: on http://localhost:8084 (with fixed ports), with an operator's token signed from JWT_SECRET and links to
    /// the dashboard's traces. Not published: a deployment's operators run it against the API with their own token.
    /// </summary>
    public static void AddEventExplorer(this IDistributedApplicationBuilder builder, IResourceBuilder<ProjectResource> api,
        ServiceSettings settings, InfrastructureSettings infrastructure, bool withoutDashboard)
    {
        if (!builder.ExecutionContext.IsRunMode)
        {
            return;
        }

        var explorer = builder.AddProject<Projects.EventSourcing_Explorer>("explorer")
            .WithReference(api)
            .WaitFor(api)
            .WithRunModeToken(settings, OperatorScopes, "event-explorer")
            .WithTelemetryExport(builder, withoutDashboard)
            .WithWellKnownHttpPort(infrastructure.Port(ExplorerPort))
            .WithHttpHealthCheck("/health");
        if (!withoutDashboard && builder.Configuration["ASPNETCORE_URLS"]?.Split(';')[0] is { Length: > 0 } dashboard)
        {
            explorer.WithEnvironment("Explorer__DashboardUrl", dashboard);
        }
    }
}
