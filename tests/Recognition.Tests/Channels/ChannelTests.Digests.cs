using System.Net;
using Dapper;
using Recognition.Tests.Support;
using Recognition.Web.Features.Channels;
using Recognition.Web.Features.Praise;
using Recognition.Web.Features.Rewards;

namespace Recognition.Tests.Channels;

/// <summary>Mentions, digests by cadence, the weekly e-mail, order and praise webhooks, and what waits for supervisors.</summary>
public sealed partial class ChannelTests
{
    private async Task SetEmailsAsync(params (long Id, string Email)[] people)
    {
        foreach (var (id, email) in people)
        {
            await _app.Db.WriteAsync((c, t) => c.ExecuteAsync("UPDATE employees SET email = @email WHERE id = @id", new { email, id }, t));
        }
    }

    /// <summary>Moves the frozen clock to a site-local time and lets the once-a-minute looks run.</summary>
    private async Task AtLocalAsync(DateTime local)
    {
        var zone = await DbProbe.ScalarAsync<string>(_app.Db, "SELECT time_zone FROM sites WHERE id = " + _w.SiteId);
        _app.Clock.Set(SiteTime.ToUtc(local, zone));
        _app.Get<ChannelDispatcher>().Wake();
    }

    [Fact]
    public async Task People_with_a_chat_id_are_mentioned_in_their_teams_group_the_way_each_target_wants_and_can_say_no()
    {
        var admin = await Session.SignInAsync(_app, "A1", acceptLanguage: "en-US");
        // The admin links Jing's chat account on her page; markup is refused with a clear message and nothing is written.
        var form = new Dictionary<string, string>
        {
            ["Id"] = _w.Alice.ToString(), ["Version"] = (await DbProbe.ScalarAsync<int>(_app.Db, "SELECT version FROM employees WHERE id = " + _w.Alice)).ToString(),
            ["SiteId"] = _w.SiteId.ToString(), ["TeamId"] = _w.TeamA.ToString(), ["EmployeeNo"] = "E2", ["NameZh"] = "陈静", ["NameEn"] = "Jing Chen", ["Locale"] = "en-US",
            ["ChatUserId"] = "<at id=all>",
        };
        var bad = await Session.Doc(await admin.PostFormAsync("/Admin/Person?handler=Save", form, formPage: $"/Admin/Person?id={_w.Alice}"));
        Assert.Contains("只能包含字母、数字", bad.QuerySelector("[role=alert]")!.TextContent);
        Assert.Null(await DbProbe.ScalarAsync<string?>(_app.Db, "SELECT chat_user_id FROM employees WHERE id = " + _w.Alice));
        form["ChatUserId"] = "jing.chen";
        Assert.Equal(HttpStatusCode.Redirect, (await admin.PostFormAsync("/Admin/Person?handler=Save", form, formPage: $"/Admin/Person?id={_w.Alice}")).StatusCode);
        Assert.Equal("jing.chen", await DbProbe.ScalarAsync<string>(_app.Db, "SELECT chat_user_id FROM employees WHERE id = " + _w.Alice));

        await AddAsync(admin, "wecom", "Line 1 WeCom", _fakes.WeComUrl, team: _w.TeamA);
        await AddAsync(admin, "dingtalk", "Line 1 DingTalk", _fakes.DingTalkUrl, ChannelFakes.DingTalkSecret, _w.TeamA);
        await AddAsync(admin, "feishu", "Line 1 Feishu", _fakes.FeishuUrl, ChannelFakes.FeishuSecret, _w.TeamA);
        await AddAsync(admin, "teams", "Line 1 Teams", _fakes.TeamsUrl, team: _w.TeamA, locale: "en-US");
        await AwardAsync(_w.Alice, "你把夜班交接表改成了一页纸，交接时间少了一半。");
        await WaitAsync(() => _fakes.Received.Count == 4, "four chat messages");
        Assert.Empty(_fakes.Refused);
        var wecom = _fakes.For("wecom").Single();
        Assert.Equal("text", wecom.GetProperty("msgtype").GetString()); // WeCom mentions only in text messages
        Assert.Equal("[\"jing.chen\"]", wecom.GetProperty("text").GetProperty("mentioned_list").GetRawText());
        Assert.Contains("交接表", wecom.GetProperty("text").GetProperty("content").GetString());
        var ding = _fakes.For("dingtalk").Single();
        Assert.Equal("[\"jing.chen\"]", ding.GetProperty("at").GetProperty("atUserIds").GetRawText());
        Assert.Contains("@jing.chen", ding.GetProperty("markdown").GetProperty("text").GetString());
        Assert.Contains(_fakes.For("feishu").Single().GetProperty("card").GetProperty("elements").EnumerateArray(),
            e => e.GetProperty("tag").GetString() == "markdown" && e.GetProperty("content").GetString() == "<at id=jing.chen></at>");
        var entity = _fakes.For("teams").Single().GetProperty("attachments")[0].GetProperty("content").GetProperty("msteams").GetProperty("entities")[0];
        Assert.Equal("jing.chen", entity.GetProperty("mentioned").GetProperty("id").GetString());
        Assert.Equal("<at>Jing Chen</at>", entity.GetProperty("text").GetString());

        // Jing turns mentions off: the next one tells the group without tagging her.
        var jing = await Session.SignInAsync(_app, "E2", acceptLanguage: "en-US");
        var settings = await jing.GetDocAsync("/Me/Settings");
        Assert.Contains("jing.chen", settings.QuerySelector("#messages")!.TextContent);
        await jing.PostFormAsync("/Me/Settings?handler=Messages", new() { ["email"] = "true", ["weekly"] = "true" }, formPage: "/Me/Settings");
        Assert.Equal(0, await DbProbe.ScalarAsync<int>(_app.Db, "SELECT notify_chat FROM employees WHERE id = " + _w.Alice));
        _app.Clock.Advance(TimeSpan.FromMinutes(1));
        await AwardAsync(_w.Alice, "谢谢你周末来帮忙盘点，数据一次就对上了。");
        await WaitAsync(() => _fakes.For("wecom").Count() == 2, "the second message");
        Assert.Equal("markdown", _fakes.For("wecom").Last().GetProperty("msgtype").GetString());
    }

