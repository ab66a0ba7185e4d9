using Microsoft.Playwright;

namespace EventSourcing.Tests.Explorer;

/// <summary>
/// Debian's Chromium driven by Playwright (its own browser download cannot work on our machines), shared by the
/// explorer's tests; every page records console errors and uncaught exceptions.
/// </summary>
public sealed class ExplorerBrowser : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = default!;

    /// <summary>Where screenshots go (the test output).</summary>
    public static string ScreenshotDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(ScreenshotDirectory);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu"],
        });
    }

    /// <summary>A fresh browser context (its own cookies: its own explorer session) on <paramref name="baseUrl"/>.</summary>
    public async Task<ExplorerPage> OpenAsync(Uri baseUrl)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseUrl.ToString().TrimEnd('/'),
            ViewportSize = new ViewportSize { Width = 1400, Height = 1000 },
        });
        var page = await context.NewPageAsync();
        var explorerPage = new ExplorerPage(page);
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                explorerPage.Errors.Add($"{page.Url}: {message.Text}");
            }
        };
        page.PageError += (_, error) => explorerPage.Errors.Add($"{page.Url}: {error}");
        return explorerPage;
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }
}

/// <summary>A page of the explorer and what went wrong in it.</summary>
public sealed class ExplorerPage(IPage page)
{
    public IPage Page => page;

    public List<string> Errors { get; } = [];

    public ILocator TestId(string id) => page.GetByTestId(id);

    public async Task ScreenshotAsync(string name) =>
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ExplorerBrowser.ScreenshotDirectory, name + ".png"), FullPage = true });
}
