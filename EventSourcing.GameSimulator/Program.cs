using EventSourcing.Client;
using EventSourcing.GameSimulator;

var builder = Host.CreateApplicationBuilder(args);
builder.AddServiceDefaults();
// The AppHost gives the token (events:read events:write) in EventSourcing:Client:Token.
builder.AddEventSourcingClient("api");
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton(SimulatorOptions.Read(builder.Configuration));
builder.Services.AddHostedService<SimulatorWorker>();

builder.Build().Run();
