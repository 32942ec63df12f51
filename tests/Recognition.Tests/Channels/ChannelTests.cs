using System.Net;
using System.Text.Json;
using Dapper;
using Recognition.Tests.Support;
using Recognition.Web.Features.Channels;
using Recognition.Web.Features.Recognize;

namespace Recognition.Tests.Channels;

/// <summary>
/// Channels end to end: the admin page adds them, awards queue deliveries through the outbox, the background sender
/// posts to loopback fakes that check each target's exact shape and signature.
/// </summary>
public sealed partial class ChannelTests : IAsyncLifetime
{
    private static readonly Dictionary<string, string?> Fast = new()
    {
        ["Channels:PollMilliseconds"] = "100", ["Channels:SenderPollMilliseconds"] = "100", ["Channels:FirstRetryMilliseconds"] = "1000",
    };

    private readonly AppFactory _app = new(Fast);
    private World _w = null!;
    private ChannelFakes _fakes = null!;

    public async Task InitializeAsync()
    {
        _app.Clock.Set(DateTime.UtcNow); // signed targets check the timestamp against real time
        _w = await World.CreateAsync(_app);
        _fakes = await ChannelFakes.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _fakes.DisposeAsync();
    }

    private Task<AngleSharp.Html.Dom.IHtmlDocument> AddAsync(Session admin, string kind, string name, string url, string? secret = null, long? team = null, string locale = "zh-CN",
        string cadence = "each") =>
        AddAsync(admin, _w.SiteId, kind, name, url, secret, team, locale, cadence);

    private static async Task<AngleSharp.Html.Dom.IHtmlDocument> AddAsync(Session admin, long site, string kind, string name, string url, string? secret = null, long? team = null,
        string locale = "zh-CN", string cadence = "each")
    {
        var res = await admin.PostFormAsync("/Admin/Channels?handler=Create", new()
        {
            ["SiteId"] = site.ToString(), ["Kind"] = kind, ["Name"] = name, ["Address"] = url, ["Secret"] = secret ?? "", ["TeamId"] = team?.ToString() ?? "", ["Locale"] = locale,
            ["Cadence"] = cadence,
        }, formPage: "/Admin/Channels");
        return await Session.Doc(res);
    }

    private async Task<long> AwardAsync(long to, string message, string visibility = "public", int points = 5)
    {
        var r = await _app.Get<AwardService>().AwardAsync(new AwardCommand(_w.Giver, [to], _w.Badges["mentor"], null, message, visibility, points, Guid.NewGuid().ToString("N")), _app.Clock.UtcNow);
        Assert.True(r.Ok, r.Error);
        return r.Id!.Value;
    }

    private async Task WaitAsync(Func<bool> done, string what, int seconds = 15)
    {
        for (var i = 0; i < seconds * 20 && !done(); i++) await Task.Delay(50);
        if (done()) return;
        var rows = await DbProbe.QueryAsync<(string Kind, string State, int Attempts, string Next, string? Answer)>(_app.Db,
            "SELECT kind, state, attempts, next_utc, last_answer FROM deliveries ORDER BY id");
        Assert.Fail($"timed out waiting for {what}; refused: {string.Join(", ", _fakes.Refused)}; app: {_app.Errors.Describe()}; "
            + $"clock {_app.Clock.UtcNow:O}; deliveries: {string.Join(" | ", rows.Select(r => $"{r.Kind} {r.State} x{r.Attempts} next {r.Next} {r.Answer}"))}");
    }

    private static string Text(JsonElement e) => e.GetRawText();

