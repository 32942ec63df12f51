namespace Recognition.Web.Features.Demo;

/// <summary>
/// The five values, their badges, the behaviour rules and the achievement thresholds: the demo plant's, and the
/// starter catalogue that first-run setup gives a new plant.
/// Badge icons name an icon of the shipped set (wwwroot/icons/badges.svg): no emoji font is needed on kiosks and walls,
/// and no Chinese character stands for a badge in the English UI. Inserted with parameters (not literals) so Chinese text is stored as Unicode on SQL Server too.
/// </summary>
public static class Catalog
{
    private static readonly object[] Values =
    [
        new { code = "safety", zh = "安全", en = "Safety", bzh = "主动报告隐患和未遂事件；停止不安全作业；提醒同事佩戴防护用品", ben = "Reports hazards and near misses; stops unsafe work; reminds colleagues to wear PPE", color = "#c0392b" },
        new { code = "customer", zh = "客户", en = "Customer", bzh = "站在客户角度发现问题；按时兑现承诺；把客户的表扬和抱怨都带回来", ben = "Sees problems from the customer's side; keeps promises; brings back praise and complaints alike", color = "#2471a3" },
        new { code = "teamwork", zh = "协作", en = "Teamwork", bzh = "跨部门主动补位；分享信息不设墙；交接清楚", ben = "Steps in across departments; shares information freely; hands over cleanly", color = "#7d3c98" },
        new { code = "innovation", zh = "创新", en = "Innovation", bzh = "提出改善建议并动手试；用数据说明效果", ben = "Proposes improvements and tries them; shows the effect with data", color = "#d68910" },
        new { code = "learning", zh = "学习", en = "Learning", bzh = "带教新人；分享经验和教训；学习新技能", ben = "Mentors new hires; shares lessons learned; learns new skills", color = "#229954" },
    ];

    private static readonly object[] Badges =
    [
        new { code = "cross_team_star", value = "teamwork", kind = "peer", zh = "跨部门协同之星", en = "Cross-team Star", dzh = "跨部门主动协作、补位", den = "Went beyond their own team to get it done", icon = "users", color = "#7d3c98" },
        new { code = "customer_guardian", value = "customer", kind = "peer", zh = "客户守护者", en = "Customer Guardian", dzh = "守住了客户的利益和体验", den = "Protected a customer's interests or experience", icon = "handshake", color = "#2471a3" },
        new { code = "safety_star", value = "safety", kind = "peer", zh = "安全之星", en = "Safety Star", dzh = "让现场更安全的具体行动", den = "A specific action that made the floor safer", icon = "shield-check", color = "#c0392b" },
        new { code = "mentor", value = "learning", kind = "peer", zh = "新人导师", en = "Mentor", dzh = "耐心带教、帮助新人上手", den = "Patiently helped a new colleague get going", icon = "graduation-cap", color = "#229954" },
        new { code = "bright_idea", value = "innovation", kind = "peer", zh = "金点子", en = "Bright Idea", dzh = "提出并推动了一个好点子", den = "Came up with and pushed a good idea", icon = "lightbulb", color = "#d68910" },
        new { code = "outstanding", value = (string?)null, kind = "supervisor", zh = "卓越贡献", en = "Outstanding Contribution", dzh = "主管颁发，公司出资积分", den = "Given by a supervisor, points funded by the company", icon = "trophy", color = "#b7950b" },
        new { code = "safety_sentinel", value = "safety", kind = "achievement", zh = "安全哨兵", en = "Safety Sentinel", dzh = "90 天内 5 次隐患报告获批", den = "5 approved hazard reports in 90 days", icon = "shield-alert", color = "#922b21" },
        new { code = "mentor_master", value = "learning", kind = "achievement", zh = "金牌导师", en = "Master Mentor", dzh = "一年内带教 3 名新人", den = "Mentored 3 new hires within a year", icon = "medal", color = "#1e8449" },
    ];

    private static readonly object[] Rules =
    [
        new { code = "hazard_report", system = (string?)"hazard_report", category = "safety", zh = "隐患报告", en = "Hazard report", points = 10, approval = 1, claimable = 1, day = (int?)3, week = (int?)null, month = (int?)20 },
        new { code = "near_miss", system = (string?)"near_miss", category = "safety", zh = "未遂事件报告", en = "Near-miss report", points = 15, approval = 1, claimable = 1, day = (int?)2, week = (int?)null, month = (int?)10 },
        new { code = "mentoring", system = (string?)null, category = "mentoring", zh = "带教新人", en = "Mentoring a new hire", points = 30, approval = 1, claimable = 1, day = (int?)null, week = (int?)1, month = (int?)2 },
        new { code = "customer_praise", system = (string?)"customer_praise", category = "customer", zh = "客户表扬", en = "Customer praise", points = 20, approval = 0, claimable = 0, day = (int?)null, week = (int?)null, month = (int?)10 },
        new { code = "knowledge_share", system = (string?)null, category = "knowledge", zh = "知识分享", en = "Knowledge share", points = 15, approval = 1, claimable = 1, day = (int?)1, week = (int?)2, month = (int?)null },
        new { code = "suggestion", system = (string?)"suggestion", category = "improvement", zh = "改善建议", en = "Improvement suggestion", points = 5, approval = 1, claimable = 1, day = (int?)3, week = (int?)null, month = (int?)null },
        new { code = "suggestion_adopted", system = (string?)"suggestion_adopted", category = "improvement", zh = "建议被采纳", en = "Suggestion adopted", points = 50, approval = 1, claimable = 0, day = (int?)null, week = (int?)null, month = (int?)null },
    ];

