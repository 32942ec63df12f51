using System.Net;
using Recognition.Tests.Support;
using Recognition.Web.Infrastructure.Auth;

namespace Recognition.Tests.Walls;

public sealed class DeviceTests : IAsyncLifetime
{
    private readonly AppFactory _app = new();
    private World _w = null!;

    public async Task InitializeAsync() => _w = await World.CreateAsync(_app);

    private async Task<(long Id, string Code)> NewDisplayAsync(string name = "Canteen TV")
    {
        var admin = await Session.SignInAsync(_app, "A1");
        var res = await admin.PostFormAsync("/Admin/Devices?handler=Create", new() { ["kind"] = "display", ["name"] = name, ["teamId"] = "", ["locale"] = "en-US" }, formPage: "/Admin/Devices");
        var doc = await Session.Doc(res);
        var code = doc.QuerySelector("#pairing-code")!.TextContent.Trim();
        var id = await DbProbe.ScalarAsync<long>(_app.Db, "SELECT MAX(id) FROM devices");
        return (id, code);
    }

    [Fact]
    public async Task A_wall_named_in_chinese_gets_a_readable_pinyin_address_and_a_second_of_the_same_name_its_own()
    {
        await NewDisplayAsync("冲压车间 大屏");
        await NewDisplayAsync("冲压车间 大屏");
        await NewDisplayAsync("总装 Line 2 / 看板");
        Assert.Equal(["chong-ya-che-jian-da-ping", "chong-ya-che-jian-da-ping-2", "zong-zhuang-line-2-kan-ban"],
            await DbProbe.QueryAsync<string>(_app.Db, "SELECT slug FROM devices ORDER BY id"));
        // The search side of the same table: pinyin initials find a Chinese name, under either reading of a character.
        Assert.True(Recognition.Web.Domain.PinyinInitials.Matches("赵海敏", "zhm"));
        Assert.True(Recognition.Web.Domain.PinyinInitials.Matches("单建华", "sjh")); // 单 read shàn as a surname
        Assert.True(Recognition.Web.Domain.PinyinInitials.Matches("单建华", "dj"));
        Assert.False(Recognition.Web.Domain.PinyinInitials.Matches("赵海敏", "zm"));
    }

    [Fact]
    public async Task A_pairing_code_enrolls_one_browser_once_and_the_display_reads_only_its_wall()
    {
        var (id, code) = await NewDisplayAsync();
        Assert.Matches("^[A-Z2-9]{8}$", code);
        var tv = Session.Anonymous(_app);
        var paired = await tv.PostFormAsync("/pair", new() { ["Code"] = code.ToLowerInvariant() });
        Assert.Equal(HttpStatusCode.Redirect, paired.StatusCode);
        Assert.Equal("/walls/canteen-tv", paired.Headers.Location!.OriginalString);
        var cookie = paired.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(DeviceClaims.Cookie, StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        var wall = await tv.GetDocAsync("/walls/canteen-tv");
        Assert.Equal("en-US", wall.DocumentElement.GetAttribute("lang")); // the display's language
        Assert.Equal("Honor wall", wall.QuerySelector("title")!.TextContent);

        // Single use: a second browser with the same code is refused.
        var other = Session.Anonymous(_app);
        var again = await other.PostFormAsync("/pair", new() { ["Code"] = code });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, again.StatusCode);
        Assert.Equal("配对码无效。请核对，或索取新的配对码。", (await Session.Doc(again)).QuerySelector("#pair-error")!.TextContent);

        // A display is not a person: no other pages, and no other wall.
        Assert.Equal(HttpStatusCode.Forbidden, (await tv.Client.GetAsync("/Me")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await tv.Client.GetAsync("/Admin")).StatusCode);
        await NewDisplayAsync("Line 2 TV");
        Assert.Equal("/pair", (await tv.Client.GetAsync("/walls/line-2-tv")).Headers.Location!.OriginalString);
        Assert.Equal(1, await DbProbe.ScalarAsync<int>(_app.Db, "SELECT COUNT(*) FROM audit_log WHERE action = 'device.paired' AND target = @t", new { t = $"device:{id}" }));
    }

    [Fact]
    public async Task A_wall_draws_reaction_counts_with_its_own_template_and_its_catch_up_carries_them_as_numbers()
    {
        var (_, code) = await NewDisplayAsync();
        var tv = Session.Anonymous(_app);
        Assert.Equal(HttpStatusCode.Redirect, (await tv.PostFormAsync("/pair", new() { ["Code"] = code })).StatusCode);
        var award = await _app.Get<Recognition.Web.Features.Recognize.AwardService>().AwardAsync(new(_w.Giver, [_w.Alice], _w.Badges["mentor"], null,
            "You showed me the new press step by step; I ran it alone today.", "public", 0, Recognition.Web.Infrastructure.Data.Idempotency.NewKey()), _app.Clock.UtcNow);
        var wall = await tv.GetDocAsync("/walls/canteen-tv");
        // Every kind drawn once in the display's language, for the page to draw pushed counts with.
        var kinds = ((AngleSharp.Html.Dom.IHtmlTemplateElement)wall.QuerySelector("template#wreact-kinds")!).Content.QuerySelectorAll(".wreact");
        Assert.Equal(Recognition.Web.Features.Social.Reactions.Kinds, kinds.Select(k => k.GetAttribute("data-kind")));
        Assert.Contains("Learned", kinds[^1].TextContent);
        var after = wall.Body!.GetAttribute("data-last-seq");

        var reactions = _app.Get<Recognition.Web.Features.Social.Reactions>();
        Assert.True((await reactions.SetAsync(award.Id!.Value, _w.Bob, _w.SiteId, "like", true, _app.Clock.UtcNow)).Ok);
        Assert.True((await reactions.SetAsync(award.Id!.Value, _w.Carol, _w.SiteId, "like", true, _app.Clock.UtcNow)).Ok);
        var since = await tv.GetDocAsync($"/walls/canteen-tv?handler=Since&after={after}");
        Assert.Equal("{\"like\":2}", since.QuerySelector($"template.since-reacts[data-id='{award.Id}']")!.GetAttribute("data-counts"));
    }