    [Fact]
    public async Task Each_kind_gets_its_teams_recognitions_in_its_own_shape_and_signature_and_private_ones_never_leave()
    {
        var admin = await Session.SignInAsync(_app, "A1");
        await AddAsync(admin, "wecom", "冲压一线企业微信群", _fakes.WeComUrl, team: _w.TeamA);
        await AddAsync(admin, "dingtalk", "冲压一线钉钉群", _fakes.DingTalkUrl, ChannelFakes.DingTalkSecret, _w.TeamA);
        await AddAsync(admin, "feishu", "冲压一线飞书群", _fakes.FeishuUrl, ChannelFakes.FeishuSecret, _w.TeamA);
        await AddAsync(admin, "teams", "Plant Teams", _fakes.TeamsUrl, locale: "en-US");
        var hook = await AddAsync(admin, "webhook", "HR system", _fakes.WebhookUrl);
        _fakes.WebhookSecret = hook.QuerySelector("#channel-secret")!.TextContent.Trim();
        Assert.StartsWith("whsec_", _fakes.WebhookSecret);

        var page = await admin.GetDocAsync("/Admin/Channels");
        Assert.Equal(5, page.QuerySelectorAll("#channels-table tbody tr").Length);
        var html = page.DocumentElement.OuterHtml;
        Assert.DoesNotContain(ChannelFakes.WeComKey, html); // addresses are shown masked
        Assert.DoesNotContain(ChannelFakes.DingTalkSecret, html);
        Assert.DoesNotContain(_fakes.WebhookSecret, html); // shown once only
        var stored = await DbProbe.FingerprintAsync(_app.Db);
        Assert.DoesNotContain(ChannelFakes.WeComKey, stored); // and stored encrypted
        Assert.DoesNotContain(ChannelFakes.FeishuSecret, stored);

        var open = await AwardAsync(_w.Alice, "你连续三周主动帮新同事校准扭矩扳手，新人上手快多了。");
        await AwardAsync(_w.Alice, "班组内部：这次换模你只用了十一分钟，比标准快了四分钟。", "team");
        await AwardAsync(_w.Bob, "私下说一句：谢谢你那天帮我顶班，家里的事处理好了。", "private");

        await WaitAsync(() => _fakes.For("wecom").Count() == 2 && _fakes.For("dingtalk").Count() == 2 && _fakes.For("feishu").Count() == 2
            && _fakes.For("teams").Count() == 1 && _fakes.For("webhook").Count() == 1, "every channel");
        await Task.Delay(500);
        Assert.Empty(_fakes.Refused);
        Assert.True(_fakes.Received.Count == 8, string.Join("\n", _fakes.Received.Select(r => $"{r.At:HH:mm:ss.fff} {r.Target} {Text(r.Body)[..Math.Min(120, Text(r.Body).Length)]}")));
        Assert.DoesNotContain(_fakes.Received, r => Text(r.Body).Contains("私下说一句", StringComparison.Ordinal) || Text(r.Body).Contains("\\u79C1\\u4E0B", StringComparison.Ordinal));

        var wecom = _fakes.For("wecom").First().GetProperty("markdown").GetProperty("content").GetString()!;
        Assert.Contains("王伟 认可了 陈静", wecom);
        Assert.Contains("每人 +5 分", wecom);
        Assert.Contains("/verify/", wecom);
        var feishu = _fakes.For("feishu").First().GetProperty("card");
        Assert.Equal("王伟 认可了 陈静", feishu.GetProperty("header").GetProperty("title").GetProperty("content").GetString());
        var card = _fakes.For("teams").Single().GetProperty("attachments")[0].GetProperty("content");
        Assert.Equal("Wei Wang recognised Jing Chen", card.GetProperty("body")[0].GetProperty("text").GetString()); // the channel's language
        var (_, _, webhook, headers) = _fakes.Received.Single(r => r.Target == "webhook");
        Assert.Equal("recognition.created", webhook.GetProperty("type").GetString());
        var data = webhook.GetProperty("data");
        Assert.Equal(open, data.GetProperty("id").GetInt64());
        Assert.Equal("E2", data.GetProperty("recipients")[0].GetProperty("employeeNo").GetString());
        Assert.Equal(5, data.GetProperty("pointsEach").GetInt32());
        var deliveryId = await DbProbe.ScalarAsync<long>(_app.Db, "SELECT d.id FROM deliveries d JOIN channels c ON c.id = d.channel_id WHERE c.kind = 'webhook'");
        Assert.Equal(WebhookSender.WebhookId(deliveryId), headers["webhook-id"]);
    }

    [Fact]
    public async Task Points_of_someone_who_opted_out_are_left_out_and_a_site_wide_channel_gets_only_public_ones()
    {
        var admin = await Session.SignInAsync(_app, "A1");
        await AddAsync(admin, "wecom", "全厂群", _fakes.WeComUrl);
        await _app.Db.WriteAsync((c, t) => c.ExecuteAsync("UPDATE employees SET leaderboard_opt_out = 1 WHERE id = @id", new { id = _w.Alice }, t));
        await AwardAsync(_w.Alice, "你把夜班交接表改成了一页纸，交接时间少了一半。");
        await AwardAsync(_w.Alice, "班组内部：周末加班你第一个到。", "team");
        await WaitAsync(() => _fakes.For("wecom").Any(), "the public one");
        await Task.Delay(800);
        var content = _fakes.For("wecom").Single().GetProperty("markdown").GetProperty("content").GetString()!;
        Assert.Contains("交接表", content);
        Assert.DoesNotContain("+5", content);
    }