    /// <summary>Suggested kiosk messages per badge (typing with gloves is slow); each passes the message rules.</summary>
    private static readonly Dictionary<string, (string Zh, string En)[]> Phrases = new()
    {
        ["cross_team_star"] = [("你主动来我们班组帮忙，让我们按时完成了今天的任务。", "You came over to help our team and we finished today's work on time."), ("你把交接信息写得清清楚楚，换班时一点没耽误。", "Your clear handover notes meant no time was lost at shift change.")],
        ["customer_guardian"] = [("你发现了客户订单里的问题并及时纠正，避免了退货。", "You caught a problem in the customer's order and fixed it in time, avoiding a return."), ("你耐心回答客户的问题，客户特意表示感谢。", "You patiently answered the customer's questions and they thanked us for it.")],
        ["safety_star"] = [("你发现了安全隐患并立刻停机报告，保护了大家。", "You spotted a hazard, stopped the machine and reported it, keeping us all safe."), ("你提醒我戴好防护用品，谢谢你的关心。", "You reminded me to wear my protective gear. Thank you for looking out for me.")],
        ["mentor"] = [("你耐心教我操作新设备，我现在可以独立上岗了。", "You patiently taught me the new machine and now I can work the station on my own."), ("你把经验毫无保留地分享给新同事，大家进步很快。", "You shared your experience freely with the new colleagues and they are learning fast.")],
        ["bright_idea"] = [("你的改善点子让我们的工作更省力、更快了。", "Your improvement idea made our work easier and faster."), ("你想出的办法解决了困扰我们很久的问题。", "Your idea solved a problem that had bothered us for a long time.")],
        ["outstanding"] = [("你这个月在关键任务上的付出大家都看在眼里，谢谢你。", "Everyone saw your effort on this month's key task. Thank you.")],
    };

    /// <summary>The areas a kiosk offers for "where" in a hazard report.</summary>
    public static Task SeedAreasAsync(DbConnection conn, DbTransaction tx, long siteId) =>
        conn.ExecuteAsync("INSERT INTO site_areas (site_id, name_zh, name_en) VALUES (@siteId, @zh, @en)", new object[]
        {
            new { siteId, zh = "冲压车间", en = "Stamping workshop" },
            new { siteId, zh = "装配车间", en = "Assembly workshop" },
            new { siteId, zh = "仓库", en = "Warehouse" },
            new { siteId, zh = "装卸区", en = "Loading dock" },
            new { siteId, zh = "食堂", en = "Canteen" },
            new { siteId, zh = "办公楼", en = "Office building" },
        }, tx);

    public static async Task SeedAsync(DbConnection conn, DbTransaction tx)
    {
        await conn.ExecuteAsync(
            "INSERT INTO core_values (code, name_zh, name_en, behaviours_zh, behaviours_en, color) VALUES (@code, @zh, @en, @bzh, @ben, @color)", Values, tx);
        await conn.ExecuteAsync(
            @"INSERT INTO badges (code, value_id, kind, name_zh, name_en, description_zh, description_en, icon, color)
              VALUES (@code, (SELECT id FROM core_values WHERE code = @value), @kind, @zh, @en, @dzh, @den, @icon, @color)", Badges, tx);
        await conn.ExecuteAsync(
            @"INSERT INTO behaviour_rules (code, system_key, category, name_zh, name_en, points, requires_approval, claimable, cap_per_day, cap_per_week, cap_per_month)
              VALUES (@code, @system, @category, @zh, @en, @points, @approval, @claimable, @day, @week, @month)", Rules, tx);
        await conn.ExecuteAsync("UPDATE behaviour_rules SET kiosk = 1 WHERE system_key IN ('hazard_report', 'near_miss')", transaction: tx);
        await conn.ExecuteAsync("UPDATE core_values SET sort_order = id", transaction: tx);
        await conn.ExecuteAsync("UPDATE badges SET phrases_zh = @zh, phrases_en = @en WHERE code = @code",
            Phrases.Select(kv => new { code = kv.Key, zh = string.Join('\n', kv.Value.Select(p => p.Zh)), en = string.Join('\n', kv.Value.Select(p => p.En)) }), tx);
        await conn.ExecuteAsync(
            @"INSERT INTO achievement_rules (badge_id, rule_id, threshold, window_days, bonus_points)
              VALUES ((SELECT id FROM badges WHERE code = @badge), (SELECT id FROM behaviour_rules WHERE code = @rule), @threshold, @days, @bonus)",
            new object[]
            {
                new { badge = "safety_sentinel", rule = "hazard_report", threshold = 5, days = 90, bonus = 20 },
                new { badge = "mentor_master", rule = "mentoring", threshold = 3, days = 365, bonus = 30 },
            }, tx);
    }
}
