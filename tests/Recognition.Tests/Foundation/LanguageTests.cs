using System.Xml.Linq;
using Recognition.Tests.Support;

namespace Recognition.Tests.Foundation;

public sealed class LanguageTests : IAsyncLifetime
{
    private readonly AppFactory _app = new();
    private World _w = null!;

    public async Task InitializeAsync() => _w = await World.CreateAsync(_app);

    [Fact]
    public async Task The_browser_language_picks_the_sign_in_page_language()
    {
        var zh = await Session.Anonymous(_app, "zh-CN").GetDocAsync("/Account/SignIn");
        Assert.Equal("登录", zh.QuerySelector("h1")!.TextContent);
        Assert.Equal("zh-CN", zh.DocumentElement.GetAttribute("lang"));
        var en = await Session.Anonymous(_app, "en-US,en;q=0.9").GetDocAsync("/Account/SignIn");
        Assert.Equal("Sign in", en.QuerySelector("h1")!.TextContent);
    }

    [Fact]
    public async Task A_signed_in_person_sees_their_own_language_whatever_the_browser_says()
    {
        var alice = await Session.SignInAsync(_app, "E2", acceptLanguage: "zh-CN"); // Alice's locale is en-US
        var home = await alice.GetDocAsync("/");
        Assert.Equal("en-US", home.DocumentElement.GetAttribute("lang"));
        Assert.StartsWith("Hello, Jing Chen", home.QuerySelector("#home-greeting")!.TextContent);
    }

    [Fact]
    public async Task The_switcher_saves_the_choice_as_the_person_s_locale()
    {
        var s = await Session.SignInAsync(_app, "E1");
        Assert.Equal("zh-CN", (await s.GetDocAsync("/")).DocumentElement.GetAttribute("lang"));
        var res = await s.PostFormAsync("/Account/Language", new() { ["culture"] = "en-US", ["returnUrl"] = "/Me" }, formPage: "/");
        Assert.Equal("/Me", res.Headers.Location!.OriginalString);
        Assert.Equal("en-US", (await s.GetDocAsync("/")).DocumentElement.GetAttribute("lang"));
        Assert.Equal("en-US", await DbProbe.ScalarAsync<string>(_app.Db, "SELECT locale FROM employees WHERE id = @id", new { id = _w.Giver }));
    }

    [Fact]
    public void Every_string_exists_in_both_languages()
    {
        var dir = Path.Combine(AppFactory.RepoRoot(), "src", "Recognition.Web", "Resources");
        static HashSet<string> Keys(string f) => XDocument.Load(f).Root!.Elements("data").Select(d => (string)d.Attribute("name")!).ToHashSet();
        var en = Keys(Path.Combine(dir, "SharedResource.resx"));
        var zh = Keys(Path.Combine(dir, "SharedResource.zh-CN.resx"));
        Assert.Empty(en.Except(zh));
        Assert.Empty(zh.Except(en));
        // And every key the code asks for is defined.
        var src = Path.Combine(AppFactory.RepoRoot(), "src", "Recognition.Web");
        var used = Directory.EnumerateFiles(src, "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".cshtml", StringComparison.Ordinal))
            .SelectMany(f => System.Text.RegularExpressions.Regex.Matches(File.ReadAllText(f), "(?:L\\[|Refused\\(|RuleViolation\\()\"([A-Z][A-Za-z]+\\.[A-Za-z.]*[A-Za-z])\"").Select(m => m.Groups[1].Value))
            .ToHashSet();
        Assert.Empty(used.Except(en));
    }

    public Task DisposeAsync()
    {
        _app.Dispose();
        return Task.CompletedTask;
    }
}
