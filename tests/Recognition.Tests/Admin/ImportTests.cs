using System.Net;
using System.Text;
using System.Text.Json;
using Recognition.Tests.Support;

namespace Recognition.Tests.Admin;

public sealed class ImportTests : IAsyncLifetime
{
    private readonly AppFactory _app = new();
    private World _w = null!;
    private Session _admin = null!;

    static ImportTests() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public async Task InitializeAsync()
    {
        _w = await World.CreateAsync(_app);
        await _w.AddSecondSiteAsync(_app);
        _admin = await Session.SignInAsync(_app, "A1");
    }

    private const string Header = "employee_no,name_zh,name_en,email,team,manager_no,roles,language,badge_code\r\n";
    private const string ThreePeople = Header +
        "N001,马建华,Jianhua Ma,jh.ma@example.com,A,S1,employee,zh-CN,BADGE-N001\r\n" +
        "N002,马建华,Jianhua Ma,,Stamping 1,N003,employee,en-US,\r\n" +
        "N003,李娜,Na Li,,B,,employee;supervisor,zh-CN,\r\n";

    private Task<HttpResponseMessage> PreviewAsync(byte[] file, bool deactivateMissing = false) =>
        _admin.PostFileAsync("/Admin/Import?handler=Preview", "/Admin/Import", "file", "people.csv", file,
            deactivateMissing ? new() { ["DeactivateMissing"] = "true" } : null);

    private async Task<(HttpResponseMessage Preview, HttpResponseMessage? Apply)> ImportAsync(byte[] file, bool deactivateMissing = false)
    {
        var preview = await PreviewAsync(file, deactivateMissing);
        var upload = (await Session.Doc(preview)).QuerySelector("input[name=Upload]")?.GetAttribute("value");
        if (upload is null) return (preview, null);
        var fields = new Dictionary<string, string> { ["Upload"] = upload, ["DeactivateMissing"] = deactivateMissing ? "true" : "false" };
        return (preview, await _admin.PostFormAsync("/Admin/Import?handler=Apply", fields, formPage: "/Admin/Import"));
    }

    [Fact]
    public async Task Chat_accounts_come_in_with_the_file_a_bad_one_is_named_and_the_export_carries_them_back()
    {
        const string chat = "employee_no,name_zh,name_en,team,chat_user_id\r\n";
        var before = await DbProbe.FingerprintAsync(_app.Db);
        var (bad, refused) = await ImportAsync(Encoding.UTF8.GetBytes(chat + "N001,马建华,Jianhua Ma,A,<at id=all>\r\n"));
        Assert.Contains("聊天账号只能包含", (await Session.Doc(bad)).QuerySelector("#import-errors")!.TextContent);
        Assert.Null(refused); // no Apply is offered
        Assert.Equal(before, await DbProbe.FingerprintAsync(_app.Db));

        var (_, apply) = await ImportAsync(Encoding.UTF8.GetBytes(chat + "N001,马建华,Jianhua Ma,A,ma.jianhua\r\nE2,陈静,Jing Chen,A,jing.chen\r\n"));
        Assert.NotNull((await Session.Doc(apply!)).QuerySelector("#import-applied"));
        Assert.Equal(["jing.chen", "ma.jianhua"], await DbProbe.QueryAsync<string>(_app.Db, "SELECT chat_user_id FROM employees WHERE employee_no IN ('N001', 'E2') ORDER BY employee_no"));
        var export = Encoding.UTF8.GetString(await (await _admin.Client.GetAsync("/Admin/Import?handler=Export")).Content.ReadAsByteArrayAsync());
        Assert.Contains(",chat_user_id", export.Split('\n')[0]);
        Assert.Contains("jing.chen", export);
    }

    [Fact]
    public async Task Hire_dates_come_in_with_the_file_a_bad_one_is_named_and_the_export_carries_them_back()
    {
        const string head = "employee_no,name_zh,name_en,team,hire_date\r\n";
        var before = await DbProbe.FingerprintAsync(_app.Db);
        var (bad, refused) = await ImportAsync(Encoding.UTF8.GetBytes(head + "N001,马建华,Jianhua Ma,A,2021/11/18\r\n"));
        Assert.Contains("入职日期“2021/11/18”不是", (await Session.Doc(bad)).QuerySelector("#import-errors")!.TextContent);
        Assert.Null(refused);
        Assert.Equal(before, await DbProbe.FingerprintAsync(_app.Db));

        var (_, apply) = await ImportAsync(Encoding.UTF8.GetBytes(head + "N001,马建华,Jianhua Ma,A,2021-11-18\r\n"));
        Assert.NotNull((await Session.Doc(apply!)).QuerySelector("#import-applied"));
        Assert.Equal(20211118, await DbProbe.ScalarAsync<int>(_app.Db, "SELECT hire_day FROM employees WHERE employee_no = 'N001'"));
        var export = Encoding.UTF8.GetString(await (await _admin.Client.GetAsync("/Admin/Import?handler=Export")).Content.ReadAsByteArrayAsync());
        Assert.EndsWith(",hire_date,gender", export.Split('\n')[0].TrimEnd('\r'));
        Assert.Contains(",2021-11-18", export);
    }

