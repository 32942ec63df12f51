using System.Net;
using Recognition.Tests.Support;

namespace Recognition.Tests.Recognize;

/// <summary>The Recognise page through HTTP: the happy path and every bad input (clear message, nothing written).</summary>
public sealed class AwardPageTests : IAsyncLifetime
{
    private readonly AppFactory _app = new();
    private World _w = null!;
    private Session _giver = null!;
    private const string Specific = "你把冲压和装配的交接单重新设计了，换班时缺料一目了然。";

    public async Task InitializeAsync()
    {
        _w = await World.CreateAsync(_app);
        _giver = await Session.SignInAsync(_app, "E1");
    }

    private Dictionary<string, string> Form(long recipient, int points = 10, string? message = Specific, string visibility = "public", string? badge = "cross_team_star") =>
        new()
        {
            ["RecipientIds"] = recipient.ToString(), ["BadgeId"] = badge is null ? "" : _w.Badges[badge].ToString(),
            ["Message"] = message ?? "", ["Visibility"] = visibility, ["PointsEach"] = points.ToString(),
        };

    [Fact]
    public async Task A_recognition_writes_recipients_ledger_buckets_event_and_notification_in_one_go()
    {
        var res = await _giver.PostFormAsync("/Recognize", Form(_w.Bob, points: 20));
        Assert.Equal(HttpStatusCode.Redirect, res.StatusCode);
        var id = await DbProbe.ScalarAsync<long>(_app.Db, "SELECT id FROM recognitions");
        Assert.Contains($"done={id}", res.Headers.Location!.OriginalString);
        Assert.Equal(20, await DbProbe.BalanceAsync(_app.Db, _w.Bob));
        Assert.Equal(20, await DbProbe.ScalarAsync<int>(_app.Db, "SELECT spent FROM allowances WHERE employee_id = @g", new { g = _w.Giver }));
        Assert.Equal(20, await DbProbe.ScalarAsync<int>(_app.Db, "SELECT points FROM team_day_points WHERE team_id = @t AND day = 20261118", new { t = _w.TeamB }));
        Assert.Equal(20, await DbProbe.ScalarAsync<int>(_app.Db, "SELECT points FROM person_day_points WHERE employee_id = @b AND day = 20261118", new { b = _w.Bob }));
        Assert.Equal("recognition.created", await DbProbe.ScalarAsync<string>(_app.Db, "SELECT kind FROM events WHERE subject_id = @id", new { id }));
        Assert.Equal(1, await DbProbe.ScalarAsync<int>(_app.Db, "SELECT COUNT(*) FROM notifications WHERE employee_id = @b AND read_utc IS NULL", new { b = _w.Bob }));
        // The value defaults to the badge's value.
        Assert.Equal(_w.Values["teamwork"], await DbProbe.ScalarAsync<long>(_app.Db, "SELECT value_id FROM recognitions"));
        await DbProbe.AssertLedgerConsistentAsync(_app.Db);

        // The recipient sees it, with an unread count, and reading "Me" clears the count.
        var bob = await Session.SignInAsync(_app, "E3");
        Assert.Equal("1", (await bob.GetDocAsync("/")).QuerySelector("#unread-count")!.TextContent);
        var me = await bob.GetDocAsync("/Me");
        Assert.Contains("交接单", me.QuerySelector($"#r-{id} .message")!.TextContent);
        Assert.Equal("20", me.QuerySelector("#me-balance")!.TextContent);
        Assert.Null((await bob.GetDocAsync("/")).QuerySelector("#unread-count"));
    }

    [Fact]
    public async Task The_same_words_to_the_same_person_again_are_asked_about_first_and_sent_only_when_meant()
    {
        Assert.Equal(HttpStatusCode.Redirect, (await _giver.PostFormAsync("/Recognize", Form(_w.Bob))).StatusCode);
        _app.Clock.Advance(TimeSpan.FromMinutes(2));
        // Near the same: other spacing and punctuation. Asked, with everything typed kept; nothing written.
        var again = Form(_w.Bob, message: "你把冲压和装配的交接单重新设计了 换班时缺料一目了然！！");
        var res = await _giver.PostFormAsync("/Recognize", again);
        Assert.Equal(HttpStatusCode.OK, res.StatusCode);
        var doc = await Session.Doc(res);
        Assert.Equal("你在 2 分钟前已经给 刘强 发过同样的话。还要再发一次吗？", doc.QuerySelector("#award-duplicate p")!.TextContent.Trim());
        Assert.Equal(again["Message"], doc.QuerySelector("textarea[name=Message]")!.TextContent);
        Assert.NotNull(doc.QuerySelector("#award-send-again"));
        Assert.Equal(1, await DbProbe.ScalarAsync<int>(_app.Db, "SELECT COUNT(*) FROM recognitions"));

        // Meant: sent. Other words, or another person: no question.
        again["SendAgain"] = "true";
        Assert.Equal(HttpStatusCode.Redirect, (await _giver.PostFormAsync("/Recognize", again)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await _giver.PostFormAsync("/Recognize", Form(_w.Carol))).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await _giver.PostFormAsync("/Recognize", Form(_w.Bob, message: "今天你又把交接单补全了，第 2 班的缺料也一目了然。"))).StatusCode);
        Assert.Equal(4, await DbProbe.ScalarAsync<int>(_app.Db, "SELECT COUNT(*) FROM recognitions"));

