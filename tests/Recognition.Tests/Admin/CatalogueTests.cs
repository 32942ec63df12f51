using System.Net;
using Dapper;
using Recognition.Tests.Kiosk;
using Recognition.Tests.Support;
using Recognition.Web.Features.Claims;
using Recognition.Web.Features.Recognize;
using Recognition.Web.Infrastructure.Data;

namespace Recognition.Tests.Admin;

public sealed class CatalogueTests : IAsyncLifetime
{
    private readonly AppFactory _app = new();
    private World _w = null!;
    private Session _org = null!;

    public async Task InitializeAsync()
    {
        _w = await World.CreateAsync(_app);
        await _w.AddSecondSiteAsync(_app);
        _org = await Session.SignInAsync(_app, "OA1");
    }

    // The token comes from a page without hidden ids (the catalogue page holds one form per row).
    private Task<HttpResponseMessage> Post(Session s, string handler, Dictionary<string, string> form) =>
        s.PostFormAsync($"/Admin/Catalogue?handler={handler}", form, formPage: "/Admin/People");

    private static Dictionary<string, string> Value(string code = "frugal") => new()
    {
        ["code"] = code, ["nameZh"] = "节约", ["nameEn"] = "Frugality", ["behavioursZh"] = "关灯关水；合理用料", ["behavioursEn"] = "Switches off; uses material wisely",
        ["color"] = "#336699", ["sortOrder"] = "6", ["active"] = "true",
    };

    private Dictionary<string, string> Badge(long valueId) => new()
    {
        ["code"] = "saver", ["kind"] = "peer", ["valueId"] = $"{valueId}", ["icon"] = "zap", ["color"] = "#336699", ["nameZh"] = "节约能手", ["nameEn"] = "Saver",
        ["descriptionZh"] = "帮大家省下了材料和能源", ["descriptionEn"] = "Saved material and energy for everyone",
        ["phrasesZh"] = "你发现压缩空气泄漏并及时报修，一天省下不少电。\n你把边角料分类回收，这个月少买了很多材料。", ["phrasesEn"] = "You found the compressed-air leak and had it fixed, saving a lot of power.\nYou sorted the offcuts for reuse and we bought far less material this month.",
        ["active"] = "true",
    };

    [Fact]
    public async Task HR_adds_a_value_and_a_badge_whose_phrases_the_kiosk_offers_and_which_people_can_give()
    {
        Assert.Equal(HttpStatusCode.Redirect, (await Post(_org, "Value", Value())).StatusCode);
        var valueId = await DbProbe.ScalarAsync<long>(_app.Db, "SELECT id FROM core_values WHERE code = 'frugal'");
        Assert.Equal(HttpStatusCode.Redirect, (await Post(_org, "Badge", Badge(valueId))).StatusCode);
        var badge = await DbProbe.ScalarAsync<long>(_app.Db, "SELECT id FROM badges WHERE code = 'saver'");
        Assert.Equal(2, await DbProbe.ScalarAsync<int>(_app.Db, "SELECT COUNT(*) FROM audit_log WHERE action IN ('value.create', 'badge.create')"));

        var phrases = await _app.Get<RecognizeQueries>().PhrasesAsync(badge);
        Assert.Equal(2, phrases.Count);
        Assert.StartsWith("You found the compressed-air leak", phrases[0].En);
        var award = await _app.Get<AwardService>().AwardAsync(new AwardCommand(_w.Giver, [_w.Bob], badge, null, phrases[0].Zh, "public", 5, Idempotency.NewKey()), _app.Clock.UtcNow);
        Assert.True(award.Ok, award.Error);
    }