    [Fact]
    public async Task Preview_lists_new_people_apply_writes_them_and_the_same_file_again_changes_nothing()
    {
        var before = await DbProbe.FingerprintAsync(_app.Db);
        var preview = await PreviewAsync(Encoding.UTF8.GetBytes(ThreePeople));
        Assert.Equal(HttpStatusCode.OK, preview.StatusCode);
        Assert.Equal("新增 3，变更 0，不变 0，停用 0，错误 0", (await Session.Doc(preview)).QuerySelector("#preview-summary")!.TextContent);
        Assert.Equal(before, await DbProbe.FingerprintAsync(_app.Db)); // a preview writes nothing

        var (_, apply) = await ImportAsync(Encoding.UTF8.GetBytes(ThreePeople));
        Assert.NotNull((await Session.Doc(apply!)).QuerySelector("#import-applied"));
        var n2 = (await DbProbe.QueryAsync<(long Team, long Manager, string Locale)>(_app.Db,
            "SELECT e.team_id, e.manager_id, e.locale FROM employees e WHERE e.employee_no = 'N002'")).Single();
        Assert.Equal(_w.TeamA, n2.Team); // by team name
        Assert.Equal(await DbProbe.ScalarAsync<long>(_app.Db, "SELECT id FROM employees WHERE employee_no = 'N003'"), n2.Manager); // a manager new in the same file
        Assert.Equal(3, await DbProbe.ScalarAsync<int>(_app.Db, "SELECT roles FROM employees WHERE employee_no = 'N003'")); // employee | supervisor
        Assert.Equal(3, await DbProbe.ScalarAsync<int>(_app.Db, "SELECT COUNT(*) FROM audit_log WHERE action = 'person.import_create'"));

        var again = await DbProbe.FingerprintAsync(_app.Db);
        var second = await PreviewAsync(Encoding.UTF8.GetBytes(ThreePeople));
        Assert.Equal("新增 0，变更 0，不变 3，停用 0，错误 0", (await Session.Doc(second)).QuerySelector("#preview-summary")!.TextContent);
        Assert.Null((await Session.Doc(second)).QuerySelector("#import-apply"));
        Assert.Equal(again, await DbProbe.FingerprintAsync(_app.Db));
    }

