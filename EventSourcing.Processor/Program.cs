using EventSourcing.EventStore;
using EventSourcing.Processor;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
var options = builder.ReadProcessorOptions();
// Each worker lane holds one connection for its transaction; a few more serve snapshots, retries, status and replays.
builder.AddEventStore(maxPoolSize: options.Workers + 6);
builder.AddProjections();
builder.AddKafkaProcessing(options);
builder.AddReplays();

var app = builder.Build();

app.MapDefaultEndpoints();

app.Run();
