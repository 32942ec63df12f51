using System.Net;
using System.Text;
using Recognition.Tests.Support;

namespace Recognition.Tests.Admin;

/// <summary>
/// The audit log as HR reads it: what happened in words of their language, who by name (linked), to whom by name (linked),
/// site time; filters by kind, person and date; a CSV of the same filters; another site's rows never appear.
/// </summary>
public sealed class AuditLogTests : IAsyncLifetime
{
    private readonly AppFactory _app = new();
    private World _w = null!;
    private Session _a1 = null!;

    public async Task InitializeAsync()
    {
        _w = await World.CreateAsync(_app);
        await _w.AddSecondSiteAsync(_app);
        _a1 = await Session.SignInAsync(_app, "A1");
        await Session.SignInAsync(_app, "E1");
        await Session.SignInAsync(_app, "AB1"); // the other site's admin signs in: never on A1's log
        var res = await _a1.PostFormAsync("/Admin?handler=ResetPin", new() { ["employeeNo"] = "E2" });
        Assert.True(res.IsSuccessStatusCode || res.StatusCode == HttpStatusCode.Redirect, $"{res.StatusCode}");
    }

    [Fact]
    public async Task Rows_name_the_action_the_person_and_the_target_in_the_readers_language_with_links()
    {
        var doc = await _a1.GetDocAsync("/Admin/Audit");
        var reset = doc.QuerySelector("#audit tr[data-action='kiosk.pin_reset']")!;
        Assert.Equal("重置了终端 PIN", reset.QuerySelector(".audit-what")!.TextContent.Trim());
        Assert.Equal($"/Admin/Person?id={_w.Admin}", reset.QuerySelector(".audit-who a")!.GetAttribute("href"));
        Assert.Equal("人事", reset.QuerySelector(".audit-who a")!.TextContent.Trim());
        var target = reset.QuerySelector(".audit-target a")!;
        Assert.Equal("陈静", target.TextContent.Trim());
        Assert.Equal($"/Admin/Person?id={_w.Alice}", target.GetAttribute("href"));
        Assert.Matches(@"\d{4}-\d\d-\d\d \d\d:\d\d", reset.QuerySelector("time")!.TextContent);
        // Nothing raw: no code where a sentence belongs, no "employee:12".
        Assert.DoesNotContain("employee:", doc.QuerySelector("#audit")!.TextContent);
        Assert.DoesNotContain("kiosk.pin_reset", doc.QuerySelector("#audit")!.TextContent);
        Assert.DoesNotContain("AB1", doc.QuerySelector("#audit")!.TextContent);

        var en = await Session.SignInAsync(_app, "A1", acceptLanguage: "en-US");
        await en.PostFormAsync("/Account/Language", new() { ["culture"] = "en-US", ["returnUrl"] = "/Admin/Audit" }, formPage: "/Admin/Audit");
        var english = await en.GetDocAsync("/Admin/Audit?what=kiosk.");
        Assert.Equal("reset a kiosk PIN", english.QuerySelector("#audit tr[data-action='kiosk.pin_reset'] .audit-what")!.TextContent.Trim());
        Assert.Equal("Jing Chen", english.QuerySelector("#audit tr[data-action='kiosk.pin_reset'] .audit-target a")!.TextContent.Trim());
    }

    [Fact]
    public async Task Filters_by_kind_person_and_date_and_the_csv_has_the_same_rows()
    {
        var kiosk = await _a1.GetDocAsync("/Admin/Audit?what=kiosk.");
        var actions = kiosk.QuerySelectorAll("#audit tr[data-action]").Select(r => r.GetAttribute("data-action")).ToList();
        Assert.NotEmpty(actions);
        Assert.All(actions, a => Assert.StartsWith("kiosk.", a));
        Assert.Equal("kiosk.", kiosk.QuerySelector("#audit-kind option[selected]")!.GetAttribute("value"));

        // A person by name or by employee number: what they did.
        foreach (var who in new[] { "王伟", "e1" })
        {
            var rows = (await _a1.GetDocAsync($"/Admin/Audit?who={Uri.EscapeDataString(who)}")).QuerySelectorAll("#audit tr[data-action]");
            Assert.NotEmpty(rows);
            Assert.All(rows, r => Assert.Equal($"/Admin/Person?id={_w.Giver}", r.QuerySelector(".audit-who a")!.GetAttribute("href")));
        }
        var today = _app.Clock.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var yesterday = _app.Clock.UtcNow.AddDays(-1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        Assert.NotEmpty((await _a1.GetDocAsync($"/Admin/Audit?from={today}&to={today}")).QuerySelectorAll("#audit tr[data-action]"));
        Assert.NotNull((await _a1.GetDocAsync($"/Admin/Audit?to={yesterday}")).QuerySelector("#audit-empty"));

        var page = await _a1.GetDocAsync("/Admin/Audit?what=kiosk.");
        var csvUrl = page.QuerySelector("#audit-csv")!.GetAttribute("href")!;
        var res = await _a1.Client.GetAsync(csvUrl);
        Assert.Equal("text/csv", res.Content.Headers.ContentType!.MediaType);
        var lines = Encoding.UTF8.GetString(await res.Content.ReadAsByteArrayAsync()).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("when,who,employee_no,what,action,target,target_id,detail,before,after", lines[0]);
        Assert.Equal(actions.Count, lines.Length - 1);
        Assert.Contains(lines, l => l.Contains("重置了终端 PIN", StringComparison.Ordinal) && l.Contains("陈静", StringComparison.Ordinal) && l.Contains($"employee:{_w.Alice}", StringComparison.Ordinal));
        Assert.NotEqual(HttpStatusCode.OK, (await (await Session.SignInAsync(_app, "E1")).Client.GetAsync("/Admin/Audit?handler=Csv")).StatusCode);
    }

    public Task DisposeAsync()
    {
        _app.Dispose();
        return Task.CompletedTask;
    }
}
