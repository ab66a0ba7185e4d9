using Microsoft.Extensions.Configuration;

namespace EventSourcing.AppHost;

/// <summary>
/// The seed's settings and the JWT secret, as the services receive them. Run mode: the AppHost's configuration or
/// environment, else the seed's defaults. Publish mode: parameters whose defaults are the seed's, so the manifest never
/// carries values from the publishing shell's environment; the deployer sets them (azd: <c>azd env set</c>).
/// </summary>
public sealed class ServiceSettings
{
    /// <summary>Run mode only, when JWT_SECRET is unset; the API refuses it outside Development.</summary>
    public const string DevelopmentJwtSecret = "development-only-secret-do-not-use-in-production!";

    /// <summary>A deployment's secret when the deployer gives none: 64 letters and digits (at least 48 bytes).</summary>
    public const int GeneratedJwtSecretLength = 64;

    private static readonly (string Name, string Default)[] Seed =
    [
        ("SNAPSHOT_INTERVAL", "100"),
        ("SNAPSHOT_RETENTION", "3"),
        ("SNAPSHOT_MAX_AGE", "3600"),
        ("PROCESSING_WORKERS", "10"),
        ("CONSUMER_GROUP", "event-sourcing-aggregates"),
    ];

    /// <summary>Finer settings, passed on in run mode only when configured (tests shorten the retry backoff, the health checks' limits and the time the relay waits for Kafka).</summary>
    private static readonly string[] RunModeOnly =
    [
        "Processing:FirstRetryDelayMs", "Processing:MaxAttempts", "Processing:StallAfterSeconds", "EventStore:IntegrityCheckSeconds",
        "Kafka:Producer:message.timeout.ms",
    ];

    private readonly List<(string Name, object Value)> _values = [];

    private ServiceSettings(IResourceBuilder<ParameterResource> jwtSecret) => JwtSecret = jwtSecret;

    public IResourceBuilder<ParameterResource> JwtSecret { get; }

    public static ServiceSettings Add(IDistributedApplicationBuilder builder)
    {
        var publishing = builder.ExecutionContext.IsPublishMode;
        var settings = new ServiceSettings(publishing
            ? builder.AddParameter("jwt-secret", new GenerateParameterDefault { MinLength = GeneratedJwtSecretLength, Special = false }, secret: true)
            : builder.AddParameter("jwt-secret", () => builder.Configuration["JWT_SECRET"] ?? DevelopmentJwtSecret, secret: true));

        foreach (var (name, fallback) in Seed)
        {
            settings._values.Add(publishing
                ? (name, builder.AddParameter(name.ToLowerInvariant().Replace('_', '-'), fallback, publishValueAsDefault: true))
                : (name, builder.Configuration[name] ?? fallback));
        }

        foreach (var key in RunModeOnly.Where(_ => !publishing))
        {
            if (builder.Configuration[key] is { } value)
            {
                settings._values.Add((key.Replace(":", "__", StringComparison.Ordinal), value));
            }
        }

        return settings;
    }

    public void ApplyTo(IResourceBuilder<ProjectResource> project)
    {
        foreach (var (name, value) in _values)
        {
            switch (value)
            {
                case IResourceBuilder<ParameterResource> parameter:
                    project.WithEnvironment(name, parameter);
                    break;
                default:
                    project.WithEnvironment(name, (string)value);
                    break;
            }
        }
    }
}

public static class ServiceResourceExtensions
{
    public static IResourceBuilder<ProjectResource> WithServiceSettings(this IResourceBuilder<ProjectResource> builder, ServiceSettings settings)
    {
        settings.ApplyTo(builder);
        return builder;
    }

    /// <summary>
    /// After the schema exists: in run mode the migration runner completes first; a manifest has no run-once jobs and
    /// no start order, so there each service applies the migrations on startup (queued on an advisory lock, idempotent).
    /// </summary>
    public static IResourceBuilder<ProjectResource> AfterSchema(this IResourceBuilder<ProjectResource> builder, IResourceBuilder<ProjectResource>? migrations) =>
        migrations is not null
            ? builder.WaitForCompletion(migrations)
            : builder.WithEnvironment("EventStore__MigrateOnStartup", "true");

    /// <summary>
    /// Run mode: the seed's well-known port, or (null) one the orchestrator picks instead of the launch profile's.
    /// A manifest gets none: the platform's ingress owns ports (azd refuses a fixed port other than 80). A single
    /// instance on a well-known port listens on it itself: the orchestrator's proxy in front of it cost 52 µs of CPU per
    /// append (BENCHMARKS.md); several instances need the proxy to share the port.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithWellKnownHttpPort(this IResourceBuilder<ProjectResource> builder, int? port, int replicas = 1) =>
        builder.ApplicationBuilder.ExecutionContext.IsPublishMode ? builder : builder.WithEndpoint("http", endpoint =>
        {
            endpoint.Port = port;
            if (port is not null && replicas == 1)
            {
                endpoint.IsProxied = false;
                endpoint.TargetPort = port;
            }
        });

    /// <summary>
    /// Readiness from /ready (every dependency), liveness from /health (the process): the dashboard's health in run
    /// mode, the platform's probes where the publisher supports them (the v0 manifest has no field for probes).
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithHealthProbes(this IResourceBuilder<ProjectResource> builder)
    {
#pragma warning disable ASPIREPROBES001 // Experimental in Aspire 13; the alternative is a health check without any probe.
        return builder
            .WithHttpProbe(ProbeType.Readiness, "/ready", endpointName: "http")
            .WithHttpProbe(ProbeType.Liveness, "/health", endpointName: "http");
#pragma warning restore ASPIREPROBES001
    }

    /// <summary>
    /// Without a dashboard nothing listens on the OTLP endpoint Aspire still injects, and the exporters would keep
    /// retrying into the void (measured: a large share of the API's CPU). Blank it unless a collector is configured.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithTelemetryExport(this IResourceBuilder<ProjectResource> builder,
        IDistributedApplicationBuilder app, bool dashboardDisabled)
    {
        var collector = app.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"];
        if (dashboardDisabled || app.Configuration.GetValue<bool>("DisableDashboard"))
        {
            builder.WithEnvironment("OTEL_EXPORTER_OTLP_ENDPOINT", collector ?? "");
        }

        return builder;
    }
}
