using System.Net;
using System.Text;
using Recognition.Tests.Support;
using Recognition.Web.Features.Admin.People;

namespace Recognition.Tests.Admin;

/// <summary>Bad input meets a clear answer in the person's language (or one line from a command), never a 500, a bare 400 or a stack trace.</summary>
public sealed class BadInputTests : IAsyncLifetime
{
    private readonly AppFactory _app;
    private readonly string _previews = Path.Combine(Path.GetTempPath(), "recognition-tests", Guid.NewGuid().ToString("N"), "previews");
    private World _w = null!;

    public BadInputTests() => _app = new(new() { ["Imports:PreviewFolder"] = _previews });

    public async Task InitializeAsync()
    {
        _w = await World.CreateAsync(_app);
        await _w.AddSecondSiteAsync(_app);
    }

    private Dictionary<string, string> Env => new() { ["Recognition__ConnectionStrings__Recognition"] = _app.Db.ConnectionString };

    private const string Csv = "employee_no,name_zh,name_en,team\r\nN700,新人,Newcomer,A\r\n";

    [SqliteFact]
    public async Task Every_command_line_verb_answers_bad_input_with_one_line_and_exit_1()
    {
        var stdin = await AppProcess.RunWithInputAsync(Env, Encoding.UTF8.GetBytes(Csv), "people", "import", "/dev/stdin", "--dry-run", "--site", "T1");
        Assert.True(stdin.Exit == 0, stdin.Stderr);
        Assert.Equal("""{"new":1,"changed":0,"deactivated":0,"unchanged":0,"errors":0}""", stdin.Stdout.Trim().Split('\n')[^1]);

        var missing = Path.Combine(_app.DataDir, "nope.csv");
        var cases = new List<(string[] Args, byte[]? Stdin, string Says)>
        {
            (["people", "import", missing], null, $"people import: no such file: {missing}"),
            (["people", "import", "/dev/stdin"], new byte[PeopleCsv.MaxBytes + 1], "people import: the file is too large: at most 10 MB."),
            (["catalogue", "import", missing], null, $"catalogue import: no such file: {missing}"),
            (["catalogue", "import", "/dev/stdin"], Encoding.UTF8.GetBytes("{ not json"), "Not a valid catalogue file"),
            (["catalogue", "import", "/dev/stdin"], Encoding.UTF8.GetBytes("""{"rules":[{"code":"q","category":"quality","nameZh":"质量","nameEn":"Quality","points":5}]}"""), ""),
        };
        foreach (var (args, input, says) in cases)
        {
            var run = await AppProcess.RunWithInputAsync(Env, input, args);
            Assert.True(run.Exit == 1, $"{string.Join(' ', args)}: exit {run.Exit}: {run.Stderr}");
            Assert.DoesNotContain("   at ", run.Stderr); // no stack trace
            Assert.DoesNotContain("Unhandled", run.Stderr);
            Assert.StartsWith(says, run.Stderr.Trim());
        }
    }

    [Fact]
    public async Task Uploads_up_to_the_stated_limits_are_read_and_larger_ones_get_a_friendly_413()
    {
        var admin = await Session.SignInAsync(_app, "A1");
        var employee = await Session.SignInAsync(_app, "E1");
        var org = await Session.SignInAsync(_app, "OA1");
        var before = await DbProbe.FingerprintAsync(_app.Db);
        // 8.5 MB of people CSV is under the 10 MB the README promises: read, and answered about its content.
        var big = new StringBuilder("employee_no,salary\r\n");
        while (big.Length < 8_500_000) big.Append("E9,100000000000000000000000000000000000000000000000000\r\n");
        var csv = await admin.PostFileAsync("/Admin/Import?handler=Preview", "/Admin/Import", "file", "people.csv", Encoding.UTF8.GetBytes(big.ToString()));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, csv.StatusCode);
        Assert.StartsWith("未知的列", (await Session.Doc(csv)).QuerySelector("#import-error")!.TextContent);

        // A 20 MB claim photo: the limit in the person's language, not a bare 400.
        var photo = await employee.PostFileAsync("/Claims/New", "/Claims/New", "Photo", "photo.jpg", new byte[20 * 1024 * 1024],
            new() { ["RuleId"] = _w.Rules["hazard_report"].ToString(), ["Description"] = "三号线地面有油，差点有人滑倒，已经放了警示牌。" });
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, photo.StatusCode);
        Assert.Equal("照片太大（最多 2 MB）。", (await Session.Doc(photo)).QuerySelector("#claim-error")!.TextContent);
        var catalogue = await org.PostFileAsync("/Admin/Catalogue?handler=Import", "/Admin/Catalogue", "upload", "c.json", new byte[6 * 1024 * 1024]);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, catalogue.StatusCode);
        Assert.Equal("文件太大：最多 5 MB。", (await Session.Doc(catalogue)).QuerySelector("#catalogue-error")!.TextContent);
        Assert.Equal(before, await DbProbe.FingerprintAsync(_app.Db));
    }

    [Fact]
    public async Task A_previewed_file_waits_on_disk_an_admin_keeps_at_most_three_and_apply_removes_it()
    {
        var admin = await Session.SignInAsync(_app, "A1");
        string? Upload(AngleSharp.Html.Dom.IHtmlDocument d) => d.QuerySelector("input[name=Upload]")?.GetAttribute("value");
        var tokens = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var preview = await admin.PostFileAsync("/Admin/Import?handler=Preview", "/Admin/Import", "file", "people.csv", Encoding.UTF8.GetBytes(Csv));
            tokens.Add(Upload(await Session.Doc(preview))!);
        }
        Assert.Equal(ImportUploads.PerAdmin, Directory.GetFiles(_previews).Length);
        // The oldest went; the newest applies, and its file is gone after.
        var stale = await admin.PostFormAsync("/Admin/Import?handler=Apply", new() { ["Upload"] = tokens[0] }, formPage: "/Admin/Import");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, stale.StatusCode);
        var apply = await admin.PostFormAsync("/Admin/Import?handler=Apply", new() { ["Upload"] = tokens[^1] }, formPage: "/Admin/Import");
        Assert.NotNull((await Session.Doc(apply)).QuerySelector("#import-applied"));
        Assert.Equal(ImportUploads.PerAdmin - 1, Directory.GetFiles(_previews).Length);
        // Another admin cannot apply this admin's file; after 30 minutes nobody can.
        var org = await Session.SignInAsync(_app, "OA1");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await org.PostFormAsync("/Admin/Import?handler=Apply", new() { ["Upload"] = tokens[^2] }, formPage: "/Admin/Import")).StatusCode);
        _app.Clock.Advance(ImportUploads.Lifetime + TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await admin.PostFormAsync("/Admin/Import?handler=Apply", new() { ["Upload"] = tokens[^2] }, formPage: "/Admin/Import")).StatusCode);
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        if (Directory.Exists(_previews)) Directory.Delete(_previews, recursive: true);
    }
}
