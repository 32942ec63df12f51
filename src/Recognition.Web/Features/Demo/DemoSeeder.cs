using Recognition.Web.Features.Claims;
using Recognition.Web.Features.Recognize;

namespace Recognition.Web.Features.Demo;

/// <summary>
/// A believable plant: one site, six teams (two line teams on A/B/C shifts, one project team), about
/// 120 people, the five values and their badges, behaviour rules, and 60 days of history written
/// through the app's own award and claim code, so balances and buckets are exactly what they would be.
/// </summary>
public sealed class DemoSeeder(Db db, PeopleStore people, AwardService awards, ClaimService claims, DemoSocial social, ILogger<DemoSeeder> log)
{
    public const int Days = 60;

    private static readonly (string Zh, string En)[] Surnames =
    [
        ("王", "Wang"), ("李", "Li"), ("张", "Zhang"), ("刘", "Liu"), ("陈", "Chen"), ("杨", "Yang"), ("黄", "Huang"), ("赵", "Zhao"),
        ("吴", "Wu"), ("周", "Zhou"), ("徐", "Xu"), ("孙", "Sun"), ("马", "Ma"), ("朱", "Zhu"), ("胡", "Hu"), ("郭", "Guo"),
        ("何", "He"), ("林", "Lin"), ("罗", "Luo"), ("高", "Gao"),
    ];

    private static readonly (string Zh, string En)[] Given =
    [
        ("伟", "Wei"), ("芳", "Fang"), ("娜", "Na"), ("敏", "Min"), ("静", "Jing"), ("丽", "Li"), ("强", "Qiang"), ("磊", "Lei"),
        ("军", "Jun"), ("洋", "Yang"), ("勇", "Yong"), ("艳", "Yan"), ("杰", "Jie"), ("娟", "Juan"), ("涛", "Tao"), ("明", "Ming"),
        ("超", "Chao"), ("秀英", "Xiuying"), ("霞", "Xia"), ("平", "Ping"), ("刚", "Gang"), ("桂英", "Guiying"), ("建华", "Jianhua"),
        ("晓东", "Xiaodong"), ("海燕", "Haiyan"), ("志强", "Zhiqiang"), ("丹", "Dan"), ("鑫", "Xin"), ("宇", "Yu"), ("慧", "Hui"),
    ];

    private static readonly (string Code, string Zh, string En, string Kind, bool Line)[] Teams =
    [
        ("STAMP-1", "冲压一线", "Stamping Line 1", "standing", true),
        ("ASSY-2", "装配二线", "Assembly Line 2", "standing", true),
        ("QA", "质量部", "Quality Assurance", "standing", false),
        ("WH", "仓储物流", "Warehouse & Logistics", "standing", false),
        ("CS", "客户服务", "Customer Service", "standing", false),
        ("DX-PRJ", "数字化项目组", "Digitalisation Project", "project", false),
    ];