    [Fact]
    public async Task A_celebration_goes_to_the_team_s_chat_group_in_its_language_and_not_to_another_team_s()
    {
        var admin = await Session.SignInAsync(_app, "A1");
        await AddAsync(admin, "wecom", "冲压一线群", _fakes.WeComUrl, team: _w.TeamA);
        await AddAsync(admin, "feishu", "Quality", _fakes.FeishuUrl, secret: ChannelFakes.FeishuSecret, team: _w.TeamB, locale: "en-US");
        var today = SiteTime.Day(_app.Clock.UtcNow, "Asia/Shanghai");
        await _app.Db.WriteAsync((c, t) => c.ExecuteAsync("UPDATE employees SET hire_day = @hire WHERE id = @id", new { hire = today - 50000, id = _w.Alice }, t));
        Assert.Equal(1, await _app.Get<Recognition.Web.Features.Celebrations.CelebrationService>().RunAsync(_app.Clock.UtcNow));
        await WaitAsync(() => _fakes.For("wecom").Any(), "the team's group");
        await Task.Delay(800);
        var content = _fakes.For("wecom").Single().GetProperty("markdown").GetProperty("content").GetString()!;
        Assert.Contains("陈静 入职 5 周年", content);
        Assert.Empty(_fakes.For("feishu")); // another team's group hears nothing of it
    }

    [Fact]
    public async Task A_target_that_fails_is_retried_with_back_off_then_dead_lettered_with_its_answer_and_sent_again_from_admin()
    {
        var admin = await Session.SignInAsync(_app, "A1", acceptLanguage: "en-US");
        await AddAsync(admin, "wecom", "Line 1 WeCom", _fakes.WeComUrl, team: _w.TeamA);
        var worker = _app.Get<ChannelWorker>();

        // Throttling that comes as HTTP 200 with errcode 45009: tried again after the back-off, then delivered.
        _fakes.ThrottleNext = 2;
        await AwardAsync(_w.Alice, "你发现了冲床光栅的遮挡问题并马上报告。");
        for (var i = 0; i < 6 && !_fakes.For("wecom").Any(); i++)
        {
            await Task.Delay(400);
            _app.Clock.Advance(TimeSpan.FromMinutes(1));
            worker.Wake();
        }
        await WaitAsync(() => _fakes.For("wecom").Count() == 1, "the throttled message");
        Assert.Equal(3, await DbProbe.ScalarAsync<long>(_app.Db, "SELECT attempts FROM deliveries WHERE state = 'sent'"));

        // A dead target: every attempt answers 503; after the last one the message is a dead letter showing the answer.
        _fakes.FailNext = 1000;
        await AwardAsync(_w.Alice, "你把急停按钮的标识重新贴好了，夜班一眼就能看到。");
        for (var i = 0; i < ChannelWorker.MaxAttempts + 2; i++)
        {
            await Task.Delay(300);
            _app.Clock.Advance(TimeSpan.FromHours(1));
            worker.Wake();
        }
        await WaitAsync(() => DbProbe.ScalarAsync<long>(_app.Db, "SELECT COUNT(*) FROM deliveries WHERE state = 'dead'").Result == 1, "the dead letter");
        var page = await admin.GetDocAsync("/Admin/Channels");
        var dead = page.QuerySelector("#dead-table tbody tr")!;
        Assert.Contains("HTTP 503", dead.QuerySelector(".answer")!.TextContent);

        _fakes.FailNext = 0;
        var retry = await admin.PostFormAsync($"/Admin/Channels?handler=Retry&id={dead.GetAttribute("data-id")}", new(), formPage: "/Admin/Channels");
        Assert.Equal(HttpStatusCode.Redirect, retry.StatusCode);
        await WaitAsync(() => _fakes.For("wecom").Count() == 2, "the message sent again");
        Assert.Equal(1, await DbProbe.ScalarAsync<long>(_app.Db, "SELECT COUNT(*) FROM audit_log WHERE action = 'channel.retry'"));
    }

