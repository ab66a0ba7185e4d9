using Microsoft.Extensions.Configuration;

namespace EventSourcing.AppHost;

/// <summary>The seed's service settings, flowing from the AppHost's configuration/environment to the services.</summary>
public static class ServiceSettings
{
    /// <summary>Used only when JWT_SECRET is not set; the services accept it in Development alone.</summary>
    public const string DevelopmentJwtSecret = "development-only-secret-do-not-use-in-production!";

    private static readonly (string Name, string Default)[] Settings =
    [
        ("SNAPSHOT_INTERVAL", "100"),
        ("SNAPSHOT_RETENTION", "3"),
        ("PROCESSING_WORKERS", "10"),
        ("CONSUMER_GROUP", "event-sourcing-aggregates"),
        ("EVENT_STORE_SCHEMA", "event_store"),
    ];

    /// <summary>Finer settings, passed on only when the AppHost's configuration has them (tests shorten the retry backoff).</summary>
    private static readonly string[] OptionalSettings = ["Processing:FirstRetryDelayMs", "Processing:MaxAttempts"];

    public static IResourceBuilder<ProjectResource> WithServiceSettings(this IResourceBuilder<ProjectResource> builder, IConfiguration configuration)
    {
        foreach (var (name, fallback) in Settings)
        {
            builder.WithEnvironment(name, configuration[name] ?? fallback);
        }

        foreach (var key in OptionalSettings)
        {
            if (configuration[key] is { } value)
            {
                builder.WithEnvironment(key.Replace(":", "__", StringComparison.Ordinal), value);
            }
        }

        return builder;
    }

    /// <summary>The launch profile's http endpoint, on the seed's well-known port or (tests) one the orchestrator picks.</summary>
    public static IResourceBuilder<ProjectResource> WithWellKnownHttpPort(this IResourceBuilder<ProjectResource> builder, int? port) =>
        builder.WithEndpoint("http", endpoint => endpoint.Port = port);

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