    private static readonly Dictionary<string, (string Zh, string En)[]> Messages = new()
    {
        ["cross_team_star"] =
        [
            ("周五晚上质量部临时要复检 200 件，你主动从仓储调了两个人过来，十点前全部完成，客户第二天准时发货。", "When QA needed 200 parts re-inspected on Friday night you brought two people over from the warehouse and we finished before ten, so the customer shipment left on time."),
            ("你把冲压和装配的交接单重新设计了一遍，现在换班时缺料的问题一目了然，上周没有一次停线等料。", "You redesigned the stamping-to-assembly handover sheet; shortages are now obvious at shift change and we had no line stop waiting for parts last week."),
        ],
        ["customer_guardian"] =
        [
            ("客户投诉包装破损，你当天就去现场拍照分析，第二天给出了加护角的方案，客户回信表示满意。", "A customer complained about damaged packaging; you went to the floor the same day, photographed it and proposed corner protectors the next morning. The customer wrote back satisfied."),
            ("你在给客户的汇报里加了两张对比表，把交付周期的改善讲得清清楚楚，客户当场续签了季度订单。", "You added the two comparison tables to the client deck that made the lead-time improvement obvious, and the customer renewed the quarterly order on the spot."),
        ],
        ["safety_star"] =
        [
            ("你发现 3 号压机的光幕支架松动，立即停机挂牌并通知了设备科，避免了可能的夹手事故。", "You spotted the loose light-curtain bracket on press 3, locked it out at once and called maintenance, preventing a possible hand injury."),
            ("叉车通道的反光镜被撞歪了，你第一时间报告并在旁边守着直到修好，谢谢你的较真。", "The forklift aisle mirror was knocked askew; you reported it straight away and stood guard until it was fixed. Thank you for caring."),
        ],
        ["mentor"] =
        [
            ("小李刚来第一周，你每天下班后多留半小时带她练习扭矩扳手的校验，现在她已经能独立上岗了。", "In her first week you stayed half an hour after every shift to practise torque-wrench checks with the new hire; she now works the station on her own."),
            ("你把新人常犯的 10 个错误整理成一页纸贴在工位旁，新来的三个人都说特别有用。", "You turned the ten most common new-hire mistakes into a one-page sheet at the station; all three newcomers say it helps a lot."),
        ],
        ["bright_idea"] =
        [
            ("你提出把料架高度调低 20 厘米，装配二线每班少弯腰上百次，节拍也快了 4 秒。", "Your idea to lower the parts rack by 20 cm saves hundreds of bends per shift on Assembly Line 2 and cut 4 seconds off the cycle."),
            ("你用一个简单的颜色标签区分待检品和合格品，这个月混料的问题一次都没有再出现。", "Your simple colour tags for parts awaiting inspection versus passed parts mean we had no mix-ups at all this month."),
        ],
        ["outstanding"] =
        [
            ("年度盘点期间你连续三天带队清点，差异率降到了 0.1%，创下仓库历史最好成绩。", "You led the annual stock-take for three days straight and brought the variance down to 0.1%, the warehouse's best result ever."),
        ],
    };

    public async Task<bool> SeedIfEmptyAsync(DateTime now)
    {
        var any = await db.ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM sites"));
        if (any > 0) return false;
        await SeedAsync(now);
        return true;
    }