    [Fact]
    public async Task A_wrong_signing_secret_is_refused_by_the_target_and_the_test_button_shows_its_answer()
    {
        var admin = await Session.SignInAsync(_app, "A1", acceptLanguage: "en-US");
        await AddAsync(admin, "dingtalk", "Wrong secret", _fakes.DingTalkUrl, "SEC-not-the-right-one");
        var id = await DbProbe.ScalarAsync<long>(_app.Db, "SELECT id FROM channels");
        var test = await admin.PostFormAsync($"/Admin/Channels?handler=Test&id={id}", new(), formPage: "/Admin/Channels");
        Assert.Equal("/Admin/Channels?done=test", test.Headers.Location!.OriginalString);
        await WaitAsync(() => DbProbe.ScalarAsync<long>(_app.Db, "SELECT COUNT(*) FROM deliveries WHERE state = 'dead'").Result == 1, "the refusal");
        Assert.Contains(_fakes.Refused, r => r is ("dingtalk", "sign"));
        var page = await admin.GetDocAsync("/Admin/Channels");
        Assert.Contains("sign not match", page.QuerySelector("#dead-table .answer")!.TextContent);
    }

    [Fact]
    public async Task An_idle_plant_with_channels_writes_nothing_in_the_background()
    {
        var admin = await Session.SignInAsync(_app, "A1");
        await AddAsync(admin, "wecom", "冲压一线", _fakes.WeComUrl, team: _w.TeamA);
        await AwardAsync(_w.Alice, "你把夜班交接表改成了一页纸，交接时间少了一半。");
        await WaitAsync(() => _fakes.For("wecom").Any(), "the message");
        await Task.Delay(1000);
        var writes = 0;
        void Count() => Interlocked.Increment(ref writes);
        _app.Db.Committed += Count;
        await Task.Delay(3000); // three of the dispatcher's polls, six of the sender's
        _app.Db.Committed -= Count;
        Assert.Equal(0, writes);
    }

    [Fact]
    public async Task Bad_input_gets_a_clear_answer_and_writes_nothing()
    {
        var admin = await Session.SignInAsync(_app, "A1", acceptLanguage: "en-US");
        await admin.PostFormAsync("/Account/Language", new() { ["Culture"] = "en-US" }, formPage: "/Me/Settings");
        var before = await DbProbe.FingerprintAsync(_app.Db);
        var wrongHost = await AddAsync(admin, "wecom", "x", "https://evil.example.com/cgi-bin/webhook/send?key=1");
        Assert.Contains("qyapi.weixin.qq.com", wrongHost.QuerySelector("#channels-error")!.TextContent);
        var plainHttp = await AddAsync(admin, "webhook", "x", "http://hr.example.com/hook");
        Assert.NotNull(plainHttp.QuerySelector("#channels-error"));
        var noSecret = await AddAsync(admin, "feishu", "x", _fakes.FeishuUrl);
        Assert.Contains("signing secret", noSecret.QuerySelector("#channels-error")!.TextContent);
        var noName = await AddAsync(admin, "wecom", "", _fakes.WeComUrl);
        Assert.NotNull(noName.QuerySelector("#channels-error"));
        Assert.Equal(before, await DbProbe.FingerprintAsync(_app.Db));

        // Another site's admin sees none of this site's channels and cannot test or remove them.
        await AddAsync(admin, "wecom", "Site A", _fakes.WeComUrl);
        var id = await DbProbe.ScalarAsync<long>(_app.Db, "SELECT id FROM channels");
        await _w.AddSecondSiteAsync(_app);
        var other = await Session.SignInAsync(_app, "AB1", acceptLanguage: "en-US");
        Assert.Empty((await other.GetDocAsync("/Admin/Channels")).QuerySelectorAll("#channels-table tbody tr"));
        var res = await other.PostFormAsync($"/Admin/Channels?handler=Remove&id={id}", new(), formPage: "/Admin/Channels");
        Assert.NotNull((await Session.Doc(res)).QuerySelector("#channels-error"));
        Assert.Equal(1, await DbProbe.ScalarAsync<long>(_app.Db, "SELECT active FROM channels WHERE id = " + id));
    }

