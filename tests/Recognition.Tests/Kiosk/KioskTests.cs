using System.Net;
using Dapper;
using Recognition.Tests.Support;
using Recognition.Web.Features.Devices;
using Recognition.Web.Features.Kiosk;

namespace Recognition.Tests.Kiosk;

public sealed class KioskTests : IAsyncLifetime
{
    private readonly AppFactory _app = new();
    private World _w = null!;

    public async Task InitializeAsync() => _w = await World.CreateAsync(_app);

    public static async Task<string> PairCodeAsync(AppFactory app, World w, string kind = "kiosk", string locale = "zh-CN")
    {
        var devices = app.Get<DeviceService>();
        var d = await devices.CreateAsync(w.Admin, w.SiteId, null, kind, $"{kind} {Guid.NewGuid():N}"[..16], locale, app.Clock.UtcNow);
        return (await devices.IssuePairingCodeAsync(d.Id!.Value, AdminScope.CommandLine, app.Clock.UtcNow))!.PairingCode;
    }

    private async Task<Session> PairedKioskAsync(string lang = "zh-CN")
    {
        var s = Session.Anonymous(_app, lang);
        var res = await s.PostFormAsync("/pair", new() { ["Code"] = await PairCodeAsync(_app, _w, locale: lang) });
        Assert.Equal("/kiosk", res.Headers.Location!.OriginalString);
        return s;
    }

    [Fact]
    public async Task A_badge_scan_signs_in_and_a_kiosk_session_cannot_reach_office_pages()
    {
        var kiosk = await PairedKioskAsync();
        var res = await kiosk.PostFormAsync("/kiosk?handler=Scan", new() { ["code"] = "B-S1" }, formPage: "/kiosk");
        Assert.Equal("/kiosk/home", res.Headers.Location!.OriginalString);
        var home = await kiosk.GetDocAsync("/kiosk/home");
        Assert.Contains("张主管", home.QuerySelector("#kiosk-hello")!.TextContent);
        Assert.True((await kiosk.Client.GetAsync("/kiosk/home")).Headers.CacheControl!.NoStore);
        // Even a supervisor, at a kiosk, is only a kiosk user.
        Assert.Equal(HttpStatusCode.Forbidden, (await kiosk.Client.GetAsync("/Supervisor/Approvals")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await kiosk.Client.GetAsync("/Admin")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await kiosk.Client.GetAsync("/Me")).StatusCode);
        // Back on the idle screen the session is gone (one redirect, so the idle screen is in the kiosk's own language).
        Assert.Equal(HttpStatusCode.Redirect, (await kiosk.Client.GetAsync("/kiosk")).StatusCode);
        await kiosk.GetDocAsync("/kiosk");
        Assert.Equal("/kiosk", (await kiosk.Client.GetAsync("/kiosk/home")).Headers.Location!.AbsolutePath);
    }