    [Fact]
    public async Task Only_organisation_admins_change_the_shared_catalogue()
    {
        var a1 = await Session.SignInAsync(_app, "A1");
        var before = await DbProbe.FingerprintAsync(_app.Db);
        var res = await Post(a1, "Value", Value());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, res.StatusCode);
        Assert.Equal("目录由集团管理员维护；你可以查看。", (await Session.Doc(res)).QuerySelector("#catalogue-error")!.TextContent);
        Assert.Equal(before, await DbProbe.FingerprintAsync(_app.Db));
        Assert.Null((await a1.GetDocAsync("/Admin/Catalogue")).QuerySelector("#values button"));
    }

    [Fact]
    public async Task Bad_catalogue_input_gets_a_localized_reason_and_writes_nothing()
    {
        var retired = _w.Values["safety"];
        await _app.Db.WriteAsync((c, t) => c.ExecuteAsync("UPDATE core_values SET active = 0 WHERE id = @retired", new { retired }, t));
        var hazard = await DbProbe.ScalarAsync<long>(_app.Db, "SELECT id FROM behaviour_rules WHERE system_key = 'hazard_report'");
        var rule = new Dictionary<string, string> { ["code"] = "tidy", ["category"] = "safety", ["nameZh"] = "5S 整理", ["nameEn"] = "5S tidy-up", ["points"] = "5", ["claimable"] = "true", ["active"] = "true" };
        var list = new List<(string, Dictionary<string, string>, string)>
        {
            ("Value", new(Value()) { ["nameZh"] = "安全" }, "已有同样代码或名称的条目。"),
            ("Value", new(Value()) { ["color"] = "red;background:url(x)" }, "颜色格式应为 #RRGGBB。"),
            ("Badge", new(Badge(retired)), "勋章不能指向已停用的价值观。"),
            ("Badge", new(Badge(_w.Values["learning"])) { ["icon"] = "<img src=x>" }, "请从提供的图标中选择。"),
            ("Badge", new(Badge(_w.Values["learning"])) { ["phrasesZh"] = "太短" }, "推荐语每行 10 到 300 个字符，最多 6 行。"),
            ("Rule", new(rule) { ["points"] = "-5" }, "积分必须在 0 到 1000 之间。"),
            ("Rule", new(rule) { ["capPerDay"] = "5", ["capPerWeek"] = "2" }, "上限互相矛盾：每日 ≤ 每周 ≤ 每月。"),
            ("Rule", new(rule) { ["nameZh"] = "\u202E\u200B" , ["nameEn"] = "" }, "请填写名称。"),
            ("Rule", new(rule) { ["id"] = $"{hazard}", ["code"] = "hazard_report", ["nameZh"] = "隐患报告", ["active"] = "false" }, "系统规则不能停用。"),
        };
        foreach (var (handler, form, error) in list)
        {
            var before = await DbProbe.FingerprintAsync(_app.Db);
            var res = await Post(_org, handler, form);
            Assert.Equal(HttpStatusCode.UnprocessableEntity, res.StatusCode);
            Assert.Equal(error, (await Session.Doc(res)).QuerySelector("#catalogue-error")!.TextContent);
            Assert.Equal(before, await DbProbe.FingerprintAsync(_app.Db));
        }
    }

    [Fact]
    public async Task Every_category_the_rule_form_offers_can_be_saved_and_any_other_is_refused_with_a_reason()
    {
        var page = await _org.GetDocAsync("/Admin/Catalogue");
        var offered = page.QuerySelectorAll("select[name=category]").First().QuerySelectorAll("option").Select(o => o.GetAttribute("value")!).ToList();
        Assert.NotEmpty(offered);
        foreach (var category in offered)
        {
            var res = await Post(_org, "Rule", new() { ["code"] = $"r_{category}", ["category"] = category, ["nameZh"] = $"规则{category}", ["nameEn"] = $"Rule {category}", ["points"] = "5", ["active"] = "true" });
            Assert.True(res.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.OK, $"{category}: {res.StatusCode}");
        }
        Assert.Equal(offered.Count, await DbProbe.ScalarAsync<int>(_app.Db, "SELECT COUNT(*) FROM behaviour_rules WHERE code LIKE 'r_%'"));
        foreach (var unknown in new[] { "quality", "other", "" })
        {
            var before = await DbProbe.FingerprintAsync(_app.Db);
            var res = await Post(_org, "Rule", new() { ["code"] = "r_x", ["category"] = unknown, ["nameZh"] = "规则", ["nameEn"] = "Rule", ["points"] = "5", ["active"] = "true" });
            Assert.Equal(HttpStatusCode.UnprocessableEntity, res.StatusCode);
            Assert.Equal("请选择类别。", (await Session.Doc(res)).QuerySelector("#catalogue-error")!.TextContent);
            Assert.Equal(before, await DbProbe.FingerprintAsync(_app.Db));
        }
    }

    [Fact]
    public async Task System_rules_are_found_by_their_key_whatever_HR_calls_them()
    {
        // HR renames every system rule's code and name; customer praise, adopted suggestions and kiosk reports still work.
        var system = await DbProbe.QueryAsync<(long Id, string Zh, string En)>(_app.Db, "SELECT id, name_zh, name_en FROM behaviour_rules WHERE system_key IS NOT NULL");
        await _app.Db.WriteAsync((c, t) => c.ExecuteAsync("UPDATE behaviour_rules SET code = @code, name_zh = @zh, name_en = @en WHERE id = @id",
            system.Select(r => new { code = $"hr_{r.Id}", zh = $"新名{r.Zh}", en = $"Renamed {r.En}", id = r.Id }), t));
        var praise = await _app.Get<ClaimService>().RecordPraiseAsync(_w.SupA, null, _w.Giver, "客户来电表扬王伟在周末加班赶出了急单。", Idempotency.NewKey(), _app.Clock.UtcNow);
        Assert.True(praise.Ok, praise.Error);
        var suggestion = await DbProbe.ScalarAsync<long>(_app.Db, "SELECT id FROM behaviour_rules WHERE system_key = 'suggestion'");
        var idea = await _app.Get<ClaimService>().SubmitAsync(new ClaimCommand(_w.Giver, suggestion, "把工具架移到工位右侧，少走三步。", null, null, Idempotency.NewKey()), _app.Clock.UtcNow);
        Assert.True((await _app.Get<ClaimService>().ApproveAsync(idea.Id!.Value, _w.SupA, null, true, _app.Clock.UtcNow)).Ok);
        Assert.Equal(50, await DbProbe.ScalarAsync<int>(_app.Db, "SELECT points_awarded FROM claims WHERE id = @id", new { id = idea.Id }));

        // The kiosk offers the reports under HR's names, and only those offered at the kiosk.
        await _app.Db.WriteAsync((c, t) => c.ExecuteAsync("UPDATE behaviour_rules SET kiosk = 0 WHERE system_key = 'near_miss'", transaction: t));
        var kiosk = Session.Anonymous(_app, "en-US");
        await kiosk.PostFormAsync("/pair", new() { ["Code"] = await KioskTests.PairCodeAsync(_app, _w, locale: "en-US") });
        await kiosk.PostFormAsync("/kiosk?handler=Scan", new() { ["code"] = "B-E1" }, formPage: "/kiosk");
        var report = await kiosk.GetDocAsync("/kiosk/report");
        var offered = report.QuerySelectorAll("input[name=Rule]").Select(i => i.GetAttribute("value")).ToList();
        Assert.Equal(["hazard_report"], offered);
        Assert.Contains("新名隐患报告", report.QuerySelector("#kiosk-report")!.TextContent); // E1 reads Chinese
        var area = await DbProbe.ScalarAsync<long>(_app.Db, "SELECT MIN(id) FROM site_areas WHERE site_id = @s", new { s = _w.SiteId });
        var refused = await kiosk.PostFormAsync("/kiosk/report", new() { ["Rule"] = "near_miss", ["What"] = "Oil on the floor", ["AreaId"] = $"{area}" }, formPage: "/kiosk/report");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        var ok = await kiosk.PostFormAsync("/kiosk/report", new() { ["Rule"] = "hazard_report", ["What"] = "Oil on the floor", ["AreaId"] = $"{area}" }, formPage: "/kiosk/report");
        Assert.NotEqual(HttpStatusCode.UnprocessableEntity, ok.StatusCode);
        Assert.Equal(1, await DbProbe.ScalarAsync<int>(_app.Db, "SELECT COUNT(*) FROM claims c JOIN behaviour_rules r ON r.id = c.rule_id WHERE r.system_key = 'hazard_report'"));
    }

    public Task DisposeAsync()
    {
        _app.Dispose();
        return Task.CompletedTask;
    }
}