    [Fact]
    public async Task A_burst_is_folded_into_digests_within_the_targets_limit_and_nothing_is_dropped()
    {
        var admin = await Session.SignInAsync(_app, "A1");
        await AddAsync(admin, "wecom", "冲压一线", _fakes.WeComUrl, team: _w.TeamA);
        for (var i = 0; i < 40; i++)
        {
            if (i % 5 == 0) _app.Clock.Advance(TimeSpan.FromDays(1)); // within the giver's daily limit
            await AwardAsync(_w.Alice, $"第 {i} 次：你每天下班后多留半小时带新人练习扭矩扳手的校验。", points: 0);
        }
        await WaitAsync(() => DbProbe.ScalarAsync<long>(_app.Db, "SELECT COUNT(*) FROM deliveries WHERE state = 'sent'").Result == 40, "all 40 sent");
        var messages = _fakes.For("wecom").Select(b => b.GetProperty("markdown").GetProperty("content").GetString()!).ToList();
        Assert.True(messages.Count < 40, $"{messages.Count} messages for 40 recognitions");
        Assert.Contains(messages, m => m.Contains("条认可", StringComparison.Ordinal)); // a digest
        // Every recognition is accounted for: a digest says how many it folds (and lists up to 20), a single message is one.
        Assert.Equal(40, messages.Sum(m => System.Text.RegularExpressions.Regex.Match(m, @"^\*\*(\d+) 条认可\*\*") is { Success: true } d ? int.Parse(d.Groups[1].Value) : 1));
        Assert.Equal(0, _fakes.RateLimitViolations);
    }

    [Fact]
    public async Task People_get_their_own_e_mail_in_their_language_after_their_quiet_hours_and_none_when_they_turned_it_off()
    {
        await using var smtp = await TestSmtp.StartAsync();
        var admin = await Session.SignInAsync(_app, "A1", acceptLanguage: "en-US");
        var added = await AddAsync(admin, "email", "Plant mail", smtp.Url, TestSmtp.Password);
        Assert.Null(added.QuerySelector("#channels-error"));
        await _app.Db.WriteAsync((c, t) => c.ExecuteAsync("UPDATE employees SET email = CASE id WHEN @a THEN 'jing@plant.example.com' WHEN @b THEN 'qiang@plant.example.com' ELSE 'carol@plant.example.com' END WHERE id IN (@a, @b, @c)",
            new { a = _w.Alice, b = _w.Bob, c = _w.Carol }, t));

        // Carol turns e-mail off; Bob keeps quiet hours that cover the present hour at his site.
        var carol = await Session.SignInAsync(_app, "E4", acceptLanguage: "en-US");
        Assert.Equal(HttpStatusCode.Redirect, (await carol.PostFormAsync("/Me/Settings?handler=Messages", new() { ["email"] = "false" }, formPage: "/Me/Settings")).StatusCode);
        var zone = await DbProbe.ScalarAsync<string>(_app.Db, "SELECT time_zone FROM sites WHERE id = " + _w.SiteId);
        var hour = Recognition.Web.Domain.SiteTime.ToLocal(_app.Clock.UtcNow, zone).Hour;
        var bob = await Session.SignInAsync(_app, "E3");
        var bad = await bob.PostFormAsync("/Me/Settings?handler=Messages", new() { ["email"] = "true", ["quietFrom"] = hour.ToString() }, formPage: "/Me/Settings");
        Assert.NotNull((await Session.Doc(bad)).QuerySelector("#settings-error")); // one end only: refused
        await bob.PostFormAsync("/Me/Settings?handler=Messages", new() { ["email"] = "true", ["quietFrom"] = hour.ToString(), ["quietTo"] = ((hour + 2) % 24).ToString() }, formPage: "/Me/Settings");

        await AwardAsync(_w.Alice, "你把夜班交接表改成了一页纸，交接时间少了一半。");
        await AwardAsync(_w.Bob, "你发现了冲床光栅的遮挡问题并马上报告。");
        await AwardAsync(_w.Carol, "谢谢你周末来帮忙盘点。");
        await WaitAsync(() => smtp.Mails.Any(), "Jing's mail");
        var mail = smtp.Mails.Single();
        Assert.Equal("Wei Wang recognised you", mail.GetProperty("subject").GetString()); // her language
        Assert.Contains("jing@plant.example.com", mail.GetProperty("to").GetString());
        Assert.Equal("en-US", mail.GetProperty("language").GetString());
        Assert.Contains("交接表", mail.GetProperty("text").GetString());
        Assert.Contains("<p>", mail.GetProperty("html").GetString());
        Assert.Equal(TestSmtp.User, mail.GetProperty("user").GetString());
        Assert.Equal(0, await DbProbe.ScalarAsync<long>(_app.Db, $"SELECT COUNT(*) FROM deliveries WHERE employee_id = {_w.Carol}"));
        Assert.Equal("pending", await DbProbe.ScalarAsync<string>(_app.Db, $"SELECT state FROM deliveries WHERE employee_id = {_w.Bob}"));

        // After Bob's quiet hours his message goes, in Chinese.
        _app.Clock.Advance(TimeSpan.FromHours(2));
        _app.Get<ChannelWorker>().Wake();
        await WaitAsync(() => smtp.Mails.Count == 2, "Bob's mail after his quiet hours");
        Assert.Equal("王伟 认可了你", smtp.Mails.Last().GetProperty("subject").GetString());
    }

