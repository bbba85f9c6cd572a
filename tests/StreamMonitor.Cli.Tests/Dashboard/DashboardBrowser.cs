using Microsoft.Playwright;
using StreamMonitor.TestSupport;

namespace StreamMonitor.Cli.Tests.Dashboard;

/// <summary>
/// Debian's Chromium, headless, driven by Playwright (nothing downloaded: the browser is the system's, the driver comes
/// with the package). WebGL falls back to SwiftShader, so the 3D view renders without a GPU. Screenshots go to
/// TestResults/screenshots in the repository, kept with the test results.
/// </summary>
internal sealed class DashboardBrowser : IAsyncDisposable
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private readonly IPlaywright _playwright;

    private DashboardBrowser(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        Browser = browser;
    }

    public IBrowser Browser { get; }

    public static string Screenshots { get; } = Path.Combine(RepositoryPaths.Root, "TestResults", "screenshots");

    public static async Task<DashboardBrowser> LaunchAsync()
    {
        Assert.True(File.Exists(ChromiumPath), $"{ChromiumPath} is missing: the browser tests need Debian's chromium (test.sh installs it)");
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--enable-unsafe-swiftshader", "--use-angle=swiftshader"],
        });
        return new DashboardBrowser(playwright, browser);
    }

    /// <summary>A new browser profile (its own cookies) with one page on <paramref name="root"/>, its console errors collected.</summary>
    public async Task<(IBrowserContext Context, IPage Page, List<string> Errors)> OpenAsync(string root)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = root, ViewportSize = new ViewportSize { Width = 1400, Height = 1000 } });
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        page.Console += (_, message) =>
        {
            // The page asks who is looking before anyone logged in: that 401 is how it knows to show the login form.
            if (message.Type == "error" && !message.Text.Contains("status of 401", StringComparison.Ordinal))
                lock (errors) errors.Add($"{message.Text} ({message.Location})");
        };
        page.PageError += (_, error) =>
        {
            lock (errors) errors.Add(error);
        };
        page.SetDefaultTimeout(30_000);
        return (context, page, errors);
    }

    public static async Task ScreenshotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(Screenshots);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Screenshots, name + ".png"), FullPage = true });
    }

    /// <summary>The points a chart shows, once at least <paramref name="atLeast"/>.</summary>
    public static async Task<int> PointsAsync(ILocator chart, int atLeast)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        int points = 0;
        while (DateTime.UtcNow < deadline)
        {
            if (int.TryParse(await chart.GetAttributeAsync("data-points"), out points) && points >= atLeast) return points;
            await Task.Delay(200);
        }
        throw new TimeoutException($"the chart shows {points} points, not {atLeast}");
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.CloseAsync();
        _playwright.Dispose();
    }
}
