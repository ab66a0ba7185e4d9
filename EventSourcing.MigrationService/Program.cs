using EventSourcing.MigrationService;

var builder = Host.CreateApplicationBuilder(args);
builder.AddServiceDefaults();
builder.Services.AddOpenTelemetry().WithTracing(tracing => tracing.AddSource(MigrationWorker.ActivitySourceName));
builder.Services.AddHostedService<MigrationWorker>();

await builder.Build().RunAsync();