    [Fact]
    public async Task A_supervisor_gets_one_digest_of_waiting_reports_at_most_hourly_and_the_reporter_hears_the_decision()
    {
        await using var smtp = await TestSmtp.StartAsync();
        var admin = await Session.SignInAsync(_app, "A1", acceptLanguage: "en-US");
        await AddAsync(admin, "email", "Plant mail", smtp.Url, TestSmtp.Password);
        await _app.Db.WriteAsync((c, t) => c.ExecuteAsync("UPDATE employees SET email = CASE id WHEN @s THEN 'zhang@plant.example.com' ELSE 'jing@plant.example.com' END WHERE id IN (@s, @a)",
            new { s = _w.SupA, a = _w.Alice }, t));
        var rule = await DbProbe.ScalarAsync<long>(_app.Db, "SELECT id FROM behaviour_rules WHERE active = 1 AND claimable = 1 AND requires_approval = 1 ORDER BY id");
        var claims = _app.Get<Recognition.Web.Features.Claims.ClaimService>();
        async Task<long> ReportAsync(long who) => (await claims.SubmitAsync(new Recognition.Web.Features.Claims.ClaimCommand(who, rule,
            "2 号通道地面有油渍，已放警示牌，需要尽快清理。", null, null, Guid.NewGuid().ToString("N")), _app.Clock.UtcNow)).Id!.Value;
        var first = await ReportAsync(_w.Alice);
        await ReportAsync(_w.Giver);
        _app.Clock.Advance(TimeSpan.FromMinutes(1)); // waiting reports are looked at once a minute
        _app.Get<ChannelDispatcher>().Wake();
        await WaitAsync(() => smtp.Mails.Any(), "the supervisor's digest");
        var digest = smtp.Mails.Single();
        Assert.Equal("有 2 条申报等待您审批", digest.GetProperty("subject").GetString()); // one message for both, in his language
        Assert.Contains("zhang@plant.example.com", digest.GetProperty("to").GetString());
        Assert.Contains("/Supervisor/Approvals", digest.GetProperty("text").GetString());

        await ReportAsync(_w.Alice); // within the hour: no second digest
        _app.Clock.Advance(TimeSpan.FromMinutes(2));
        _app.Get<ChannelDispatcher>().Wake();
        await Task.Delay(1500);
        Assert.Single(smtp.Mails);
        _app.Clock.Advance(TimeSpan.FromMinutes(60));
        _app.Get<ChannelDispatcher>().Wake();
        await WaitAsync(() => smtp.Mails.Count == 2, "the next hour's digest");
        Assert.Equal("有 3 条申报等待您审批", smtp.Mails.Last().GetProperty("subject").GetString());

        // The supervisor decides; the reporter hears it in her own language.
        Assert.True((await claims.ApproveAsync(first, _w.SupA, null, false, _app.Clock.UtcNow)).Ok);
        await WaitAsync(() => smtp.Mails.Count == 3, "the decision");
        var decided = smtp.Mails.Last();
        Assert.Contains("jing@plant.example.com", decided.GetProperty("to").GetString());
        Assert.StartsWith("Approved: ", decided.GetProperty("subject").GetString());
    }