    [Fact]
    public async Task A_daily_channel_hears_one_digest_at_the_end_of_the_day_and_each_person_gets_one_weekly_mail_of_what_they_gave_and_received()
    {
        await using var smtp = await TestSmtp.StartAsync();
        var admin = await Session.SignInAsync(_app, "A1");
        var friday = new DateTime(2026, 12, 4); // a Friday
        await AtLocalAsync(friday.AddHours(9));
        await AddAsync(admin, "wecom", "冲压一线（每日汇总）", _fakes.WeComUrl, team: _w.TeamA, cadence: "daily");
        var refused = await admin.PostFormAsync("/Admin/Channels?handler=Create", new()
        {
            ["SiteId"] = _w.SiteId.ToString(), ["Kind"] = "wecom", ["Name"] = "x", ["Address"] = _fakes.WeComUrl, ["Cadence"] = "hourly", ["Locale"] = "zh-CN",
        }, formPage: "/Admin/Channels");
        Assert.Contains("逐条、每日或每周", (await Session.Doc(refused)).QuerySelector("#channels-error")!.TextContent);
        await AddAsync(admin, "email", "Plant mail", smtp.Url, TestSmtp.Password);
        Assert.Equal(2, await DbProbe.ScalarAsync<int>(_app.Db, "SELECT COUNT(*) FROM channels"));
        await SetEmailsAsync((_w.Alice, "jing@plant.example.com"), (_w.Giver, "wei@plant.example.com"), (_w.Dave, "lei@plant.example.com"), (_w.Bob, "qiang@plant.example.com"));
        // Lei does not want the weekly mail.
        var lei = await Session.SignInAsync(_app, "E5");
        await lei.PostFormAsync("/Me/Settings?handler=Messages", new() { ["email"] = "true", ["chat"] = "true" }, formPage: "/Me/Settings");

        await AwardAsync(_w.Alice, "你把夜班交接表改成了一页纸，交接时间少了一半。");
        await AwardAsync(_w.Dave, "班组内部：这次换模你只用了十一分钟。", "team");
        await AwardAsync(_w.Bob, "你发现了冲床光栅的遮挡问题并马上报告。"); // another team's
        await AwardAsync(_w.Alice, "私下说一句：谢谢你那天帮我顶班。", "private");
        await WaitAsync(() => smtp.Mails.Count == 4, "the four personal mails"); // recognised-you mails still go one by one
        await Task.Delay(800);
        Assert.Empty(_fakes.For("wecom")); // a daily channel hears nothing during the day

        await AtLocalAsync(friday.AddHours(17).AddMinutes(1));
        await WaitAsync(() => _fakes.For("wecom").Any() && smtp.Mails.Count == 7, "the day's digest and the weekly mails");
        var digest = _fakes.For("wecom").Single().GetProperty("markdown").GetProperty("content").GetString()!;
        Assert.StartsWith("**今日认可：2 条**", digest);
        Assert.Contains("王伟 → 陈静", digest);
        Assert.Contains("王伟 → 赵磊", digest);
        Assert.DoesNotContain("刘强", digest); // another team's
        Assert.DoesNotContain("顶班", digest);

        var weekly = smtp.Mails.Skip(4).ToList();
        Assert.Equal(3, weekly.Count); // Jing, Wei and Qiang; Lei said no
        var jing = weekly.Single(m => m.GetProperty("to").GetString()!.Contains("jing@"));
        Assert.Equal("Your week in recognition", jing.GetProperty("subject").GetString());
        Assert.Contains("You gave 0 and received 2 recognitions this week.", jing.GetProperty("text").GetString()); // the private one counts for her
        Assert.Contains("交接表", jing.GetProperty("text").GetString());
        var wei = weekly.Single(m => m.GetProperty("to").GetString()!.Contains("wei@"));
        Assert.Contains("本周你认可了他人 4 次，收到认可 0 次。", wei.GetProperty("text").GetString());
        Assert.Contains("收到认可 1 次", weekly.Single(m => m.GetProperty("to").GetString()!.Contains("qiang@")).GetProperty("text").GetString());

        // A second look, a later hour and a restart of the loop send nothing twice.
        await AtLocalAsync(friday.AddHours(18));
        await Task.Delay(1500);
        Assert.Single(_fakes.For("wecom"));
        Assert.Equal(3, await DbProbe.ScalarAsync<int>(_app.Db, "SELECT COUNT(*) FROM deliveries WHERE kind = 'weekly'"));
        Assert.Equal(1, await DbProbe.ScalarAsync<int>(_app.Db, "SELECT COUNT(*) FROM deliveries WHERE kind = 'digest.daily'"));
    }

