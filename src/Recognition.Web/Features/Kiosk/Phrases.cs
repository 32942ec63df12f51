namespace Recognition.Web.Features.Kiosk;

/// <summary>Suggested messages per badge for the kiosk (typing on a touch screen with gloves is slow). Each is specific enough to pass the message rules.</summary>
public static class Phrases
{
    private static readonly Dictionary<string, (string Zh, string En)[]> ByBadge = new()
    {
        ["cross_team_star"] = [("你主动来我们班组帮忙，让我们按时完成了今天的任务。", "You came over to help our team and we finished today's work on time."), ("你把交接信息写得清清楚楚，换班时一点没耽误。", "Your clear handover notes meant no time was lost at shift change.")],
        ["customer_guardian"] = [("你发现了客户订单里的问题并及时纠正，避免了退货。", "You caught a problem in the customer's order and fixed it in time, avoiding a return."), ("你耐心回答客户的问题，客户特意表示感谢。", "You patiently answered the customer's questions and they thanked us for it.")],
        ["safety_star"] = [("你发现了安全隐患并立刻停机报告，保护了大家。", "You spotted a hazard, stopped the machine and reported it, keeping us all safe."), ("你提醒我戴好防护用品，谢谢你的关心。", "You reminded me to wear my protective gear. Thank you for looking out for me.")],
        ["mentor"] = [("你耐心教我操作新设备，我现在可以独立上岗了。", "You patiently taught me the new machine and now I can work the station on my own."), ("你把经验毫无保留地分享给新同事，大家进步很快。", "You shared your experience freely with the new colleagues and they are learning fast.")],
        ["bright_idea"] = [("你的改善点子让我们的工作更省力、更快了。", "Your improvement idea made our work easier and faster."), ("你想出的办法解决了困扰我们很久的问题。", "Your idea solved a problem that had bothered us for a long time.")],
        ["outstanding"] = [("你这个月在关键任务上的付出大家都看在眼里，谢谢你。", "Everyone saw your effort on this month's key task. Thank you.")],
    };

    public static IReadOnlyList<(string Zh, string En)> For(string badgeCode) => ByBadge.TryGetValue(badgeCode, out var p) ? p : [];
}
