using Microsoft.Playwright;

namespace Taskmaster.Tests.TestSupport;

/// <summary>
/// One headless Chromium for the whole test run, driven by Playwright's driver (the node program its NuGet package
/// ships, so nothing is downloaded): Debian's <c>chromium</c>, never a browser of Playwright's own. Each test gets a
/// context of its own (cookies, credentials, cache), which costs milliseconds; a browser costs a second.
/// </summary>
internal static class DashboardBrowser
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static IPlaywright? _playwright;
    private static IBrowser? _browser;

    /// <summary>A fresh context; with <paramref name="user"/> and <paramref name="password"/> it answers Basic
    /// authentication challenges as a user who typed them into the browser's prompt.</summary>
    public static async Task<IBrowserContext> NewContextAsync(string? user = null, string? password = null)
    {
        var browser = await BrowserAsync();
        var options = new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 1500, Height = 860 },
            AcceptDownloads = true,
        };
        if (user is not null) options.HttpCredentials = new HttpCredentials { Username = user, Password = password! };
        var context = await browser.NewContextAsync(options);
        // Deadlines, not expectations: on a two-core machine shared with builds (load averages above 100 were seen) a
        // page load can take tens of seconds. What the issue times is measured in the tests themselves.
        context.SetDefaultTimeout(60_000);
        context.SetDefaultNavigationTimeout(120_000);
        return context;
    }

    static DashboardBrowser() => Assertions.SetDefaultExpectTimeout(60_000);

    private static async Task<IBrowser> BrowserAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (_browser is { IsConnected: true }) return _browser;
            _playwright ??= await Playwright.CreateAsync();
            _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = ChromiumPath,
                Headless = true,
                // As root (CI, this machine) Chromium's sandbox cannot start; /dev/shm may be small in a container.
                Args = ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"],
                Timeout = 180_000,
            });
            return _browser;
        }
        finally
        {
            Gate.Release();
        }
    }
}
