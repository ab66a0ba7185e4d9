using EventSourcing.Explorer;
using EventSourcing.Explorer.Components;
using EventSourcing.Explorer.Tail;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddExplorerServices();

var app = builder.Build();
app.UseExplorerPipeline();
app.MapDefaultEndpoints();
app.MapStaticAssets();
app.MapLiveTail();
app.MapRazorComponents<App>();

app.Run();
