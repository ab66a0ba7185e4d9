var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddNpgsqlDataSource("eventstore");
builder.AddRedisClient("redis");
builder.AddKafkaConsumer<string, byte[]>("kafka", consumer =>
{
    consumer.GroupId = builder.Configuration["CONSUMER_GROUP"] ?? "event-sourcing-aggregates";
    // The 45 s default makes every rebalance (a restart, a second instance) stall processing for that long.
    consumer.SessionTimeoutMs = 6000;
    consumer.HeartbeatIntervalMs = 2000;
    // An empty fetch waits this long; the default 500 ms would dominate end-to-end latency.
    consumer.FetchWaitMaxMs = 10;
});

var app = builder.Build();

app.MapDefaultEndpoints();

app.Run();