    [Fact]
    public async Task Expired_and_malformed_codes_are_refused_and_revoking_a_display_locks_it_out()
    {
        var (_, code) = await NewDisplayAsync();
        _app.Clock.Advance(TimeSpan.FromMinutes(16));
        var tv = Session.Anonymous(_app, "en-US");
        var expired = await tv.PostFormAsync("/pair", new() { ["Code"] = code });
        Assert.Equal("That pairing code has expired. Ask for a new one.", (await Session.Doc(expired)).QuerySelector("#pair-error")!.TextContent);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await tv.PostFormAsync("/pair", new() { ["Code"] = "<script>" })).StatusCode);

        var (id, fresh) = await NewDisplayAsync("Gate TV");
        Assert.Equal(HttpStatusCode.Redirect, (await tv.PostFormAsync("/pair", new() { ["Code"] = fresh })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await tv.Client.GetAsync("/walls/gate-tv")).StatusCode);
        var admin = await Session.SignInAsync(_app, "A1");
        await admin.PostFormAsync("/Admin/Devices?handler=Revoke", new() { ["id"] = id.ToString() }, formPage: "/Admin/Devices");
        Assert.Equal("/pair", (await tv.Client.GetAsync("/walls/gate-tv")).Headers.Location!.OriginalString);
        Assert.Equal(1, await DbProbe.ScalarAsync<int>(_app.Db, "SELECT COUNT(*) FROM events WHERE kind = 'device.revoked'"));
    }

    [Fact]
    public async Task Only_admins_manage_devices_and_bad_input_writes_nothing()
    {
        var sup = await Session.SignInAsync(_app, "S1");
        Assert.Equal(HttpStatusCode.Forbidden, (await sup.Client.GetAsync("/Admin/Devices")).StatusCode);
        var admin = await Session.SignInAsync(_app, "A1");
        var bad = await admin.PostFormAsync("/Admin/Devices?handler=Create", new() { ["kind"] = "toaster", ["name"] = "X TV" }, formPage: "/Admin/Devices");
        Assert.Equal("请选择墙面显示屏或自助终端。", (await Session.Doc(bad)).QuerySelector("#devices-error")!.TextContent);
        var noName = await admin.PostFormAsync("/Admin/Devices?handler=Create", new() { ["kind"] = "display", ["name"] = " " }, formPage: "/Admin/Devices");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, noName.StatusCode);
        var badTeam = await admin.PostFormAsync("/Admin/Devices?handler=Create", new() { ["kind"] = "display", ["name"] = "Team TV", ["teamId"] = "99999" }, formPage: "/Admin/Devices");
        Assert.Equal("本厂区没有这个班组。", (await Session.Doc(badTeam)).QuerySelector("#devices-error")!.TextContent);
        Assert.Equal(0, await DbProbe.ScalarAsync<int>(_app.Db, "SELECT COUNT(*) FROM devices"));
    }

    [Fact]
    public async Task The_devices_page_speaks_the_admin_s_language_shows_site_local_times_and_asks_before_revoking()
    {
        await _app.Db.WriteAsync((c, t) => Dapper.SqlMapper.ExecuteAsync(c, "UPDATE employees SET locale = 'en-US' WHERE employee_no = 'A1'", transaction: t));
        var admin = await Session.SignInAsync(_app, "A1");
        var res = await admin.PostFormAsync("/Admin/Devices?handler=Create",
            new() { ["kind"] = "display", ["name"] = "Line TV", ["teamId"] = $"{_w.TeamA}", ["locale"] = "en-US" }, formPage: "/Admin/Devices");
        var doc = await Session.Doc(res);
        Assert.Contains("2026-11-18 10:15", doc.QuerySelector("#pairing")!.TextContent); // 02:00 UTC + 15 min, in Shanghai
        Assert.DoesNotContain("UTC", doc.QuerySelector("#pairing")!.TextContent);
        var row = doc.QuerySelector("#devices tbody tr")!;
        Assert.Contains("Stamping 1", row.TextContent);
        Assert.StartsWith("Revoke 'Line TV'?", row.QuerySelector("form[data-confirm]")!.GetAttribute("data-confirm"));
    }

    public Task DisposeAsync()
    {
        _app.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_screen_that_connects_and_leaves_within_one_write_ends_offline_with_what_it_reported()
    {
        var (id, _) = await NewDisplayAsync();
        var presence = _app.Get<Recognition.Web.Features.Walls.DevicePresence>();
        presence.Connected(id, new("1.2.3", "1920x1080"));
        presence.Disconnected(id); // a reload, then the screen was switched off: both land in the same gathering
        await presence.FlushAsync(heartbeat: false);
        Assert.NotNull(await DbProbe.ScalarAsync<DateTime?>(_app.Db, $"SELECT offline_utc FROM devices WHERE id = {id}"));
        Assert.Equal("1920x1080", await DbProbe.ScalarAsync<string>(_app.Db, $"SELECT screen FROM devices WHERE id = {id}"));
    }
}