    [Fact]
    public async Task A_wrong_smtp_password_is_a_dead_letter_with_the_servers_answer()
    {
        await using var smtp = await TestSmtp.StartAsync();
        var admin = await Session.SignInAsync(_app, "A1", acceptLanguage: "en-US");
        await AddAsync(admin, "email", "Plant mail", smtp.Url, "not-the-password");
        await _app.Db.WriteAsync((c, t) => c.ExecuteAsync("UPDATE employees SET email = 'jing@plant.example.com' WHERE id = @id", new { id = _w.Alice }, t));
        await AwardAsync(_w.Alice, "你把夜班交接表改成了一页纸，交接时间少了一半。");
        await WaitAsync(() => DbProbe.ScalarAsync<long>(_app.Db, "SELECT COUNT(*) FROM deliveries WHERE state = 'dead'").Result == 1, "the refusal");
        Assert.Contains("authentication", (await admin.GetDocAsync("/Admin/Channels")).QuerySelector("#dead-table .answer")!.TextContent, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(smtp.Mails);
    }

    [Fact]
    public async Task After_a_crash_a_message_caught_mid_send_goes_once_with_the_same_id_and_a_sent_one_never_again()
    {
        // Its own app on a data folder that outlives it, so a second app can start on the same database afterwards.
        var dir = Path.Combine(Path.GetTempPath(), "recognition-tests", Guid.NewGuid().ToString("N"));
        var first = new AppFactory(Fast, dataDir: dir);
        first.Clock.Set(DateTime.UtcNow);
        var w = await World.CreateAsync(first);
        var admin = await Session.SignInAsync(first, "A1");
        var hook = await AddAsync(admin, w.SiteId, "webhook", "HR", _fakes.WebhookUrl);
        _fakes.WebhookSecret = hook.QuerySelector("#channel-secret")!.TextContent.Trim();
        await first.Get<AwardService>().AwardAsync(new AwardCommand(w.Giver, [w.Alice], w.Badges["mentor"], null, "你把夜班交接表改成了一页纸，交接时间少了一半。",
            "public", 5, Guid.NewGuid().ToString("N")), first.Clock.UtcNow);
        await WaitAsync(() => DbProbe.ScalarAsync<long>(first.Db, "SELECT COUNT(*) FROM deliveries WHERE state = 'sent'").Result == 1, "the first webhook marked sent");
        Assert.Single(_fakes.For("webhook"));
        var connection = first.Db.ConnectionString;
        var channel = await DbProbe.ScalarAsync<long>(first.Db, "SELECT id FROM channels");
        await first.DisposeAsync();

        // What kill -9 leaves behind: a delivery claimed for sending whose lease is still running, nothing marked sent.
        var now = DateTime.UtcNow;
        var caught = await new Recognition.Web.Infrastructure.Data.Db(TestEngine.Provider, connection).WriteAsync((c, t) => c.ExecuteScalarAsync<long>(
            Recognition.Web.Infrastructure.Data.Dialects.For(TestEngine.Provider).InsertReturningId("deliveries",
                "channel_id, event_id, kind, title, body, link, data_json, state, attempts, next_utc, lease_utc, created_utc",
                "@channel, NULL, 'recognition.revoked', 'recognition 1 revoked', '', NULL, '{\"id\":1}', 'sending', 0, @now, @lease, @now"),
            new { channel, now, lease = now.AddMinutes(2) }, t));

        await using var again = new AppFactory(new Dictionary<string, string?>(Fast) { ["ConnectionStrings:Recognition"] = connection });
        again.Clock.Set(now.AddMinutes(1));
        _ = again.Services; // starts the app, its dispatcher and sender: the lease still runs, so nothing goes yet
        await Task.Delay(1000);
        Assert.Single(_fakes.For("webhook"));
        again.Clock.Set(now.AddMinutes(3)); // the lease has run out
        again.Get<ChannelWorker>().Wake();
        await WaitAsync(() => _fakes.For("webhook").Count() == 2, "the message caught mid-send", 20);
        await Task.Delay(1500);
        Assert.True(_fakes.For("webhook").Count() == 2, string.Join("\n", _fakes.Received.Select(r => $"{r.At:HH:mm:ss.fff} {r.Headers["webhook-id"]} {Text(r.Body)}"))); // the one already sent is not sent again, the caught one once
        Assert.Equal(WebhookSender.WebhookId(caught), _fakes.Received.Last(r => r.Target == "webhook").Headers["webhook-id"]);
        await again.DisposeAsync();
        try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
    }
}