    [Fact]
    public async Task Unknown_badges_and_bad_pins_get_clear_messages()
    {
        var kiosk = await PairedKioskAsync();
        var bad = await kiosk.PostFormAsync("/kiosk?handler=Scan", new() { ["code"] = "NOPE-123" }, formPage: "/kiosk");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);
        Assert.Contains("无法识别这张工牌", (await Session.Doc(bad)).QuerySelector("#kiosk-error")!.TextContent);
        var format = await kiosk.PostFormAsync("/kiosk?handler=Pin", new() { ["EmployeeNo"] = "E1", ["pin"] = "12ab" }, formPage: "/kiosk");
        Assert.Contains("6 位数字密码", (await Session.Doc(format)).QuerySelector("#kiosk-error")!.TextContent);
        Assert.NotNull((await Session.Doc(format)).QuerySelector("#pin-panel[open]")); // the keypad stays open
        var inactive = await kiosk.PostFormAsync("/kiosk?handler=Scan", new() { ["code"] = "" }, formPage: "/kiosk");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, inactive.StatusCode);
    }

    [Fact]
    public async Task Five_wrong_pins_lock_the_pin_for_fifteen_minutes_and_it_is_audited()
    {
        var signIn = _app.Get<KioskSignIn>();
        var now = _app.Clock.UtcNow;
        for (var i = 1; i <= 5; i++)
        {
            var r = await signIn.ByPinAsync(_w.SiteId, 1, "E1", "000000", now);
            Assert.Equal("Error.PinWrong", r.Error); // never "N tries left": that would tell real numbers apart
        }
        var locked = await signIn.ByPinAsync(_w.SiteId, 1, "E1", "123456", now.AddMinutes(14)); // the right PIN, still locked
        Assert.Equal(("Error.PinLocked", 1), (locked.Error, (int)locked.Args[0]));
        Assert.NotNull((await signIn.ByPinAsync(_w.SiteId, 1, "E1", "123456", now.AddMinutes(15).AddSeconds(1))).Value);
        Assert.Equal(4, await DbProbe.ScalarAsync<int>(_app.Db, "SELECT COUNT(*) FROM audit_log WHERE action = 'kiosk.pin_failed'"));
        Assert.Equal(1, await DbProbe.ScalarAsync<int>(_app.Db, "SELECT COUNT(*) FROM audit_log WHERE action = 'kiosk.pin_locked'"));
        // The message a person reads, in their language.
        var kiosk = await PairedKioskAsync("en-US");
        for (var i = 0; i < 5; i++) await kiosk.PostFormAsync("/kiosk?handler=Pin", new() { ["EmployeeNo"] = "S1", ["pin"] = "999999" }, formPage: "/kiosk");
        var res = await kiosk.PostFormAsync("/kiosk?handler=Pin", new() { ["EmployeeNo"] = "S1", ["pin"] = "111111" }, formPage: "/kiosk");
        Assert.StartsWith("⚠ Your PIN is locked. Try again in 15 minutes", (await Session.Doc(res)).QuerySelector("#kiosk-error")!.TextContent.Trim());
    }

    [Fact]
    public async Task An_unknown_number_reads_exactly_like_a_wrong_pin_and_locks_the_same_way()
    {
        var kiosk = await PairedKioskAsync("en-US");
        async Task<(HttpStatusCode, string)> TryAsync(string no, string pin)
        {
            var res = await kiosk.PostFormAsync("/kiosk?handler=Pin", new() { ["EmployeeNo"] = no, ["pin"] = pin }, formPage: "/kiosk");
            return (res.StatusCode, (await Session.Doc(res)).QuerySelector("#kiosk-error")!.TextContent.Trim());
        }
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(await TryAsync("E2", "999999"), await TryAsync("ZZ404", "999999"));
        }
        var knownLocked = await TryAsync("E2", "123456");
        var unknownLocked = await TryAsync("ZZ404", "123456");
        Assert.Equal(knownLocked, unknownLocked);
        Assert.StartsWith("⚠ Your PIN is locked. Try again in 15 minutes", unknownLocked.Item2);
    }

    [Fact]
    public async Task Changing_the_pin_is_locked_after_five_wrong_current_pins_like_signing_in()
    {
        var kiosk = await PairedKioskAsync("en-US");
        await kiosk.PostFormAsync("/kiosk?handler=Pin", new() { ["EmployeeNo"] = "E1", ["pin"] = "123456" }, formPage: "/kiosk");
        for (var i = 0; i < 5; i++)
        {
            var wrong = await kiosk.PostFormAsync("/kiosk/me?handler=Pin", new() { ["current"] = $"{200000 + i}", ["next"] = "482916", ["repeat"] = "482916" }, formPage: "/kiosk/me");
            Assert.Equal("⚠ 工号或密码不正确。", (await Session.Doc(wrong)).QuerySelector("#kiosk-error")!.TextContent.Trim()); // E1 reads Chinese
        }
        var right = await kiosk.PostFormAsync("/kiosk/me?handler=Pin", new() { ["current"] = "123456", ["next"] = "482916", ["repeat"] = "482916" }, formPage: "/kiosk/me");
        Assert.StartsWith("⚠ 你的密码已锁定", (await Session.Doc(right)).QuerySelector("#kiosk-error")!.TextContent.Trim());
        Assert.Equal(1, await DbProbe.ScalarAsync<int>(_app.Db, "SELECT COUNT(*) FROM audit_log WHERE action = 'kiosk.pin_locked'"));
        Assert.Null((await _app.Get<KioskSignIn>().ByPinAsync(_w.SiteId, 1, "E1", "482916", _app.Clock.UtcNow.AddMinutes(16))).Value); // unchanged
    }

    [Fact]
    public async Task Unknown_badge_scans_are_limited_per_kiosk_the_admin_is_told_and_a_known_badge_always_gets_in()
    {
        var kiosk = await PairedKioskAsync("en-US");
        for (var i = 0; i < 10; i++)
        {
            var r = await kiosk.PostFormAsync("/kiosk?handler=Scan", new() { ["code"] = $"GUESS-{i}" }, formPage: "/kiosk");
            Assert.Contains("This badge is not known here", (await Session.Doc(r)).QuerySelector("#kiosk-error")!.TextContent);
        }
        for (var i = 0; i < 3; i++)
        {
            var throttled = await kiosk.PostFormAsync("/kiosk?handler=Scan", new() { ["code"] = $"MORE-{i}" }, formPage: "/kiosk");
            Assert.Contains("Too many unknown badges at this kiosk", (await Session.Doc(throttled)).QuerySelector("#kiosk-error")!.TextContent);
        }
        Assert.Equal(10, await DbProbe.ScalarAsync<int>(_app.Db, "SELECT COUNT(*) FROM audit_log WHERE action = 'kiosk.badge_unknown'"));
        Assert.Equal(1, await DbProbe.ScalarAsync<int>(_app.Db, "SELECT COUNT(*) FROM audit_log WHERE action = 'kiosk.scan_throttled'"));
        var other = await PairedKioskAsync("en-US"); // another kiosk is not affected
        var elsewhere = await other.PostFormAsync("/kiosk?handler=Scan", new() { ["code"] = "GUESS-X" }, formPage: "/kiosk");
        Assert.Contains("This badge is not known here", (await Session.Doc(elsewhere)).QuerySelector("#kiosk-error")!.TextContent);
        // A real badge on the throttled kiosk still gets in while the unknown ones are held back.
        var real = await kiosk.PostFormAsync("/kiosk?handler=Scan", new() { ["code"] = "B-E1" }, formPage: "/kiosk");
        Assert.Equal("/kiosk/home", real.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task The_server_ends_a_kiosk_session_after_the_idle_time_since_the_last_request()
    {
        var kiosk = await PairedKioskAsync();
        await kiosk.PostFormAsync("/kiosk?handler=Scan", new() { ["code"] = "B-E1" }, formPage: "/kiosk");
        _app.Clock.Advance(TimeSpan.FromSeconds(50));
        var alive = await kiosk.PostFormAsync("/kiosk/home?handler=Alive", [], formPage: "/kiosk/home");
        Assert.Equal(HttpStatusCode.NoContent, alive.StatusCode);
        _app.Clock.Advance(TimeSpan.FromSeconds(50)); // 100 s after signing in, 50 s after the last touch
        Assert.Equal(HttpStatusCode.OK, (await kiosk.Client.GetAsync("/kiosk/home")).StatusCode);
        _app.Clock.Advance(TimeSpan.FromSeconds(61)); // idle longer than Kiosk:IdleSeconds (60)
        Assert.Equal("/kiosk", (await kiosk.Client.GetAsync("/kiosk/home")).Headers.Location!.AbsolutePath);
    }

    [Fact]
    public async Task Parallel_guesses_never_get_more_than_five_tries()
    {
        var signIn = _app.Get<KioskSignIn>();
        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(() => signIn.ByPinAsync(_w.SiteId, 1, "E1", $"{100000 + i}", _app.Clock.UtcNow))));
        Assert.Equal(5, await DbProbe.ScalarAsync<int>(_app.Db, "SELECT COUNT(*) FROM audit_log WHERE action IN ('kiosk.pin_failed', 'kiosk.pin_locked')"));
        Assert.Equal(15, results.Count(r => r.Error == "Error.PinLocked"));
    }

    [Fact]
    public async Task A_display_cannot_use_kiosk_pages_and_a_person_can_change_their_pin()
    {
        var tv = Session.Anonymous(_app);
        await tv.PostFormAsync("/pair", new() { ["Code"] = await PairCodeAsync(_app, _w, "display") });
        Assert.NotEqual(HttpStatusCode.OK, (await tv.Client.GetAsync("/kiosk")).StatusCode);

        var kiosk = await PairedKioskAsync();
        await kiosk.PostFormAsync("/kiosk?handler=Pin", new() { ["EmployeeNo"] = "E1", ["pin"] = "123456" }, formPage: "/kiosk");
        var simple = await kiosk.PostFormAsync("/kiosk/me?handler=Pin", new() { ["current"] = "123456", ["next"] = "111111", ["repeat"] = "111111" }, formPage: "/kiosk/me");
        Assert.Contains("不要使用相同数字", (await Session.Doc(simple)).QuerySelector("#kiosk-error")!.TextContent);
        var ok = await kiosk.PostFormAsync("/kiosk/me?handler=Pin", new() { ["current"] = "123456", ["next"] = "482916", ["repeat"] = "482916" }, formPage: "/kiosk/me");
        Assert.Equal("/kiosk?done=pin", ok.Headers.Location!.OriginalString);
        Assert.NotNull((await _app.Get<KioskSignIn>().ByPinAsync(_w.SiteId, 1, "E1", "482916", _app.Clock.UtcNow)).Value);
    }

    [Fact]
    public async Task A_hazard_report_at_the_kiosk_becomes_a_pending_claim_and_bad_input_writes_nothing()
    {
        var kiosk = await PairedKioskAsync();
        await kiosk.PostFormAsync("/kiosk?handler=Scan", new() { ["code"] = "B-E1" }, formPage: "/kiosk");
        var before = await DbProbe.FingerprintAsync(_app.Db);
        var noArea = await kiosk.PostFormAsync("/kiosk/report", new() { ["Rule"] = "hazard_report", ["What"] = "地面有油或水" }, formPage: "/kiosk/report");
        Assert.Equal("⚠ 请选择地点。", (await Session.Doc(noArea)).QuerySelector("#kiosk-error")!.TextContent.Trim());
        var badRule = await kiosk.PostFormAsync("/kiosk/report", new() { ["Rule"] = "suggestion_adopted", ["What"] = "地面有油或水", ["AreaId"] = "1" }, formPage: "/kiosk/report");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, badRule.StatusCode);
        Assert.Equal(before, await DbProbe.FingerprintAsync(_app.Db));
        var area = await DbProbe.ScalarAsync<long>(_app.Db, "SELECT MIN(id) FROM site_areas");
        var ok = await kiosk.PostFormAsync("/kiosk/report", new() { ["Rule"] = "near_miss", ["What"] = "地面有油或水", ["AreaId"] = area.ToString(), ["Note"] = "靠近 3 号压机" }, formPage: "/kiosk/report");
        Assert.Equal("/kiosk?done=reported", ok.Headers.Location!.OriginalString);
        Assert.Equal("地面有油或水（冲压车间） 靠近 3 号压机", await DbProbe.ScalarAsync<string>(_app.Db, "SELECT description FROM claims"));
        Assert.Equal("pending", await DbProbe.ScalarAsync<string>(_app.Db, "SELECT status FROM claims"));
        Assert.Equal("/kiosk", (await kiosk.Client.GetAsync("/kiosk/home")).Headers.Location!.AbsolutePath); // signed out after the action
    }

    [Fact]
    public async Task A_quick_pick_is_stored_as_the_choice_and_read_in_each_readers_language()
    {
        var kiosk = await PairedKioskAsync();
        await kiosk.PostFormAsync("/kiosk?handler=Scan", new() { ["code"] = "B-E1" }, formPage: "/kiosk");
        var form = await kiosk.GetDocAsync("/kiosk/report");
        Assert.NotNull(form.QuerySelector("input[name=What][value='Kiosk.Hazard.Oil']")); // the choice, not the words
        var area = await DbProbe.ScalarAsync<long>(_app.Db, "SELECT MIN(id) FROM site_areas");
        var ok = await kiosk.PostFormAsync("/kiosk/report", new() { ["Rule"] = "hazard_report", ["What"] = "Kiosk.Hazard.Oil", ["AreaId"] = area.ToString(), ["Note"] = "靠近 3 号压机" }, formPage: "/kiosk/report");
        Assert.Equal("/kiosk?done=reported", ok.Headers.Location!.OriginalString);
        Assert.Equal("Kiosk.Hazard.Oil", await DbProbe.ScalarAsync<string>(_app.Db, "SELECT quick_pick FROM claims"));

        // The Chinese reporter wrote it; the English-speaking supervisor reads the choice and the place in English.
        await _app.Db.WriteAsync((c, t) => c.ExecuteAsync("UPDATE employees SET locale = 'en-US' WHERE employee_no = 'S1'", transaction: t));
        var english = await (await Session.SignInAsync(_app, "S1")).GetDocAsync("/Supervisor/Approvals");
        Assert.Contains("Oil or water on the floor (Stamping workshop) 靠近 3 号压机", english.QuerySelector("main")!.TextContent);
        var chinese = await (await Session.SignInAsync(_app, "E1")).GetDocAsync("/Me");
        Assert.Contains("地面有油或水（冲压车间） 靠近 3 号压机", chinese.QuerySelector("main")!.TextContent);
    }

    [Fact]
    public async Task A_report_of_invisible_characters_is_refused_even_with_an_area_name_added()
    {
        var kiosk = await PairedKioskAsync();
        await kiosk.PostFormAsync("/kiosk?handler=Scan", new() { ["code"] = "B-E1" }, formPage: "/kiosk");
        var area = await DbProbe.ScalarAsync<long>(_app.Db, "SELECT MIN(id) FROM site_areas");
        var before = await DbProbe.FingerprintAsync(_app.Db);
        var invisible = await kiosk.PostFormAsync("/kiosk/report", new() { ["Rule"] = "hazard_report", ["What"] = new string('\u200B', 40), ["AreaId"] = area.ToString() }, formPage: "/kiosk/report");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, invisible.StatusCode);
        var tooShort = await kiosk.PostFormAsync("/kiosk/report", new() { ["Rule"] = "hazard_report", ["What"] = "油\u200B\u200B", ["AreaId"] = area.ToString() }, formPage: "/kiosk/report");
        Assert.Contains("至少", (await Session.Doc(tooShort)).QuerySelector("#kiosk-error")!.TextContent);
        Assert.Equal(before, await DbProbe.FingerprintAsync(_app.Db));
    }

    [Fact]
    public async Task The_keypad_offers_the_letters_the_site_s_employee_numbers_use_and_namesakes_are_told_apart()
    {
        var kiosk = await PairedKioskAsync();
        var keys = (await kiosk.GetDocAsync("/kiosk")).QuerySelectorAll("#keypad .kletter").Select(k => k.TextContent).ToList();
        Assert.Equal(["A", "E", "S"], keys); // A1, E1…, S1 at this site
        await _app.Db.WriteAsync((c, t) => c.ExecuteAsync("UPDATE employees SET name_zh = '马建华' WHERE employee_no IN ('E2', 'E5')", transaction: t));
        await kiosk.PostFormAsync("/kiosk?handler=Scan", new() { ["code"] = "B-E1" }, formPage: "/kiosk");
        var people = await kiosk.GetDocAsync("/kiosk/recognize?handler=Search&q=马建华");
        var labels = people.QuerySelectorAll(".kperson").Select(p => p.TextContent.Trim()).ToList();
        Assert.Equal(2, labels.Count);
        Assert.NotEqual(labels[0], labels[1]); // team and the last digits of the number differ
    }

    public Task DisposeAsync()
    {
        _app.Dispose();
        return Task.CompletedTask;
    }
}

