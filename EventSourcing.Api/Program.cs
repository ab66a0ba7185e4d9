var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddNpgsqlDataSource("eventstore");
builder.AddRedisClient("redis");
builder.AddKafkaProducer<string, byte[]>("kafka");

var app = builder.Build();

app.UseExceptionHandler();
app.UseStatusCodePages();
app.MapDefaultEndpoints();

app.Run();

public partial class Program;
