using System.Net;
using AngleSharp.Html.Dom;
using Dapper;
using Recognition.Tests.Support;
using Recognition.Web.Features.Praise;

namespace Recognition.Tests.Praise;

/// <summary>Customer praise by QR code, through the public form, the moderation queue and the database.</summary>
public sealed class PraiseTests : IAsyncLifetime
{
    private readonly AppFactory _app = new();
    private World _w = null!;
    private PraiseService _praise = null!;
    private string _teamA = "";
    private const string Thanks = "周五晚上你们加急帮我们改了包装，货物准时送到了我们的客户手里，非常感谢！";

    public async Task InitializeAsync()
    {
        _w = await World.CreateAsync(_app);
        _praise = _app.Get<PraiseService>();
        _teamA = await _app.Get<PraiseCodes>().EnsureCodeAsync(_w.SiteId, "team", _w.TeamA, _app.Clock.UtcNow);
    }

    public Task DisposeAsync() => _app.DisposeAsync().AsTask();

    /// <summary>Opens the form like a phone does, waits as a person would, and sends it with the page's hidden fields.</summary>
    private async Task<HttpResponseMessage> SendAsync(Session s, string code, Dictionary<string, string> fields, TimeSpan? wait = null)
    {
        var doc = await s.GetDocAsync($"/thanks/{code}");
        var all = doc.QuerySelectorAll("#thanks-form input[type=hidden]").OfType<IHtmlInputElement>().Select(h => new KeyValuePair<string, string>(h.Name!, h.Value)).ToList();
        all.AddRange(fields);
        _app.Clock.Advance(wait ?? TimeSpan.FromSeconds(20));
        return await s.Client.PostAsync($"/thanks/{code}", new FormUrlEncodedContent(all));
    }

    private Task<int> CountAsync(string table) => DbProbe.ScalarAsync<int>(_app.Db, $"SELECT COUNT(*) FROM {table}");

    [Fact]
    public async Task Every_cap_of_the_customer_praise_rule_counts_and_a_payout_a_cap_stops_spends_no_other_counter()
    {
        await _app.Db.WriteAsync((c, t) => c.ExecuteAsync(
            "UPDATE behaviour_rules SET cap_per_day = 1, cap_per_week = 5, cap_per_month = NULL WHERE system_key = 'customer_praise'", transaction: t));
        var phone = Session.Anonymous(_app, "en-US");
        async Task<bool> ThankAndApproveAsync(string message)
        {
            await SendAsync(phone, _teamA, new() { ["Who"] = $"p{_w.Giver}", ["Message"] = message });
            var id = await DbProbe.ScalarAsync<long>(_app.Db, "SELECT MAX(id) FROM praise_submissions");
            return (await _praise.ApproveAsync(id, _w.SupA, null, _app.Clock.UtcNow)).Ok;
        }
        Assert.True(await ThankAndApproveAsync("你们的司机很耐心，帮我们把货物搬进了仓库，谢谢！"));
        Assert.Equal(20, await DbProbe.BalanceAsync(_app.Db, _w.Giver));
        // The same day: the day cap stops the payout (the recognition still appears), and the week's counter is not spent.
        Assert.True(await ThankAndApproveAsync("第二次：售后电话回复很快，帮我们解决了安装问题。"));
        Assert.Equal(20, await DbProbe.BalanceAsync(_app.Db, _w.Giver));
        Assert.Equal(2, await CountAsync("recognitions"));
        Assert.Equal(1, await DbProbe.ScalarAsync<int>(_app.Db, "SELECT used FROM rule_counters WHERE employee_id = @Giver AND period LIKE 'w%'", new { _w.Giver }));
        // The next day pays again.
        _app.Clock.Advance(TimeSpan.FromDays(1));
        Assert.True(await ThankAndApproveAsync("第三次：包装改得很好，运输中没有任何损坏，非常感谢。"));
        Assert.Equal(40, await DbProbe.BalanceAsync(_app.Db, _w.Giver));
        await DbProbe.AssertLedgerConsistentAsync(_app.Db);
    }