    [Fact]
    public async Task Files_as_Excel_saves_them_GB18030_and_UTF8_with_BOM_read_the_same()
    {
        var gb = Encoding.GetEncoding("GB18030").GetBytes(ThreePeople);
        var bom = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(ThreePeople.Replace(';', '|').Replace(',', ';'))).ToArray(); // a semicolon locale too
        foreach (var file in new[] { gb, bom })
        {
            var doc = await Session.Doc(await PreviewAsync(file));
            Assert.Equal("新增 3，变更 0，不变 0，停用 0，错误 0", doc.QuerySelector("#preview-summary")!.TextContent);
            Assert.Contains("N001 · 马建华", doc.QuerySelector("#import-new")!.TextContent);
        }
    }

    [Fact]
    public async Task A_change_is_shown_field_by_field_and_missing_people_are_listed_for_deactivation_only_when_asked()
    {
        await ImportAsync(Encoding.UTF8.GetBytes(ThreePeople));
        var changed = ThreePeople.Replace("N003,李娜,Na Li,,B,", "N003,李娜,Na Li,,A,");
        var doc = await Session.Doc(await PreviewAsync(Encoding.UTF8.GetBytes(changed)));
        var row = doc.QuerySelector("#import-changed tbody tr")!.TextContent;
        Assert.Contains("N003", row);
        Assert.Contains("team", row);
        Assert.Contains("B", row);
        Assert.Null(doc.QuerySelector("#import-deactivate"));

        var (preview, apply) = await ImportAsync(Encoding.UTF8.GetBytes(changed), deactivateMissing: true);
        var listed = (await Session.Doc(preview)).QuerySelectorAll("#import-deactivate li").Select(li => li.TextContent.Split(" · ")[0]).ToList();
        Assert.Contains("E1", listed);
        Assert.DoesNotContain("A1", listed); // never the admin doing the import
        Assert.DoesNotContain("EB1", listed); // nor anyone at another site
        Assert.NotNull((await Session.Doc(apply!)).QuerySelector("#import-applied"));
        Assert.Equal(0, await DbProbe.ScalarAsync<int>(_app.Db, "SELECT active FROM employees WHERE employee_no = 'E1'"));
        Assert.Equal(1, await DbProbe.ScalarAsync<int>(_app.Db, "SELECT active FROM employees WHERE employee_no = 'EB1'"));
    }

    [Fact]
    public async Task Every_bad_row_is_reported_with_its_row_number_and_nothing_is_applied()
    {
        var bad = Header +
            "N001,甲,A,,A,,employee,zh-CN,\r\n" +
            "N001,乙,B,,A,,employee,zh-CN,\r\n" +           // duplicate number in the file
            "N004,丙,C,,Night Shift Unicorns,,employee,,\r\n" + // unknown team
            "N005,,,,A,,employee,,\r\n" +                      // no name
            "N006,丁,D,not-an-email,A,,employee,,\r\n" +
            "N007,戊,E,,A,,boss,,\r\n" +
            "EB1,己,F,,,,employee,,\r\n" +                     // someone at the other site
            "N008,庚,G,,,,employee,,B-E1\r\n";                 // another person's badge
        var before = await DbProbe.FingerprintAsync(_app.Db);
        var (preview, apply) = await ImportAsync(Encoding.UTF8.GetBytes(bad));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, preview.StatusCode);
        Assert.Null(apply);
        var rows = (await Session.Doc(preview)).QuerySelectorAll("#import-errors tbody tr").Select(r => r.TextContent).ToList();
        Assert.Equal(7, rows.Count);
        Assert.Contains(rows, r => r.StartsWith("3N001") && r.Contains("第一次出现在第 2 行"));
        Assert.Contains(rows, r => r.StartsWith("4N004") && r.Contains("Night Shift Unicorns"));
        Assert.Contains(rows, r => r.StartsWith("5N005") && r.Contains("请至少填写一个姓名"));
        Assert.Contains(rows, r => r.StartsWith("6N006") && r.Contains("邮箱格式不正确"));
        Assert.Contains(rows, r => r.StartsWith("7N007") && r.Contains("boss"));
        Assert.Contains(rows, r => r.StartsWith("8EB1") && r.Contains("另一个厂区"));
        Assert.Contains(rows, r => r.StartsWith("9N008") && r.Contains("已被 E1 使用"));
        Assert.Equal(before, await DbProbe.FingerprintAsync(_app.Db));
    }

    [Fact]
    public async Task Unreadable_files_get_a_clear_reason_and_write_nothing()
    {
        var before = await DbProbe.FingerprintAsync(_app.Db);
        var xlsx = new byte[] { 0x50, 0x4B, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00, 0x08, 0x00 };
        Assert.StartsWith("这不是 CSV 文本文件", (await Session.Doc(await PreviewAsync(xlsx))).QuerySelector("#import-error")!.TextContent);
        var many = new StringBuilder(Header);
        for (var i = 0; i < 100_000; i++) many.Append("X").Append(i).Append(",名,Name,,,,,,\r\n");
        Assert.Equal("行数太多：一个文件最多 20000 行。", (await Session.Doc(await PreviewAsync(Encoding.UTF8.GetBytes(many.ToString())))).QuerySelector("#import-error")!.TextContent);
        Assert.StartsWith("未知的列", (await Session.Doc(await PreviewAsync(Encoding.UTF8.GetBytes("employee_no,salary\r\nE9,100\r\n")))).QuerySelector("#import-error")!.TextContent);

        var huge = new byte[50 * 1024 * 1024];
        Array.Fill(huge, (byte)'a');
        var res = await PreviewAsync(huge);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, res.StatusCode);
        Assert.Equal("文件太大：最多 10 MB。", (await Session.Doc(res)).QuerySelector("#import-error")!.TextContent);
        Assert.Equal(before, await DbProbe.FingerprintAsync(_app.Db));
    }

    [Fact]
    public async Task The_export_opens_in_Excel_neutralises_formulas_and_re_imports_unchanged()
    {
        var hostile = Header + "N010,\"=HYPERLINK(\"\"http://x\"\")\",+cmd|' /C calc'!A0,,A,,employee,zh-CN,-1+1\r\n" + "N011,@SUM(1+1),Ok,,A,,employee,,\r\n";
        await ImportAsync(Encoding.UTF8.GetBytes(hostile));
        var res = await _admin.Client.GetAsync("/Admin/Import?handler=Export");
        var bytes = await res.Content.ReadAsByteArrayAsync();
        Assert.Equal(Encoding.UTF8.GetPreamble(), bytes[..3]);
        var text = Encoding.UTF8.GetString(bytes[3..]);
        Assert.Contains("\"'=HYPERLINK(\"\"http://x\"\")\"", text);
        Assert.Contains("'+cmd|' /C calc'!A0", text);
        Assert.Contains("'-1+1", text);
        Assert.Contains("'@SUM(1+1)", text);
        Assert.DoesNotContain("EB1", text); // a site admin exports their own site

        var again = await Session.Doc(await PreviewAsync(bytes));
        Assert.Matches("新增 0，变更 0，不变 \\d+，停用 0，错误 0", again.QuerySelector("#preview-summary")!.TextContent);
        var template = await _admin.Client.GetAsync("/Admin/Import?handler=Template");
        Assert.StartsWith("employee_no,name_zh", Encoding.UTF8.GetString((await template.Content.ReadAsByteArrayAsync())[3..]));
    }

    [Fact]
    public async Task A_leading_apostrophe_is_removed_only_where_the_export_added_it()
    {
        // A hand-made file is taken as written: the name really starts with an apostrophe.
        var (_, apply) = await ImportAsync(Encoding.UTF8.GetBytes("employee_no,name_zh,name_en,team\r\nN801,'-x,=SUM(A1),A\r\n"));
        Assert.NotNull((await Session.Doc(apply!)).QuerySelector("#import-applied"));
        Assert.Equal(("'-x", "=SUM(A1)"), (await DbProbe.QueryAsync<(string, string)>(_app.Db, "SELECT name_zh, name_en FROM employees WHERE employee_no = 'N801'")).Single());
        // The export protects both (''-x, '=SUM(A1)) and reads back exactly what it wrote.
        var export = await (await _admin.Client.GetAsync("/Admin/Import?handler=Export")).Content.ReadAsByteArrayAsync();
        Assert.Contains("''-x", Encoding.UTF8.GetString(export));
        var again = await PreviewAsync(export);
        Assert.Contains("，变更 0，", (await Session.Doc(again)).QuerySelector("#preview-summary")!.TextContent);
    }

    [SqliteFact]
    public async Task The_command_line_import_prints_one_JSON_line_and_exits_1_on_a_bad_row()
    {
        var file = Path.Combine(_app.DataDir, "people.csv");
        await File.WriteAllTextAsync(file, ThreePeople.Replace("employee_no,", "site,employee_no,").Replace("\r\nN", "\r\nT1,N"));
        var env = new Dictionary<string, string> { ["Recognition__ConnectionStrings__Recognition"] = _app.Db.ConnectionString };

        var dry = await AppProcess.RunWithOutputAsync(env, "people", "import", file, "--dry-run");
        Assert.True(dry.Exit == 0, dry.Stderr);
        Assert.Equal("""{"new":3,"changed":0,"deactivated":0,"unchanged":0,"errors":0}""", dry.Stdout.Trim().Split('\n')[^1]);
        var run = await AppProcess.RunWithOutputAsync(env, "people", "import", file);
        Assert.Equal(0, run.Exit);
        Assert.Equal(3, await DbProbe.ScalarAsync<int>(_app.Db, "SELECT COUNT(*) FROM employees WHERE employee_no LIKE 'N00%'"));
        var rerun = await AppProcess.RunWithOutputAsync(env, "people", "import", file);
        Assert.Equal("""{"new":0,"changed":0,"deactivated":0,"unchanged":3,"errors":0}""", rerun.Stdout.Trim().Split('\n')[^1]);

        await File.AppendAllTextAsync(file, "T1,N001,重复,Dup,,,,employee,,\r\n");
        var bad = await AppProcess.RunWithOutputAsync(env, "people", "import", file);
        Assert.Equal(1, bad.Exit);
        Assert.Equal(1, JsonDocument.Parse(bad.Stdout.Trim().Split('\n')[^1]).RootElement.GetProperty("errors").GetInt32());
        Assert.Contains("row 5 (N001): This employee number appears twice in the file (first on row 2).", bad.Stderr);

        var export = Path.Combine(_app.DataDir, "out.csv");
        Assert.Equal(0, (await AppProcess.RunAsync(env, "people", "export", export, "--site", "T2")).Exit);
        Assert.Contains("EB1", await File.ReadAllTextAsync(export));
        Assert.DoesNotContain("N001", await File.ReadAllTextAsync(export));
    }

    public Task DisposeAsync()
    {
        _app.Dispose();
        return Task.CompletedTask;
    }
}
