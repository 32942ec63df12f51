using Microsoft.Playwright;

namespace Recognition.Tests.Support;

/// <summary>
/// Browser tests run on Debian's Chromium. Locally, without it, they show as skipped with the reason;
/// in CI (CI=true) they always run, so a missing browser fails loudly.
/// </summary>
public sealed class BrowserFactAttribute : FactAttribute
{
    public BrowserFactAttribute()
    {
        if (!File.Exists(BrowserFixture.ChromiumPath) && Environment.GetEnvironmentVariable("CI") != "true")
        {
            Skip = $"Browser test: {BrowserFixture.ChromiumPath} not found (apt-get install -y chromium).";
        }
    }
}

/// <summary>One Chromium per test collection; each test takes its own context.</summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";
    private IPlaywright? _playwright;
    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath) && Environment.GetEnvironmentVariable("CI") != "true") return;
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    public async Task<IPage> NewPageAsync(string baseUrl, int width = 1280, int height = 900, string locale = "zh-CN")
    {
        var ctx = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseUrl, ViewportSize = new ViewportSize { Width = width, Height = height }, Locale = locale,
        });
        var page = await ctx.NewPageAsync();
        // Which file and line the browser refused, beside its console message.
        await page.AddInitScriptAsync("document.addEventListener('securitypolicyviolation', e => console.log('CSP refused ' + e.violatedDirective + ' at ' + e.sourceFile + ':' + e.lineNumber + ' ' + (e.sample || '')))");
        page.Console += (_, m) =>
        {
            if (m.Text.StartsWith("CSP refused", StringComparison.Ordinal)) lock (CspViolations) CspViolations.Add($"{page.Url}: {m.Text}");
        };
        return page;
    }

    /// <summary>A page signed in through the real sign-in form, on the home page.</summary>
    public async Task<IPage> SignedInPageAsync(string baseUrl, string login, string locale = "zh-CN", int width = 1280, int height = 900)
    {
        var page = await NewPageAsync(baseUrl, width, height, locale);
        await page.GotoAsync("/Account/SignIn");
        await page.FillAsync("#Login", login);
        await page.FillAsync("#Password", World.Password);
        await page.ClickAsync("#signin-submit");
        await page.WaitForSelectorAsync("#home-greeting");
        return page;
    }

    /// <summary>What Chromium refused under the app's Content-Security-Policy, on any page this fixture opened.</summary>
    public List<string> CspViolations { get; } = [];

    /// <summary>Screenshots land in tests' output folder under screenshots/, for a person to look at.</summary>
    public static async Task ShotAsync(IPage page, string name)
    {
        var dir = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(dir);
        await page.EvaluateAsync("document.fonts.ready");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(dir, name + ".png"), FullPage = true });
    }

    /// <summary>A badge reader types the code and Enter into whatever has focus, the kiosk's hidden scan input; then the
    /// kiosk's home. Waits for the focus first and for the home's document, not its load event, which a busy machine
    /// can hold back past any timeout (fonts, the live connection).</summary>
    public static async Task ScanAsync(IPage kiosk, string code)
    {
        await Assertions.Expect(kiosk.Locator("#scan")).ToBeFocusedAsync();
        await kiosk.Keyboard.TypeAsync(code);
        await kiosk.Keyboard.PressAsync("Enter");
        await kiosk.WaitForURLAsync("**/kiosk/home", new() { WaitUntil = WaitUntilState.DOMContentLoaded });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}
