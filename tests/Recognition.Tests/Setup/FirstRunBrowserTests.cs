using System.Text;
using Microsoft.Playwright;
using Recognition.Tests.Support;
using Recognition.Web.Features.Setup;

namespace Recognition.Tests.Setup;

/// <summary>
/// The whole first run, as an HR lead does it in a browser: an empty database → /setup with the code from the log →
/// import 200 people → hand one of them a password link → that person signs in and recognises a colleague.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class FirstRunBrowserTests(BrowserFixture browser) : IDisposable
{
    private readonly AppFactory _app = new(realPort: true);

    private static byte[] TwoHundredPeople()
    {
        var sb = new StringBuilder("employee_no,name_zh,name_en,roles,language\r\n");
        string[] surnames = ["王", "李", "张", "刘", "陈", "杨", "马", "赵"];
        for (var i = 1; i <= 200; i++) sb.Append($"P{i:0000},{surnames[i % 8]}{"伟芳磊静"[i % 4]}{i},Person {i},{(i % 20 == 0 ? "employee;supervisor" : "employee")},{(i % 2 == 0 ? "en-US" : "zh-CN")}\r\n");
        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    [BrowserFact]
    public async Task An_empty_database_is_set_up_200_people_imported_and_one_recognises_another()
    {
        var hr = await browser.NewPageAsync(_app.ServerAddress, locale: "zh-CN");
        await hr.GotoAsync($"/setup?code={_app.Get<SetupService>().Code}");
        await hr.FillAsync("#SiteNameZh", "苏州工厂");
        await hr.FillAsync("#SiteNameEn", "Suzhou Plant");
        await hr.FillAsync("#SiteCode", "SZ1");
        await hr.SelectOptionAsync("#TimeZone", "Asia/Shanghai");
        await hr.FillAsync("#AdminNo", "H001");
        // First try with three mistakes only the server sees: all three are named at once, beside their fields, and
        // everything typed stays (the passwords are typed again).
        await hr.FillAsync("#Password", "short");
        await hr.FillAsync("#Confirm", "shorter");
        await hr.ClickAsync("#setup-submit");
        foreach (var field in new[] { "AdminNameZh", "Password", "Confirm" })
        {
            var problem = hr.Locator($"#problem-{field}");
            await Assertions.Expect(problem).ToBeVisibleAsync();
            Assert.Equal("true", await hr.GetAttributeAsync($"#{field}", "aria-invalid"));
        }
        Assert.Equal(3, await hr.Locator("#setup-error li").CountAsync());
        Assert.Equal("苏州工厂", await hr.InputValueAsync("#SiteNameZh"));
        Assert.Equal("SZ1", await hr.InputValueAsync("#SiteCode"));
        Assert.Equal("H001", await hr.InputValueAsync("#AdminNo"));
        Assert.Equal("", await hr.InputValueAsync("#Password"));
        await BrowserFixture.ShotAsync(hr, "first-run-setup-refused-zh");
        Assert.Equal(0, await DbProbe.ScalarAsync<int>(_app.Db, "SELECT COUNT(*) FROM employees"));

        await hr.FillAsync("#AdminNameZh", "王人事");
        await hr.FillAsync("#Password", "plant-2026-setup");
        await hr.FillAsync("#Confirm", "plant-2026-setup");
        await BrowserFixture.ShotAsync(hr, "first-run-setup-zh");
        await hr.ClickAsync("#setup-submit");
        await hr.WaitForSelectorAsync("#welcome");

        await hr.ClickAsync("#import-people");
        // The file picker speaks the reader's language (the browser's own "Choose File" follows the OS).
        await Assertions.Expect(hr.Locator(".file-picker label")).ToHaveTextAsync("选择文件");
        await hr.SetInputFilesAsync("#import-file", new FilePayload { Name = "people.csv", MimeType = "text/csv", Buffer = TwoHundredPeople() });
        await hr.ClickAsync("#import-preview");
        await Assertions.Expect(hr.Locator("#preview-summary")).ToHaveTextAsync("新增 200，变更 0，不变 0，停用 0，错误 0");
        await BrowserFixture.ShotAsync(hr, "first-run-import-preview-zh");
        await hr.ClickAsync("#import-apply");
        await hr.WaitForSelectorAsync("#import-applied");
        Assert.Equal(201, await DbProbe.ScalarAsync<int>(_app.Db, "SELECT COUNT(*) FROM employees"));

        await hr.GotoAsync("/Admin/People?q=P0007");
        await hr.ClickAsync("#people a:has-text('P0007')");
        await hr.ClickAsync("#reset-password");
        var link = (await hr.Locator("#reset-link code").TextContentAsync())!;

        var person = await browser.NewPageAsync(_app.ServerAddress, width: 390, height: 844, locale: "en-US");
        await person.GotoAsync(new Uri(link).PathAndQuery);
        await person.FillAsync("#Password", "my-own-pass-77");
        await person.FillAsync("#Confirm", "my-own-pass-77");
        await person.ClickAsync("#reset-submit");
        await person.WaitForSelectorAsync("#reset-done");
        await person.GotoAsync("/Account/SignIn");
        await person.FillAsync("#Login", "P0007");
        await person.FillAsync("#Password", "my-own-pass-77");
        await person.ClickAsync("#signin-submit");
        await person.WaitForSelectorAsync("#home-greeting");

        await person.GotoAsync("/Recognize");
        await person.FillAsync("#people-search", "P0008");
        var colleague = await DbProbe.ScalarAsync<long>(_app.Db, "SELECT id FROM employees WHERE employee_no = 'P0008'");
        await person.ClickAsync($"[data-person-id='{colleague}']");
        await person.WaitForSelectorAsync($"#chosen [data-chip='{colleague}']");
        await person.Locator("input[name=BadgeId]").First.CheckAsync();
        await person.FillAsync("#message", "You showed me how to read the new torque chart on my first day, step by step.");
        await person.ClickAsync("#award-submit");
        await person.WaitForSelectorAsync("#award-done");
        await BrowserFixture.ShotAsync(person, "first-run-recognised-en-phone");
        Assert.Equal(1, await DbProbe.ScalarAsync<int>(_app.Db,
            "SELECT COUNT(*) FROM recognitions r JOIN recognition_recipients rr ON rr.recognition_id = r.id WHERE rr.employee_id = @colleague", new { colleague }));
    }

    public void Dispose() => _app.Dispose();
}