    [Fact]
    public async Task Every_change_of_an_orders_state_and_approved_customer_praise_reach_the_webhook_and_the_pickup_code_reaches_the_person()
    {
        await using var smtp = await TestSmtp.StartAsync();
        var admin = await Session.SignInAsync(_app, "A1");
        var hook = await AddAsync(admin, "webhook", "HR system", _fakes.WebhookUrl);
        _fakes.WebhookSecret = hook.QuerySelector("#channel-secret")!.TextContent.Trim();
        await AddAsync(admin, "email", "Plant mail", smtp.Url, TestSmtp.Password);
        await SetEmailsAsync((_w.Alice, "jing@plant.example.com"), (_w.SupA, "zhang@plant.example.com"));

        // An order goes through every state; another is declined, a third cancelled.
        var rewards = _app.Get<RewardService>();
        var keeper = new Recognition.Web.Domain.AdminScope(_w.Admin, _w.SiteId, Org: false);
        var item = await Rewards.RewardTests.ItemAsync(_app, _w, cost: 10, stock: null);
        await Rewards.RewardTests.GrantAsync(_app, _w.Alice, 100);
        async Task<long> OrderAsync() => (await rewards.RedeemAsync(new RedeemCommand(_w.Alice, item, 1, 10, Recognition.Web.Infrastructure.Data.Idempotency.NewKey()), _app.Clock.UtcNow)).Id!.Value;
        var first = await OrderAsync();
        Assert.True((await rewards.ApproveAsync(first, keeper, _app.Clock.UtcNow)).Ok);
        Assert.True((await rewards.ReadyAsync(first, keeper, _app.Clock.UtcNow)).Ok);
        var code = await DbProbe.ScalarAsync<string>(_app.Db, "SELECT pickup_code FROM reward_orders WHERE id = " + first);
        Assert.True((await rewards.HandOverAsync(code, keeper, _app.Clock.UtcNow)).Ok);
        var second = await OrderAsync();
        Assert.True((await rewards.DeclineAsync(second, keeper, "本月已无库存", _app.Clock.UtcNow)).Ok);
        var third = await OrderAsync();
        Assert.True((await rewards.CancelAsync(third, _w.Alice, _app.Clock.UtcNow)).Ok);

        // Customer praise: the team's supervisor is asked to moderate (one digest), then approves it.
        var praise = _app.Get<PraiseService>();
        var teamCode = await _app.Get<PraiseCodes>().EnsureCodeAsync(_w.SiteId, "team", _w.TeamA, _app.Clock.UtcNow);
        Assert.True((await praise.SubmitAsync(new PraiseForm(teamCode, "team", "你们的司机很耐心，帮我们把货物搬进了仓库，谢谢！", null, "李女士", "华东物流", "13800000000"), _app.Clock.UtcNow)).Ok);
        _app.Clock.Advance(TimeSpan.FromMinutes(1));
        _app.Get<ChannelDispatcher>().Wake();
        await WaitAsync(() => smtp.Mails.Any(m => m.GetProperty("to").GetString()!.Contains("zhang@")), "the moderation digest");
        var ask = smtp.Mails.Single(m => m.GetProperty("to").GetString()!.Contains("zhang@"));
        Assert.Equal("有 1 条客户表扬等待您审核", ask.GetProperty("subject").GetString());
        Assert.Contains("华东物流", ask.GetProperty("text").GetString());
        Assert.Contains("/Supervisor/Praise", ask.GetProperty("text").GetString());
        var submission = await DbProbe.ScalarAsync<long>(_app.Db, "SELECT MAX(id) FROM praise_submissions");
        Assert.True((await praise.ApproveAsync(submission, _w.SupA, null, _app.Clock.UtcNow)).Ok);

        var expected = new[] { "order.placed", "order.approved", "order.ready", "order.handed_over", "order.placed", "order.declined", "order.placed", "order.cancelled", "praise.approved" };
        await WaitAsync(() => _fakes.For("webhook").Count(b => b.GetProperty("type").GetString() != "recognition.created") == expected.Length, "every state");
        Assert.Empty(_fakes.Refused);
        var events = _fakes.For("webhook").Where(b => b.GetProperty("type").GetString() != "recognition.created").ToList();
        Assert.Equal(expected, events.Select(b => b.GetProperty("type").GetString()));
        var handed = events[3].GetProperty("data");
        Assert.Equal(first, handed.GetProperty("id").GetInt64());
        Assert.Equal("handed_over", handed.GetProperty("state").GetString());
        Assert.Equal("E2", handed.GetProperty("employeeNo").GetString());
        Assert.Equal("Thermos mug", handed.GetProperty("reward").GetProperty("nameEn").GetString());
        Assert.Equal("本月已无库存", events[5].GetProperty("data").GetProperty("reason").GetString());
        var approved = events[8].GetProperty("data");
        Assert.Equal("华东物流", approved.GetProperty("company").GetString());
        Assert.DoesNotContain("13800000000", approved.GetRawText()); // never the customer's contact
        Assert.Equal(await DbProbe.ScalarAsync<long>(_app.Db, "SELECT recognition_id FROM praise_submissions WHERE id = " + submission), approved.GetProperty("recognitionId").GetInt64());

        // Jing's pickup code came by e-mail, in her language.
        var ready = smtp.Mails.Single(m => m.GetProperty("subject").GetString()!.Contains("ready", StringComparison.OrdinalIgnoreCase) && m.GetProperty("to").GetString()!.Contains("jing@"));
        Assert.Contains(code, ready.GetProperty("text").GetString());
    }
}