public sealed class RulePreviewTests : IAsyncLifetime
{
    private readonly AppFactory _app = new();
    private World _w = null!;

    public async Task InitializeAsync() => _w = await World.CreateAsync(_app);

    [Fact]
    public async Task Previewing_a_rule_change_shows_what_it_would_have_paid_next_to_what_was_paid_and_saves_nothing()
    {
        var claims = _app.Get<ClaimService>();
        foreach (var who in new[] { _w.Giver, _w.Giver, _w.Giver, _w.Alice })
        {
            var c = await claims.SubmitAsync(new ClaimCommand(who, _w.Rules["hazard_report"], "2 号通道地面有油渍，已放警示牌。", null, null, Idempotency.NewKey()), _app.Clock.UtcNow);
            Assert.True((await claims.ApproveAsync(c.Id!.Value, _w.SupA, null, false, _app.Clock.UtcNow)).Ok);
        }
        // The catalogue is the organisation's: make A1 an organisation admin.
        await _app.Db.WriteAsync((c, t) => c.ExecuteAsync("UPDATE employees SET roles = roles | 8 WHERE employee_no = 'A1'", transaction: t));
        var org = await Session.SignInAsync(_app, "A1");
        var before = await DbProbe.FingerprintAsync(_app.Db);
        var res = await org.PostFormAsync("/Admin/Catalogue?handler=PreviewRule", new()
        {
            ["id"] = $"{_w.Rules["hazard_report"]}", ["points"] = "20", ["capPerDay"] = "1", ["capPerMonth"] = "20",
        }, formPage: "/Admin/People");
        var doc = await Session.Doc(res);
        Assert.Contains("4", doc.QuerySelector("#rule-preview p")!.TextContent);
        var current = doc.QuerySelector("#preview-current")!.TextContent;
        var proposed = doc.QuerySelector("#preview-proposed")!.TextContent;
        Assert.Contains("40", current);   // 4 × 10 paid
        Assert.Contains("王伟 30", current);
        Assert.Contains("40", proposed);  // one a day each, 20 points: 2 × 20
        Assert.Contains("王伟 20", proposed);
        Assert.Equal(before, await DbProbe.FingerprintAsync(_app.Db));
    }

    public Task DisposeAsync()
    {
        _app.Dispose();
        return Task.CompletedTask;
    }
}