    [Fact]
    public async Task The_public_page_never_shows_full_names_and_someone_who_asks_is_not_listed_or_thankable_by_name()
    {
        var en = await Session.Anonymous(_app, "en-US").GetDocAsync($"/thanks/{_teamA}");
        var zh = await Session.Anonymous(_app, "zh-CN").GetDocAsync($"/thanks/{_teamA}");
        var enText = en.QuerySelector("#thanks-form")!.TextContent;
        var zhText = zh.QuerySelector("#thanks-form")!.TextContent;
        Assert.Contains("Jing C.", enText);
        Assert.DoesNotContain("Jing Chen", enText);
        Assert.Contains("陈*", zhText);
        Assert.DoesNotContain("陈静", zhText);
        Assert.DoesNotContain("王伟", zhText);

        // Jing asks to be left off: she is not offered, and a form naming her anyway is refused and writes nothing.
        var jing = await Session.SignInAsync(_app, "E2", acceptLanguage: "en-US");
        Assert.Equal(HttpStatusCode.Redirect, (await jing.PostFormAsync("/Me/Settings?handler=Listed", new() { ["listed"] = "false" }, formPage: "/Me/Settings")).StatusCode);
        var phone = Session.Anonymous(_app, "en-US");
        Assert.Null((await phone.GetDocAsync($"/thanks/{_teamA}")).QuerySelector($"input[name=Who][value=p{_w.Alice}]"));
        var sent = await SendAsync(phone, _teamA, new() { ["Who"] = $"p{_w.Alice}", ["Message"] = Thanks });
        Assert.NotEqual(HttpStatusCode.Redirect, sent.StatusCode);
        Assert.Equal(0, await CountAsync("praise_submissions"));
    }

    [Fact]
    public async Task A_customer_thanks_a_person_nothing_shows_until_the_supervisor_approves_then_it_is_a_customer_recognition_with_capped_points()
    {
        await _app.Db.WriteAsync((c, t) => c.ExecuteAsync("UPDATE behaviour_rules SET cap_per_week = 1 WHERE system_key = 'customer_praise'", transaction: t));
        var phone = Session.Anonymous(_app, "en-US");
        var form = await phone.GetDocAsync($"/thanks/{_teamA}");
        Assert.NotNull(form.QuerySelector($"input[name=Who][value=p{_w.Giver}]"));
        Assert.NotNull(form.QuerySelector("input[name=Who][value=team]"));
        Assert.Null(form.QuerySelector($"input[name=Who][value=p{_w.Carol}]")); // team B's member is not offered
        var before = (await CountAsync("recognitions"), await CountAsync("notifications"), await CountAsync("events"));
        var sent = await SendAsync(phone, _teamA, new() { ["Who"] = $"p{_w.Giver}", ["Message"] = Thanks, ["Company"] = "ACME 物流", ["Contact"] = "138-0000-0000" });
        Assert.Equal(HttpStatusCode.Redirect, sent.StatusCode);
        Assert.Contains("Thank you", (await phone.GetDocAsync(sent.Headers.Location!.OriginalString)).QuerySelector("h1")!.TextContent);
        Assert.Equal("pending", await DbProbe.ScalarAsync<string>(_app.Db, "SELECT status FROM praise_submissions"));
        // Nothing reaches a wall, feed or notification before approval.
        Assert.Equal(before, (await CountAsync("recognitions"), await CountAsync("notifications"), await CountAsync("events")));

        var sup = await Session.SignInAsync(_app, "S1");
        var queue = await sup.GetDocAsync("/Supervisor/Praise");
        var id = await DbProbe.ScalarAsync<long>(_app.Db, "SELECT id FROM praise_submissions");
        Assert.Contains("138-0000-0000", queue.QuerySelector($"#praise-{id}")!.TextContent); // the moderator sees the contact
        var approve = await sup.PostFormAsync($"/Supervisor/Praise?handler=Approve&id={id}", new(), formPage: "/Supervisor/Praise");
        Assert.Equal(HttpStatusCode.OK, approve.StatusCode);
        var r = (await DbProbe.QueryAsync<(string Source, string? From, int Points, string Visibility)>(_app.Db,
            "SELECT source, external_from, points_each, visibility FROM recognitions")).Single();
        Assert.Equal(("customer", "ACME 物流", 20, "public"), r);
        Assert.Equal(20, await DbProbe.BalanceAsync(_app.Db, _w.Giver));
        Assert.Equal(["praise.approved", "recognition.created"], (await DbProbe.QueryAsync<string>(_app.Db, "SELECT kind FROM events ORDER BY id DESC")).Take(2));
        var feed = await (await Session.SignInAsync(_app, "E2", acceptLanguage: "en-US")).GetDocAsync("/Feed");
        var card = feed.QuerySelector(".rcard")!.TextContent;
        Assert.Contains("from a customer (ACME 物流)", card);
        Assert.Contains("Customer praise", card);
        Assert.DoesNotContain("138-0000-0000", await (await Session.SignInAsync(_app, "E2")).Client.GetStringAsync("/Feed")); // the contact is never public

        // The weekly cap: a second approved thank-you in the same week is shown but pays nothing.
        await SendAsync(phone, _teamA, new() { ["Who"] = $"p{_w.Giver}", ["Message"] = "第二次表扬：你们的售后电话回复很快，帮我们解决了安装问题。" });
        var second = await DbProbe.ScalarAsync<long>(_app.Db, "SELECT MAX(id) FROM praise_submissions");
        Assert.True((await _praise.ApproveAsync(second, _w.SupA, null, _app.Clock.UtcNow)).Ok);
        Assert.Equal(20, await DbProbe.BalanceAsync(_app.Db, _w.Giver));
        await DbProbe.AssertLedgerConsistentAsync(_app.Db);
    }

