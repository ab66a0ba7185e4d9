using EventSourcing.AppHost;
using EventSourcing.AppHost.Infrastructure;

// --no-dashboard: for benchmarks, where the dashboard's telemetry ingestion would compete for the same two cores.
var withoutDashboard = args.Contains("--no-dashboard");
var builder = DistributedApplication.CreateBuilder(new DistributedApplicationOptions
{
    Args = args,
    DisableDashboard = withoutDashboard,
});

// Containers when a runtime answers, the machine's own servers when none does, or configured connection strings.
var infrastructure = InfrastructureSettings.Read(builder);

var eventStore = builder.AddEventStoreDatabase(infrastructure);
var redis = builder.AddRedisCache(infrastructure);
var kafka = builder.AddKafkaBroker(infrastructure);

var jwtSecret = builder.AddParameter("jwt-secret",
    () => builder.Configuration["JWT_SECRET"] ?? ServiceSettings.DevelopmentJwtSecret, secret: true);

var migrations = builder.AddProject<Projects.EventSourcing_MigrationService>("migrations")
    .WithDependency(eventStore)
    .WithTelemetryExport(builder, withoutDashboard);

var api = builder.AddProject<Projects.EventSourcing_Api>("api")
    .WithDependency(eventStore)
    .WithDependency(redis)
    .WithDependency(kafka)
    .WaitForCompletion(migrations)
    .WithEnvironment("JWT_SECRET", jwtSecret)
    .WithServiceSettings(builder.Configuration)
    .WithTelemetryExport(builder, withoutDashboard)
    .WithWellKnownHttpPort(infrastructure.Port(InfrastructureSettings.ApiPort))
    .WithHttpHealthCheck("/ready");

builder.AddProject<Projects.EventSourcing_Processor>("processor")
    .WithDependency(eventStore)
    .WithDependency(redis)
    .WithDependency(kafka)
    .WaitForCompletion(migrations)
    .WithServiceSettings(builder.Configuration)
    .WithTelemetryExport(builder, withoutDashboard)
    .WithWellKnownHttpPort(infrastructure.Port(InfrastructureSettings.ProcessorPort))
    .WithHttpHealthCheck("/ready");

builder.Build().Run();