        // A double tap is the same form sent twice: replayed, never asked about, one recognition.
        var tap = Form(_w.Dave);
        tap["IdempotencyKey"] = Recognition.Web.Infrastructure.Data.Idempotency.NewKey();
        var first = await _giver.PostFormAsync("/Recognize", tap);
        var second = await _giver.PostFormAsync("/Recognize", tap);
        Assert.Equal(HttpStatusCode.Redirect, second.StatusCode);
        Assert.Equal(first.Headers.Location, second.Headers.Location);
        Assert.Equal(1, await DbProbe.ScalarAsync<int>(_app.Db, "SELECT COUNT(*) FROM recognition_recipients WHERE employee_id = @d", new { d = _w.Dave }));
        // After a day the same words are simply sent.
        _app.Clock.Advance(TimeSpan.FromHours(25));
        var later = await Session.SignInAsync(_app, "E1");
        Assert.Equal(HttpStatusCode.Redirect, (await later.PostFormAsync("/Recognize", Form(_w.Carol))).StatusCode);
    }

    [Fact]
    public async Task Several_recipients_each_get_the_points_and_the_allowance_pays_for_all()
    {
        var form = Form(_w.Bob, points: 10);
        var res = await _giver.PostFormAsync("/Recognize", form, extra: [new("RecipientIds", _w.Carol.ToString()), new("RecipientIds", _w.Alice.ToString())]);
        Assert.Equal(HttpStatusCode.Redirect, res.StatusCode);
        Assert.Equal(3, await DbProbe.ScalarAsync<int>(_app.Db, "SELECT COUNT(*) FROM recognition_recipients"));
        Assert.Equal(30, await DbProbe.ScalarAsync<int>(_app.Db, "SELECT spent FROM allowances"));
        Assert.Equal(10, await DbProbe.BalanceAsync(_app.Db, _w.Carol));
    }

    public static TheoryData<string, string, string> BadInputs => new()
    {
        { "self", "不能给自己颁发认可。", "You can't recognise yourself." },
        { "unknown", "你选择的人中有人不存在。", "One of the people you chose doesn't exist." },
        { "inactive", "离职者 已不在职，无法接收认可。", "离职者 is no longer active and can't receive recognition." },
        { "empty", "请写一段话。", "Please write a message." },
        { "short", "请写得更具体些：说明对方具体做了什么（至少 20 个字符，一个汉字算两个）。", "Please be more specific: say exactly what the person did (at least 20 characters; a Chinese character counts as two)." },
        { "long", "内容太长了：最多 500 个字。", "The text is too long: at most 500 characters." },
        { "points", "积分只能选择：0, 5, 10, 20, 50。", "Points must be one of: 0, 5, 10, 20, 50." },
        { "negative", "积分只能选择：0, 5, 10, 20, 50。", "Points must be one of: 0, 5, 10, 20, 50." },
        { "visibility", "请选择可见范围：公开、班组或仅本人。", "Choose who can see this: public, team or private." },
        { "supervisor-badge", "你不能颁发这枚勋章。", "You can't give this badge." },
        { "achievement-badge", "你不能颁发这枚勋章。", "You can't give this badge." },
        { "no-badge-or-value", "请选择一枚勋章或一项价值观。", "Choose a badge or a value." },
        { "no-recipient", "请至少选择一位同事。", "Choose at least one colleague to recognise." },
        { "over-share", "本月你最多可赠送 刘强 40 积分（可赠积分的 40%）。", "You can give 刘强 at most 40 points this month (40% of your allowance)." },
        { "tampered-key", "表单已过期，请刷新页面后重试。", "This form has expired. Please reload the page and try again." },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public async Task Bad_input_gets_a_clear_message_in_the_person_s_language_and_writes_nothing(string kind, string zh, string en)
    {
        foreach (var (login, expected) in new[] { ("E1", zh), ("E5", en) })
        {
            if (login == "E5") await _app.Db.WriteAsync((c, t) => Dapper.SqlMapper.ExecuteAsync(c, "UPDATE employees SET locale = 'en-US' WHERE employee_no = 'E5'", null, t));
            var s = await Session.SignInAsync(_app, login);
            var before = await DbProbe.FingerprintAsync(_app.Db);
            var form = Form(_w.Bob);
            var extra = new List<KeyValuePair<string, string>>();
            switch (kind)
            {
                case "self": form["RecipientIds"] = (login == "E1" ? _w.Giver : _w.Dave).ToString(); break;
                case "unknown": form["RecipientIds"] = "999999"; break;
                case "inactive": form["RecipientIds"] = _w.Gone.ToString(); break;
                case "empty": form["Message"] = "   "; break;
                case "short": form["Message"] = "做得好，谢谢你！"; break;
                case "long": form["Message"] = new string('好', 501); break;
                case "points": form["PointsEach"] = "7"; break;
                case "negative": form["PointsEach"] = "-50"; break;
                case "visibility": form["Visibility"] = "everyone"; break;
                case "supervisor-badge": form["BadgeId"] = _w.Badges["outstanding"].ToString(); break;
                case "achievement-badge": form["BadgeId"] = _w.Badges["safety_sentinel"].ToString(); break;
                case "no-badge-or-value": form["BadgeId"] = ""; break;
                case "no-recipient": form.Remove("RecipientIds"); break;
                case "over-share": form["PointsEach"] = "50"; break;
                case "tampered-key": form["IdempotencyKey"] = "<script>"; break;
            }
            var res = await s.PostFormAsync("/Recognize", form, extra: extra);
            Assert.Equal(HttpStatusCode.UnprocessableEntity, res.StatusCode);
            Assert.Equal(expected, (await Session.Doc(res)).QuerySelector("#award-error")!.TextContent);
            Assert.Equal(before, await DbProbe.FingerprintAsync(_app.Db));
        }
    }

    [Fact]
    public async Task Chinese_characters_count_twice_toward_the_minimum()
    {
        // 10 CJK characters = weight 20: accepted. 9 = 18: refused.
        Assert.Equal(HttpStatusCode.Redirect, (await _giver.PostFormAsync("/Recognize", Form(_w.Bob, message: "你帮我修好了三号压机"))).StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await _giver.PostFormAsync("/Recognize", Form(_w.Carol, message: "你帮我修好了三号机"))).StatusCode);
    }

    [Fact]
    public async Task Over_allowance_is_refused_with_what_is_left_and_next_month_the_allowance_is_new()
    {
        // 40 % share → at most 40 to one person; spend 100 over three people first.
        Assert.Equal(HttpStatusCode.Redirect, (await _giver.PostFormAsync("/Recognize", Form(_w.Bob, points: 20), extra: [new("RecipientIds", _w.Carol.ToString())])).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await _giver.PostFormAsync("/Recognize", Form(_w.Bob, points: 20, message: "又一次：" + Specific), extra: [new("RecipientIds", _w.Carol.ToString())])).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await _giver.PostFormAsync("/Recognize", Form(_w.Alice, points: 20))).StatusCode);
        var before = await DbProbe.FingerprintAsync(_app.Db);
        var res = await _giver.PostFormAsync("/Recognize", Form(_w.Dave, points: 5));
        Assert.Equal("本月可赠积分不足：剩余 0，需要 5。", (await Session.Doc(res)).QuerySelector("#award-error")!.TextContent);
        Assert.Equal(before, await DbProbe.FingerprintAsync(_app.Db));

        // Month end in Shanghai (UTC+8): 2026-11-30 16:00 UTC is already December there.
        _app.Clock.Set(new DateTime(2026, 11, 30, 16, 30, 0));
        _giver = await Session.SignInAsync(_app, "E1"); // the sign-in cookie has expired by then
        Assert.Equal(HttpStatusCode.Redirect, (await _giver.PostFormAsync("/Recognize", Form(_w.Dave, points: 5))).StatusCode);
        Assert.Equal(5, await DbProbe.ScalarAsync<int>(_app.Db, "SELECT spent FROM allowances WHERE month = 202612"));
        Assert.Equal(95, int.Parse((await _giver.GetDocAsync("/Me")).QuerySelector("#me-allowance")!.TextContent));
    }

    [Fact]
    public async Task The_daily_cap_on_recognitions_given_is_enforced()
    {
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(HttpStatusCode.Redirect, (await _giver.PostFormAsync("/Recognize", Form(i % 2 == 0 ? _w.Bob : _w.Carol, points: 0, message: $"第 {i} 次：{Specific}"))).StatusCode);
        }
        var before = await DbProbe.FingerprintAsync(_app.Db);
        var res = await _giver.PostFormAsync("/Recognize", Form(_w.Alice, points: 0));
        Assert.Equal("你今天已经送出 10 次认可，达到每日上限。明天再来吧。", (await Session.Doc(res)).QuerySelector("#award-error")!.TextContent);
        Assert.Equal(before, await DbProbe.FingerprintAsync(_app.Db));
        _app.Clock.Advance(TimeSpan.FromDays(1));
        _giver = await Session.SignInAsync(_app, "E1");
        Assert.Equal(HttpStatusCode.Redirect, (await _giver.PostFormAsync("/Recognize", Form(_w.Alice, points: 0))).StatusCode);
    }

    [Fact]
    public async Task A_supervisor_badge_is_paid_by_the_company_not_the_allowance()
    {
        var sup = await Session.SignInAsync(_app, "S1");
        var res = await sup.PostFormAsync("/Recognize", Form(_w.Alice, points: 50, badge: "outstanding"));
        Assert.Equal(HttpStatusCode.Redirect, res.StatusCode);
        Assert.Equal("company", await DbProbe.ScalarAsync<string>(_app.Db, "SELECT funding FROM recognitions"));
        Assert.Equal(0, await DbProbe.ScalarAsync<int>(_app.Db, "SELECT COUNT(*) FROM allowances"));
        Assert.Equal(50, await DbProbe.BalanceAsync(_app.Db, _w.Alice));
    }

    [Fact]
    public async Task Supervisors_get_more_allowance_per_direct_report()
    {
        // S1 leads team A: Giver, Alice, Dave active (Gone is inactive) → 100 + 3 × 20.
        var sup = await Session.SignInAsync(_app, "S1");
        Assert.Equal("160", (await sup.GetDocAsync("/Me")).QuerySelector("#me-allowance")!.TextContent);
    }

    [Fact]
    public async Task Script_in_a_message_is_stored_as_text_and_rendered_inert()
    {
        const string evil = "<script>alert('x')</script><img src=x onerror=alert(1)> 你修好了三号压机的光幕支架";
        Assert.Equal(HttpStatusCode.Redirect, (await _giver.PostFormAsync("/Recognize", Form(_w.Bob, message: evil))).StatusCode);
        var raw = await (await _giver.Client.GetAsync("/Feed")).Content.ReadAsStringAsync();
        Assert.DoesNotContain("<script>alert", raw);
        Assert.DoesNotContain("<img src=x", raw);
        Assert.Contains("&lt;script&gt;", raw);
        Assert.Equal(evil, await DbProbe.ScalarAsync<string>(_app.Db, "SELECT message FROM recognitions"));
    }

    [Fact]
    public async Task A_post_without_antiforgery_token_writes_nothing()
    {
        var before = await DbProbe.FingerprintAsync(_app.Db);
        var form = Form(_w.Bob);
        form["IdempotencyKey"] = Guid.NewGuid().ToString("N");
        var res = await _giver.Client.PostAsync("/Recognize", new FormUrlEncodedContent(form));
        Assert.Equal(HttpStatusCode.BadRequest, res.StatusCode);
        Assert.Equal(before, await DbProbe.FingerprintAsync(_app.Db));
    }

    [Fact]
    public async Task Typeahead_finds_colleagues_by_name_number_or_team_but_not_yourself_or_leavers()
    {
        async Task<List<string>> Find(string q) =>
            (await _giver.GetDocAsync($"/Recognize?handler=Search&q={Uri.EscapeDataString(q)}")).QuerySelectorAll("[data-person-id]").Select(e => e.GetAttribute("data-person-id")!).ToList();
        Assert.Equal([_w.Bob.ToString()], await Find("刘强"));
        Assert.Equal([_w.Carol.ToString()], await Find("carol"));
        Assert.Equal([_w.Carol.ToString()], await Find("E4"));
        Assert.Equal([_w.Bob.ToString(), _w.Carol.ToString(), _w.SupB.ToString()], await Find("质量部"));
        Assert.Empty(await Find("王伟"));   // yourself
        Assert.Empty(await Find("离职者")); // inactive
        Assert.Empty(await Find("%"));      // wildcards are literal
    }

    public Task DisposeAsync()
    {
        _app.Dispose();
        return Task.CompletedTask;
    }
}