public sealed class KioskLanguageTests : IAsyncLifetime
{
    private readonly AppFactory _app = new();
    private World _w = null!;

    public async Task InitializeAsync() => _w = await World.CreateAsync(_app);

    private static async Task<string> LangAsync(Session s, string url)
    {
        var doc = await s.GetDocAsync(url);
        return doc.DocumentElement.GetAttribute("lang")!;
    }

    [Fact]
    public async Task The_language_button_works_on_every_kiosk_screen_and_the_kiosk_returns_to_its_own_language()
    {
        var kiosk = Session.Anonymous(_app);
        await kiosk.PostFormAsync("/pair", new() { ["Code"] = await KioskTests.PairCodeAsync(_app, _w, locale: "zh-CN") });
        Assert.Equal("zh-CN", await LangAsync(kiosk, "/kiosk"));

        // Idle screen: English for one idle period.
        var idle = await kiosk.PostFormAsync("/kiosk/language", new() { ["culture"] = "en-US", ["returnUrl"] = "/kiosk" }, formPage: "/kiosk");
        Assert.Equal(HttpStatusCode.Redirect, idle.StatusCode);
        Assert.Equal("en-US", await LangAsync(kiosk, "/kiosk"));
        await kiosk.PostFormAsync("/kiosk/language", new() { ["culture"] = "zh-CN", ["returnUrl"] = "/kiosk" }, formPage: "/kiosk");

        // A Chinese-speaking person switches their session to English on the home screen and on the recognise screen.
        await kiosk.PostFormAsync("/kiosk?handler=Scan", new() { ["code"] = "B-E1" }, formPage: "/kiosk");
        Assert.Equal("zh-CN", await LangAsync(kiosk, "/kiosk/home"));
        var home = await kiosk.PostFormAsync("/kiosk/language", new() { ["culture"] = "en-US", ["returnUrl"] = "/kiosk/home" }, formPage: "/kiosk/home");
        Assert.Equal("/kiosk/home", home.Headers.Location!.OriginalString);
        Assert.Equal("en-US", await LangAsync(kiosk, "/kiosk/home"));
        Assert.Equal("en-US", await LangAsync(kiosk, "/kiosk/recognize"));
        var back = await kiosk.PostFormAsync("/kiosk/language", new() { ["culture"] = "zh-CN", ["returnUrl"] = "/kiosk/recognize" }, formPage: "/kiosk/recognize");
        Assert.Equal(HttpStatusCode.Redirect, back.StatusCode);
        Assert.Equal("zh-CN", await LangAsync(kiosk, "/kiosk/recognize"));
        await kiosk.PostFormAsync("/kiosk/language", new() { ["culture"] = "en-US", ["returnUrl"] = "/kiosk/recognize" }, formPage: "/kiosk/recognize");

        // Done: the next person meets the kiosk's own language, not the last person's.
        var done = await kiosk.Client.GetAsync("/kiosk");
        Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);
        Assert.Equal("zh-CN", await LangAsync(kiosk, "/kiosk"));
        // The person's own profile language is untouched.
        Assert.Equal("zh-CN", await DbProbe.ScalarAsync<string>(_app.Db, "SELECT locale FROM employees WHERE id = @id", new { id = _w.Giver }));
    }

    [Fact]
    public async Task The_kiosk_language_endpoint_is_for_kiosks_only()
    {
        var office = await Session.SignInAsync(_app, "E1");
        var res = await office.PostFormAsync("/kiosk/language", new() { ["culture"] = "en-US" }, formPage: "/");
        Assert.NotEqual(HttpStatusCode.OK, res.StatusCode);
        Assert.False(res.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith("recognition.kiosk-lang", StringComparison.Ordinal)));
        Assert.NotEqual("/kiosk", res.Headers.Location?.OriginalString);
    }

    public Task DisposeAsync()
    {
        _app.Dispose();
        return Task.CompletedTask;
    }
}