    [Fact]
    public async Task Bad_input_gets_clear_errors_and_writes_nothing_but_counters()
    {
        var phone = Session.Anonymous(_app);
        var before = await DbProbe.FingerprintAsync(_app.Db);
        // Forged code, then too short a message, an unknown person, a person of another team.
        var forged = await phone.Client.GetAsync("/thanks/NOTACODE99");
        Assert.Equal(HttpStatusCode.NotFound, forged.StatusCode);
        Assert.Contains("已停止使用", await forged.Content.ReadAsStringAsync());
        var shortText = await SendAsync(phone, _teamA, new() { ["Who"] = "team", ["Message"] = "好" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, shortText.StatusCode);
        Assert.NotNull((await Session.Doc(shortText)).QuerySelector("#thanks-error"));
        var other = await SendAsync(phone, _teamA, new() { ["Who"] = $"p{_w.Carol}", ["Message"] = Thanks });
        Assert.Equal("请选择要表扬的人或班组。", (await Session.Doc(other)).QuerySelector("#thanks-error")!.TextContent);
        var longName = await SendAsync(phone, _teamA, new() { ["Who"] = "team", ["Message"] = Thanks, ["Name"] = new string('名', 101) });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, longName.StatusCode);
        // An oversized body: a friendly 413 before anything reads it.
        var huge = await phone.Client.PostAsync($"/thanks/{_teamA}", new FormUrlEncodedContent([new("Message", new string('x', 40_000))]));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, huge.StatusCode);
        Assert.Contains("内容太长", await huge.Content.ReadAsStringAsync());
        // No antiforgery token: refused.
        Assert.Equal(HttpStatusCode.BadRequest, (await phone.Client.PostAsync($"/thanks/{_teamA}", new FormUrlEncodedContent([new("Who", "team"), new("Message", Thanks)]))).StatusCode);
        // A bot: the honeypot filled, or sent a second after opening: thanked, nothing stored.
        var bot = await SendAsync(phone, _teamA, new() { ["Who"] = "team", ["Message"] = Thanks, ["website"] = "http://spam.example" });
        Assert.Equal(HttpStatusCode.Redirect, bot.StatusCode);
        var fast = await SendAsync(phone, _teamA, new() { ["Who"] = "team", ["Message"] = Thanks }, wait: TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.Redirect, fast.StatusCode);
        Assert.Equal(0, await CountAsync("praise_submissions"));
        Assert.Equal(Strip(before), Strip(await DbProbe.FingerprintAsync(_app.Db)));