    public async Task SeedAsync(DateTime now)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        var rnd = new Random(20261122);
        var staff = new List<(long Id, long TeamId, string Locale)>();
        var supervisors = new Dictionary<long, long>();
        await db.WriteAsync(async (conn, tx) =>
        {
            var siteId = await conn.QuerySingleAsync<long>(db.Dialect.InsertReturningId("sites", "code, name_zh, name_en, time_zone, created_utc",
                "'SZ-01', @zh, @en, 'Asia/Shanghai', @now"), new { zh = "苏州一厂", en = "Suzhou Plant 1", now }, tx);
            var shiftIds = new List<long>();
            foreach (var (code, zh, en, start, end) in new[] { ("A", "早班", "Day shift A", 360, 840), ("B", "中班", "Evening shift B", 840, 1320), ("C", "夜班", "Night shift C", 1320, 360) })
            {
                shiftIds.Add(await conn.QuerySingleAsync<long>(db.Dialect.InsertReturningId("shifts", "site_id, code, name_zh, name_en, start_minute, end_minute",
                    "@siteId, @code, @zh, @en, @start, @end"), new { siteId, code, zh, en, start, end }, tx));
            }
            await Catalog.SeedAsync(conn, tx);
            await Catalog.SeedAreasAsync(conn, tx, siteId);
            var n = 0;
            for (var t = 0; t < Teams.Length; t++)
            {
                var team = Teams[t];
                var teamId = await conn.QuerySingleAsync<long>(db.Dialect.InsertReturningId("teams", "site_id, code, name_zh, name_en, kind",
                    "@siteId, @Code, @Zh, @En, @Kind"), new { siteId, team.Code, team.Zh, team.En, team.Kind }, tx);
                if (team.Line)
                {
                    foreach (var s in shiftIds)
                    {
                        await conn.ExecuteAsync("INSERT INTO team_shifts (team_id, shift_id) VALUES (@teamId, @s)", new { teamId, s }, tx);
                    }
                }
                var supervisorNo = $"S{t + 1:0000}";
                var supName = Name(rnd);
                var supId = await people.CreateAsync(conn, tx, new NewEmployee(siteId, teamId, supervisorNo, supName.Zh, supName.En,
                    Roles.Employee | Roles.Supervisor, Email: $"{supervisorNo.ToLowerInvariant()}@demo.local", BadgeCode: $"BADGE-{supervisorNo}",
                    Password: t == 0 ? "demo-super" : null, Pin: "246810", HireDay: 20150301 + t));
                await conn.ExecuteAsync("INSERT INTO team_leaders (team_id, employee_id) VALUES (@teamId, @supId)", new { supId, teamId }, tx);
                supervisors[teamId] = supId;
                staff.Add((supId, teamId, "zh-CN"));
                var size = team.Line ? 28 : team.Kind == "project" ? 10 : 16;
                for (var i = 0; i < size; i++)
                {
                    n++;
                    var no = $"E{n:0000}";
                    var foreign = team.Kind == "project" && i < 2;
                    var nm = foreign ? (Zh: (string?)null, En: i == 0 ? "Anna Müller" : "James O'Connor") : Name(rnd);
                    var locale = foreign || rnd.Next(6) == 0 ? "en-US" : "zh-CN";
                    var hire = n % 17 == 0 ? SiteTime.Day(now.AddDays(-rnd.Next(5, 40)), "Asia/Shanghai") : 20180101 + rnd.Next(0, 6) * 10000 + rnd.Next(1, 12) * 100 + rnd.Next(1, 28);
                    var id = await people.CreateAsync(conn, tx, new NewEmployee(siteId, teamId, no, nm.Zh, nm.En, Roles.Employee, locale,
                        Email: $"{no.ToLowerInvariant()}@demo.local", BadgeCode: $"BADGE-{no}", HireDay: hire,
                        Password: n == 1 ? "demo-user" : null, Pin: n == 1 ? "135790" : "000000"));
                    staff.Add((id, teamId, locale));
                }
            }
            var hr = (Zh: "孙雅婷", En: "Yating Sun");
            await people.CreateAsync(conn, tx, new NewEmployee(siteId, null, "A0001", hr.Zh, hr.En, Roles.Employee | Roles.Admin,
                Email: "hr@demo.local", BadgeCode: "BADGE-A0001", Password: "demo-admin", Pin: "975310", HireDay: 20160615));
            // The group's HR, so a newcomer can try what only an organisation admin may: the catalogue, policies, a second site.
            await people.CreateAsync(conn, tx, new NewEmployee(siteId, null, "G0001", "周敏", "Min Zhou", Roles.Employee | Roles.Admin | Roles.OrgAdmin,
                Email: "group-hr@demo.local", Password: "demo-group", HireDay: 20150301));
        });
        var badgeIds = (await db.ReadAsync(c => c.QueryAsync<(long Id, string Code)>("SELECT id, code FROM badges WHERE kind <> 'achievement'")))
            .ToDictionary(b => b.Code, b => b.Id);
        var ruleIds = (await db.ReadAsync(c => c.QueryAsync<(long Id, string Code)>("SELECT id, code FROM behaviour_rules")))
            .ToDictionary(r => r.Code, r => r.Id);
        var steps = new[] { 0, 5, 5, 10, 10, 20 };
        var (given, reported) = (0, 0);
        var todays = new List<(DateTime At, AwardCommand Cmd)>();
        for (var d = Days; d >= 1; d--)
        {
            var day = now.Date.AddDays(-d);
            var count = day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday ? rnd.Next(3, 8) : rnd.Next(12, 24);
            for (var k = 0; k < count; k++)
            {
                var at = day.AddHours(rnd.Next(0, 14)).AddMinutes(rnd.Next(60));
                var giver = staff[rnd.Next(staff.Count)];
                var sameTeam = staff.Where(s => s.TeamId == giver.TeamId && s.Id != giver.Id).ToList();
                var recipient = rnd.Next(3) > 0 ? sameTeam[rnd.Next(sameTeam.Count)] : staff[rnd.Next(staff.Count)];
                if (recipient.Id == giver.Id) continue;
                var isSup = supervisors.ContainsValue(giver.Id);
                var badge = isSup && rnd.Next(8) == 0 ? "outstanding" : Messages.Keys.Where(b => b != "outstanding").ElementAt(rnd.Next(5));
                var msg = Messages[badge][rnd.Next(Messages[badge].Length)];
                todays.Add((at, new AwardCommand(giver.Id, [recipient.Id], badgeIds[badge], null,
                    giver.Locale == "en-US" ? msg.En : msg.Zh, rnd.Next(10) == 0 ? "team" : rnd.Next(25) == 0 ? "private" : "public",
                    steps[rnd.Next(steps.Length)], Idempotency.NewKey())));
            }
            // Written in time order, as a real plant writes them: feeds list newest first by id.
            foreach (var (at, cmd) in todays.OrderBy(t => t.At))
            {
                if ((await awards.AwardAsync(cmd, at)).Ok) given++;
            }
            todays.Clear();
            for (var k = 0; k < rnd.Next(4, 11); k++)
            {
                var at = day.AddHours(rnd.Next(0, 14)).AddMinutes(rnd.Next(60));
                var who = staff[rnd.Next(staff.Count)];
                var rule = new[] { "hazard_report", "hazard_report", "hazard_report", "near_miss", "suggestion", "knowledge_share", "mentoring" }[rnd.Next(7)];
                var text = rule switch
                {
                    "hazard_report" => ("2 号通道地面有油渍，已放警示牌，需要清理。", "Oil on the floor in aisle 2; warning sign placed, needs cleaning."),
                    "near_miss" => ("吊装时吊带滑动，没有人受伤，建议更换吊带。", "A sling slipped during a lift; nobody hurt, suggest replacing the sling."),
                    "suggestion" => ("建议在工具柜上贴形迹管理标识，找工具更快。", "Suggest shadow boards on the tool cabinet so tools are found faster."),
                    "knowledge_share" => ("班前会分享了新版作业指导书的 5 个变化点。", "Shared the five changes in the new work instruction at the shift meeting."),
                    _ => ("带教新员工完成首周上岗培训和安全考试。", "Mentored a new hire through the first-week training and safety test."),
                };
                var claim = await claims.SubmitAsync(new ClaimCommand(who.Id, ruleIds[rule], who.Locale == "en-US" ? text.Item2 : text.Item1,
                    rnd.Next(2) == 0 ? "2 号车间 / Workshop 2" : null, null, Idempotency.NewKey()), at);
                if (!claim.Ok) continue;
                reported++;
                if (d > 2 && supervisors.TryGetValue(who.TeamId, out var sup) && sup != who.Id)
                {
                    _ = rnd.Next(10) == 0
                        ? await claims.RejectAsync(claim.Id!.Value, sup, null, "重复报告 / duplicate report", at.AddHours(3))
                        : await claims.ApproveAsync(claim.Id!.Value, sup, null, rule == "suggestion" && rnd.Next(4) == 0, at.AddHours(3));
                }
            }
        }
        await SeedRewardsAsync(now);
        await social.SeedAsync(now, rnd);
        log.LogInformation("Demo data: {People} people, {Given} recognitions, {Claims} claims in {Ms} ms",
            staff.Count + 1, given, reported, started.ElapsedMilliseconds);
    }

    /// <summary>The demo plant's reward catalogue and settings, through the same service an admin uses.</summary>
    private async Task SeedRewardsAsync(DateTime now)
    {
        var siteId = await db.ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT id FROM sites WHERE code = 'SZ-01'"));
        var catalogue = new Rewards.RewardCatalogue(db);
        var scope = Recognition.Web.Domain.AdminScope.CommandLine;
        await catalogue.SaveSettingsAsync(new Rewards.SettingsForm(siteId, "0.1", "CNY", 500, null), scope, now);
        foreach (var (zh, en, dzh, den, category, cost, stock, limit) in new (string, string, string, string, string, int, int?, int?)[]
        {
            ("不锈钢保温杯", "Steel thermos mug", "500 ml，印有厂徽。", "500 ml, with the plant's logo.", "physical", 60, 30, 1),
            ("食堂代金券 20 元", "Canteen voucher ¥20", "当月有效。", "Valid this month.", "voucher", 80, null, 4),
            ("电影票两张", "Two cinema tickets", "周末可用。", "For any weekend.", "voucher", 150, 20, null),
            ("优先选班一周", "First pick of shifts for a week", "下周排班时优先选择班次。", "Choose your shifts first in next week's roster.", "experience", 200, null, 1),
            ("门口停车位一周", "Parking spot by the gate for a week", "凭领取码到保安室登记。", "Register at the gatehouse with your pickup code.", "experience", 250, 2, null),
        })
        {
            await catalogue.SaveAsync(new Rewards.RewardForm(null, 0, siteId, category, zh, en, dzh, den, cost, stock is null, stock ?? 0, limit,
                category == "experience" ? "quarter" : "month", true, null, null, true, null), scope, now);
        }
    }

    private static (string? Zh, string? En) Name(Random rnd)
    {
        var s = Surnames[rnd.Next(Surnames.Length)];
        var g = Given[rnd.Next(Given.Length)];
        return (s.Zh + g.Zh, $"{g.En} {s.En}");
    }
}
