using EventSourcing.Api;
using EventSourcing.Api.Aggregates;
using EventSourcing.Api.Analytics;
using EventSourcing.Api.Events;
using EventSourcing.Api.OpenApi;
using EventSourcing.Api.Processing;
using EventSourcing.Api.ReadModels;
using EventSourcing.Api.Security;
using EventSourcing.Contracts;
using EventSourcing.EventStore;
using EventSourcing.EventStore.Appending;
using EventSourcing.EventStore.Snapshots;
using Scalar.AspNetCore;

var builder = WebApplication.CreateBuilder(args);
if (DevTokens.TryRunCommand(args, builder.Configuration))
{
    return;
}

builder.UseSeedPort().LimitRequestBodies();
builder.AddServiceDefaults();
// A small pool: on our 2-core machines more PostgreSQL backends means less throughput, not more. The writer, the relay
// and the GIN merges hold one each, the reads share the rest.
builder.AddEventStore(maxPoolSize: 5);
builder.AddAppendPath();
builder.AddEventStoreIntegrityCheck();
// The seed's series on /metrics from the first scrape: the append path's and on-demand snapshots'.
builder.Services.AddMetricsFromStart<EventStoreMetrics>();
builder.Services.AddMetricsFromStart<SnapshotStore>();
builder.AddReadCaches();
builder.AddOutboxRelay();
builder.AddConsumerGroupLag();
builder.AddScopedJwtAuthentication();
builder.Services.ConfigureHttpJsonOptions(options => ContractJsonOptions.Configure(options.SerializerOptions));
builder.Services.AddApiDocument();

var app = builder.Build();

app.UseExceptionHandler();
app.UseRetryAfter();
app.UseStatusCodePages();
app.UseAuthentication();
app.UseAuthorization();

app.MapDefaultEndpoints();
app.MapOpenApi().AllowAnonymous();
app.MapScalarApiReference().AllowAnonymous();
app.MapEventsApi();
app.MapAggregatesApi();
app.MapReadModelsApi();
app.MapReadModelReplayApi();
app.MapProcessingApi();
app.MapAnalyticsApi();

app.Run();

public partial class Program;