        // Hostile text is stored as text, links removed; the same text again is a duplicate.
        var hostile = await SendAsync(phone, _teamA, new()
        {
            ["Who"] = "team", ["Message"] = "<script>alert(1)</script> 你们的服务非常好，请访问 http://evil.example/x 和 www.spam.cn 领取奖励，谢谢大家的帮助！",
            ["Name"] = "<img src=x onerror=alert(1)>", ["Company"] = "\u202eACME",
        });
        Assert.Equal(HttpStatusCode.Redirect, hostile.StatusCode);
        var stored = (await DbProbe.QueryAsync<(string Message, string Name, string Company)>(_app.Db, "SELECT message, author_name, company FROM praise_submissions")).Single();
        Assert.DoesNotContain("evil.example", stored.Message);
        Assert.DoesNotContain("www.spam.cn", stored.Message);
        Assert.Equal("ACME", stored.Company);
        var dup = await SendAsync(phone, _teamA, new() { ["Who"] = "team", ["Message"] = "<script>alert(1)</script> 你们的服务非常好，请访问 http://evil.example/x 和 www.spam.cn 领取奖励，谢谢大家的帮助！" });
        Assert.Equal("我们已经收到过同样的内容，谢谢！", (await Session.Doc(dup)).QuerySelector("#thanks-error")!.TextContent);
        var queue = await (await Session.SignInAsync(_app, "S1")).Client.GetStringAsync("/Supervisor/Praise");
        Assert.DoesNotContain("<script>alert(1)", queue);
        Assert.DoesNotContain("<img src=x", queue);
    }

    [Fact]
    public async Task Praise_per_month_counts_by_the_site_s_month_not_the_UTC_month()
    {
        _app.Clock.Set(new DateTime(2026, 11, 30, 17, 30, 0, DateTimeKind.Utc)); // 1 December, 01:30 in Shanghai
        var phone = Session.Anonymous(_app);
        Assert.Equal(HttpStatusCode.Redirect, (await SendAsync(phone, _teamA, new() { ["Who"] = "team", ["Message"] = Thanks }, TimeSpan.FromSeconds(20))).StatusCode);
        var id = await DbProbe.ScalarAsync<long>(_app.Db, "SELECT id FROM praise_submissions");
        Assert.True((await _praise.ApproveAsync(id, _w.SupA, null, _app.Clock.UtcNow)).Ok);
        var page = await (await Session.SignInAsync(_app, "S1")).GetDocAsync("/Supervisor/Praise");
        Assert.Contains("2026-12", page.QuerySelector("#praise-monthly tbody")!.TextContent);
        Assert.DoesNotContain("2026-11", page.QuerySelector("#praise-monthly tbody")!.TextContent);
    }

    [Theory]
    [InlineData("谢谢 example.de/path 的帮助", "谢谢 的帮助")]
    [InlineData("visit a.com or b.com or c.com today", "visit today")]
    [InlineData("see http://x.example/a, www.y.cn 和 z.top 领奖", "see 领奖")]
    [InlineData("Version 2.5 of the plan, e.g. the drawings", "Version 2.5 of the plan, e.g. the drawings")]
    [InlineData("你们 or 我们都很好", "你们 or 我们都很好")]
    public void Links_bare_domains_and_the_words_that_only_joined_them_are_removed(string written, string kept) =>
        Assert.Equal(kept, PraiseService.WithoutLinks(written));

    /// <summary>The fingerprint without the rate-limit counters (the one thing a refused post may write) and audit rows of sign-ins.</summary>
    private static string Strip(string fingerprint) =>
        string.Join(" ", fingerprint.Split(' ').Where(p => !p.StartsWith("attempt_counters=", StringComparison.Ordinal)));

    [Fact]
    public async Task Ten_thousand_posts_from_one_address_store_at_most_the_limit_and_the_rest_get_429()
    {
        var phone = Session.Anonymous(_app);
        var doc = await phone.GetDocAsync($"/thanks/{_teamA}");
        var hidden = doc.QuerySelectorAll("#thanks-form input[type=hidden]").OfType<IHtmlInputElement>().Select(h => new KeyValuePair<string, string>(h.Name!, h.Value)).ToList();
        _app.Clock.Advance(TimeSpan.FromSeconds(30));
        var codes = new System.Collections.Concurrent.ConcurrentBag<HttpStatusCode>();
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < 10_000)
            {
                var fields = new List<KeyValuePair<string, string>>(hidden) { new("Who", "team"), new("Message", $"{Thanks} 第 {i} 次。") };
                var res = await phone.Client.PostAsync($"/thanks/{_teamA}", new FormUrlEncodedContent(fields));
                codes.Add(res.StatusCode);
            }
        })));
        Assert.Equal(PraiseLimits.PerAddress, codes.Count(c => c == HttpStatusCode.Redirect));
        Assert.Equal(10_000 - PraiseLimits.PerAddress, codes.Count(c => c == HttpStatusCode.TooManyRequests));
        Assert.Equal(PraiseLimits.PerAddress, await CountAsync("praise_submissions"));
        var page = await phone.Client.PostAsync($"/thanks/{_teamA}", new FormUrlEncodedContent(hidden));
        Assert.Contains("请稍后再试", await page.Content.ReadAsStringAsync());
        Assert.NotNull(page.Headers.RetryAfter);
    }

    [Fact]
    public async Task Only_the_team_s_supervisor_or_a_site_admin_moderates()
    {
        await _w.AddSecondSiteAsync(_app);
        var phone = Session.Anonymous(_app);
        await SendAsync(phone, _teamA, new() { ["Who"] = "team", ["Message"] = Thanks });
        var id = await DbProbe.ScalarAsync<long>(_app.Db, "SELECT id FROM praise_submissions");
        var before = await DbProbe.FingerprintAsync(_app.Db);
        Assert.Equal("Praise.UnknownSubmission", (await _praise.ApproveAsync(id, _w.SupB, null, _app.Clock.UtcNow)).Error);
        Assert.Equal("Praise.UnknownSubmission", (await _praise.ApproveAsync(id, _w.AdminB, new AdminScope(_w.AdminB, _w.SiteB, false), _app.Clock.UtcNow)).Error);
        Assert.Equal("Praise.UnknownSubmission", (await _praise.RejectAsync(id, _w.Alice, null, _app.Clock.UtcNow)).Error);
        Assert.Equal(before, await DbProbe.FingerprintAsync(_app.Db));
        // Another team's supervisor doesn't even see it; an employee and a device can't reach the queue.
        var supB = await Session.SignInAsync(_app, "S2");
        Assert.Null((await supB.GetDocAsync("/Supervisor/Praise")).QuerySelector($"#praise-{id}"));
        var employee = await Session.SignInAsync(_app, "E2");
        Assert.Equal(HttpStatusCode.Forbidden, (await employee.PostFormAsync($"/Supervisor/Praise?handler=Approve&id={id}", new(), formPage: "/Feed")).StatusCode);
        var kiosk = Session.Anonymous(_app);
        await kiosk.PostFormAsync("/pair", new() { ["Code"] = await Kiosk.KioskTests.PairCodeAsync(_app, _w) });
        Assert.NotEqual(HttpStatusCode.OK, (await kiosk.Client.GetAsync("/Supervisor/Praise")).StatusCode);
        Assert.Equal("pending", await DbProbe.ScalarAsync<string>(_app.Db, "SELECT status FROM praise_submissions"));
        // The site admin may; rejecting hides it and the purge deletes it after 30 days.
        Assert.True((await _praise.RejectAsync(id, _w.Admin, _w.AdminScope, _app.Clock.UtcNow)).Ok);
        Assert.Equal(0, await _praise.PurgeAsync(_app.Clock.UtcNow.AddDays(29)));
        Assert.Equal(1, await _praise.PurgeAsync(_app.Clock.UtcNow.AddDays(31)));
        Assert.Equal(0, await CountAsync("praise_submissions"));
        Assert.Equal(0, await CountAsync("recognitions"));
    }

    [Fact]
    public async Task A_rotated_code_says_it_is_no_longer_in_use_and_a_person_code_exists_only_while_opted_in()
    {
        var codeId = await DbProbe.ScalarAsync<long>(_app.Db, "SELECT id FROM praise_codes WHERE code = @_teamA", new { _teamA });
        var admin = await Session.SignInAsync(_app, "A1");
        var rotate = await admin.PostFormAsync($"/Admin/Praise?handler=Rotate&id={codeId}", new(), formPage: "/Admin/Praise");
        Assert.Equal(HttpStatusCode.OK, rotate.StatusCode);
        var old = await Session.Anonymous(_app).Client.GetAsync($"/thanks/{_teamA}");
        Assert.Equal(HttpStatusCode.NotFound, old.StatusCode);
        Assert.Contains("已停止使用", await old.Content.ReadAsStringAsync());
        var fresh = await DbProbe.ScalarAsync<string>(_app.Db, "SELECT code FROM praise_codes WHERE team_id = @TeamA AND active = 1", new { _w.TeamA });
        Assert.NotEqual(_teamA, fresh);
        await Session.Anonymous(_app).GetDocAsync($"/thanks/{fresh}");

        var alice = await Session.SignInAsync(_app, "E2");
        await alice.PostFormAsync("/Me/Settings?handler=Praise", new() { ["optIn"] = "true" }, formPage: "/Me/Settings");
        var mine = (await alice.GetDocAsync("/Me/Settings")).QuerySelector("#my-praise-link")!.GetAttribute("href")!;
        var form = await Session.Anonymous(_app).GetDocAsync(new Uri(mine).AbsolutePath);
        Assert.NotNull(form.QuerySelector($"input[name=Who][value=p{_w.Alice}]"));
        await alice.PostFormAsync("/Me/Settings?handler=Praise", new(), formPage: "/Me/Settings");
        Assert.Equal(HttpStatusCode.NotFound, (await Session.Anonymous(_app).Client.GetAsync(new Uri(mine).AbsolutePath)).StatusCode);
    }

    [PdfFact]
    public async Task The_team_s_qr_card_sheet_is_a_bilingual_pdf_for_its_leader_and_admins_only()
    {
        var sup = await Session.SignInAsync(_app, "S1");
        var res = await sup.Client.GetAsync($"/print/praise-cards?team={_w.TeamA}");
        Assert.Equal("application/pdf", res.Content.Headers.ContentType!.MediaType);
        var pdf = await res.Content.ReadAsByteArrayAsync();
        await Poppler.CheckAsync(pdf);
        var text = await Poppler.TextAsync(pdf);
        Assert.Contains("扫码表扬我们", text);
        Assert.Contains("Scan to thank us", text);
        Assert.Contains($"/thanks/{_teamA}", text);
        Assert.Equal(HttpStatusCode.NotFound, (await (await Session.SignInAsync(_app, "S2")).Client.GetAsync($"/print/praise-cards?team={_w.TeamA}")).StatusCode);
        var site = await (await Session.SignInAsync(_app, "A1")).Client.GetByteArrayAsync("/print/praise-cards");
        Assert.Contains("Scan to thank us", await Poppler.TextAsync(site));
    }
}
