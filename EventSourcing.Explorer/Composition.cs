using EventSourcing.Client;
using EventSourcing.Explorer.Auth;

namespace EventSourcing.Explorer;

public static class Composition
{
    public static void AddExplorerServices(this WebApplicationBuilder builder)
    {
        builder.Services.AddRazorComponents();
        builder.Services.AddHttpContextAccessor();
        // The pasted token lives in the server-side session (cookie: an opaque session id), never in a URL or the page.
        builder.Services.AddDistributedMemoryCache();
        builder.Services.AddSession(options =>
        {
            options.Cookie.Name = "explorer.session";
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.IsEssential = true;
            options.IdleTimeout = TimeSpan.FromHours(8);
        });
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<ExplorerToken>();

        // The AppHost gives a development token in EventSourcing:Client:Token; a pasted one wins for its session.
        builder.AddEventSourcingClient("api", settings =>
        {
            // A page waits for the API, not for a minute of retries.
            settings.TotalTimeout = TimeSpan.FromSeconds(15);
            settings.MaxRetries = 2;
        });
        builder.Services.AddOptions<EventSourcingClientSettings>()
            .Configure<ExplorerToken>((settings, token) => settings.TokenProvider = token.CurrentAsync);
        builder.Services.Configure<ExplorerOptions>(builder.Configuration.GetSection(ExplorerOptions.SectionName));
    }

    public static void UseExplorerPipeline(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/error", createScopeForErrors: true);
        }

        app.UseSession();
        app.UseAntiforgery();
    }
}

/// <summary>Explorer settings (section <c>Explorer</c>).</summary>
public sealed class ExplorerOptions
{
    public const string SectionName = "Explorer";

    /// <summary>The Aspire dashboard's address, for links to an append's trace (the AppHost sets it in run mode).</summary>
    public Uri? DashboardUrl { get; set; }
}
