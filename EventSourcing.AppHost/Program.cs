using EventSourcing.AppHost;
using EventSourcing.AppHost.Dashboard;
using EventSourcing.AppHost.Infrastructure;

// --no-dashboard: for benchmarks, where the dashboard's telemetry ingestion would compete for the same two cores.
var withoutDashboard = args.Contains("--no-dashboard");
var builder = DistributedApplication.CreateBuilder(new DistributedApplicationOptions
{
    Args = args,
    DisableDashboard = withoutDashboard,
});

// Containers when a runtime answers, the machine's own servers when none does, or configured connection strings.
// A deployment gets the event store as a connection string (a managed PostgreSQL), never as a container.
var infrastructure = InfrastructureSettings.Read(builder);

var eventStore = builder.AddEventStoreDatabase(infrastructure);
var redis = builder.AddRedisCache(infrastructure);
var kafka = builder.AddKafkaBroker(infrastructure);

// The JWT secret and the seed's settings (snapshot interval and retention, workers, consumer group).
var settings = ServiceSettings.Add(builder);

// Api:Replicas and Processor:Replicas: any number of each (one API relays at a time; processors share partitions).
var scale = ScaleSettings.Read(builder.Configuration);

// Run mode applies the schema once before the services start; a deployment lets each service apply it on startup.
var migrations = builder.ExecutionContext.IsRunMode
    ? builder.AddProject<Projects.EventSourcing_MigrationService>("migrations")
        .WithDependency(eventStore)
        .WithTelemetryExport(builder, withoutDashboard)
    : null;

// The REST API; it also hosts the outbox relay that publishes stored events to Kafka.
var api = builder.AddProject<Projects.EventSourcing_Api>("api")
    .WithDependency(eventStore)
    .WithDependency(redis)
    .WithDependency(kafka)
    .AfterSchema(migrations)
    .WithEnvironment("JWT_SECRET", settings.JwtSecret)
    .WithServiceSettings(settings)
    .WithTelemetryExport(builder, withoutDashboard)
    .WithReplicas(scale.ApiReplicas)
    .WithWellKnownHttpPort(infrastructure.Port(InfrastructureSettings.ApiPort), scale.ApiReplicas)
    .WithExternalHttpEndpoints()
    .WithHealthProbes()
    .WithApiReferenceLinks()
    .WithAdminCommands(settings);

// The Kafka consumer group: read models, processing status, retries, snapshots, replays.
builder.AddProject<Projects.EventSourcing_Processor>("processor")
    .WithDependency(eventStore)
    .WithDependency(redis)
    .WithDependency(kafka)
    .AfterSchema(migrations)
    .WithServiceSettings(settings)
    .WithTelemetryExport(builder, withoutDashboard)
    .WithReplicas(scale.ProcessorReplicas)
    .WithWellKnownHttpPort(infrastructure.Port(InfrastructureSettings.ProcessorPort), scale.ProcessorReplicas)
    .WithHealthProbes();

// The event explorer (run mode, http://localhost:8084): streams, states through time, processing, analytics.
builder.AddEventExplorer(api, settings, infrastructure, withoutDashboard);

// Optional (Simulator:Enabled): a small game played through EventSourcing.Client, for live traffic on the dashboard.
builder.AddGameSimulator(api, settings, withoutDashboard);

builder.Build().Run();
