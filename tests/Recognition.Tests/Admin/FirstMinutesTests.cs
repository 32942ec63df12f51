using Microsoft.Extensions.Logging;
using Recognition.Tests.Support;
using Recognition.Web.Features.Praise;
using Recognition.Web.Features.Setup;

namespace Recognition.Tests.Admin;

/// <summary>The operator's first minutes: the address people open (PublicUrl) everywhere the app prints one, and a sign-in page that says setup is pending.</summary>
public sealed class FirstMinutesTests
{
    private sealed class Lines : ILogger<SetupService>
    {
        public List<string> Written { get; } = [];
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) => Written.Add(formatter(state, exception));
    }

    [Fact]
    public async Task Before_setup_the_sign_in_page_says_where_the_setup_link_is_and_the_first_run_line_names_the_public_address()
    {
        using var app = new AppFactory(new() { ["PublicUrl"] = "https://recognition.plant.example:8443/" });
        var page = await Session.Anonymous(app, "en-US").GetDocAsync("/Account/SignIn");
        Assert.Contains("First run:", page.QuerySelector("#setup-pending")!.TextContent);
        Assert.Contains("/setup", page.QuerySelector("#setup-pending")!.TextContent);

        var lines = new Lines();
        var setup = new SetupService(app.Db, app.Get<PeopleStore>(), lines);
        await setup.AnnounceIfPendingAsync("https://recognition.plant.example:8443", isPublic: true);
        Assert.StartsWith($"First run: no admin exists yet. Open https://recognition.plant.example:8443/setup?code={setup.Code} ", lines.Written.Single());
        await setup.AnnounceIfPendingAsync("http://127.0.0.1:8080", isPublic: false);
        Assert.Contains("set PublicUrl", lines.Written[^1]); // the app's own address is said to be only that

        await World.CreateAsync(app);
        Assert.Null((await Session.Anonymous(app, "en-US").GetDocAsync("/Account/SignIn")).QuerySelector("#setup-pending"));
    }

    [Fact]
    public async Task Printed_addresses_use_the_public_url()
    {
        using var app = new AppFactory(new() { ["PublicUrl"] = "https://recognition.plant.example:8443" });
        var w = await World.CreateAsync(app);
        var code = await app.Get<PraiseCodes>().EnsureCodeAsync(w.SiteId, "team", w.TeamA, app.Clock.UtcNow);
        var admin = await Session.SignInAsync(app, "A1");
        Assert.Contains($"https://recognition.plant.example:8443/thanks/{code}", (await admin.GetDocAsync("/Admin/Praise")).Body!.TextContent);
    }

    [SqliteFact]
    public async Task A_public_url_that_is_not_an_address_stops_the_start_with_one_line()
    {
        var (exit, stderr) = await AppProcess.RunAsync(new() { ["Recognition__PublicUrl"] = "recognition.plant.example" }, "migrate");
        Assert.Equal(2, exit);
        Assert.StartsWith("Recognition cannot start: PublicUrl: 'recognition.plant.example' is not an address", stderr.Trim());
    }
}
