using System.Globalization;

namespace Recognition.Web.Features.Channels;

/// <summary>What a personal message says, per kind of notification, in the person's language.</summary>
public sealed partial class MailDispatcher
{
    private async Task<(string Title, string Body, string Link)?> TextAsync(DbConnection c, Note n, string locale)
    {
        var zh = locale == "zh-CN";
        var me = (publicUrl.Value ?? "http://localhost:5000").TrimEnd('/') + "/Me";
        switch (n.Kind)
        {
            case "recognition":
                var r = await c.QuerySingleOrDefaultAsync<(string? GiverZh, string? GiverEn, string Message, long Points, string Source, string? BadgeZh, string? BadgeEn)?>(
                    @"SELECT g.name_zh, g.name_en, r.message, r.points_each, r.source, b.name_zh, b.name_en FROM recognitions r
                      LEFT JOIN employees g ON g.id = r.giver_id LEFT JOIN badges b ON b.id = r.badge_id WHERE r.id = @id AND r.status = 'active'", new { id = n.SubjectId });
                if (r is not { } rec) return null;
                return In(locale, () => (
                    rec.Source == "customer" ? l["Mail.PraiseReceived"].Value : l["Mail.RecognitionReceived", Bilingual.Pick(rec.GiverZh, rec.GiverEn, zh)].Value,
                    string.Join("\n", new[] { rec.BadgeZh is null ? null : Bilingual.Pick(rec.BadgeZh, rec.BadgeEn, zh), $"“{rec.Message}”",
                        rec.Points > 0 ? l["Mail.Points", rec.Points].Value : null }.OfType<string>()),
                    me));
            case "addon":
                var a = await c.QuerySingleOrDefaultAsync<(string? GiverZh, string? GiverEn, long Points, string? Note, long RecognitionId)?>(
                    @"SELECT g.name_zh, g.name_en, a.points_each, a.message, a.recognition_id FROM recognition_addons a
                      JOIN recognitions r ON r.id = a.recognition_id JOIN employees g ON g.id = a.giver_id WHERE a.id = @id AND r.status = 'active'", new { id = n.SubjectId });
                if (a is not { } add) return null;
                var link = (publicUrl.Value ?? "http://localhost:5000").TrimEnd('/') + "/r/" + add.RecognitionId;
                return In(locale, () => (l["Mail.AddOnReceived", Bilingual.Pick(add.GiverZh, add.GiverEn, zh)].Value,
                    string.Join("\n", new[] { l["Mail.Points", add.Points].Value, add.Note is null ? null : $"“{add.Note}”" }.OfType<string>()), link));
            case "budget.low":
                var b = await c.QuerySingleOrDefaultAsync<(int Budget, int Spent)?>(
                    "SELECT budget, spent FROM budget_months WHERE owner_kind = 'person' AND owner_id = @employee AND month = @month", new { employee = n.EmployeeId, month = n.SubjectId });
                if (b is not { } bm) return null;
                return In(locale, () => (l["Mail.BudgetLow", bm.Budget - bm.Spent, bm.Budget].Value, l["Recognize.SpotLeft", bm.Budget - bm.Spent].Value,
                    (publicUrl.Value ?? "http://localhost:5000").TrimEnd('/') + "/Recognize"));
            case "claim.approved" or "claim.rejected":
                var claim = await c.QuerySingleOrDefaultAsync<(string Zh, string En, long Points, string? Reason)?>(
                    "SELECT b.name_zh, b.name_en, c.points_awarded, c.decision_reason FROM claims c JOIN behaviour_rules b ON b.id = c.rule_id WHERE c.id = @id", new { id = n.SubjectId });
                if (claim is not { } cl) return null;
                var rule = Bilingual.Pick(cl.Zh, cl.En, zh);
                return In(locale, () => n.Kind == "claim.approved"
                    ? (l["Mail.ClaimApproved", rule].Value, cl.Points > 0 ? l["Mail.Points", cl.Points].Value : rule, me)
                    : (l["Mail.ClaimRejected", rule].Value, cl.Reason is { Length: > 0 } reason ? l["Mail.Reason", reason].Value : rule, me));
            case "order.ready" or "order.declined":
                var order = await c.QuerySingleOrDefaultAsync<(string Zh, string En, string? Code, string? Reason)?>(
                    "SELECT w.name_zh, w.name_en, o.pickup_code, o.closed_reason FROM reward_orders o JOIN rewards w ON w.id = o.reward_id WHERE o.id = @id", new { id = n.SubjectId });
                if (order is not { } o) return null;
                var reward = Bilingual.Pick(o.Zh, o.En, zh);
                return In(locale, () => n.Kind == "order.ready"
                    ? (l["Mail.OrderReady", reward].Value, l["Mail.PickupCode", o.Code ?? "—"].Value, me)
                    : (l["Mail.OrderDeclined", reward].Value, o.Reason is { Length: > 0 } reason ? l["Mail.Reason", reason].Value : reward, me));
            case "oneonone.due":
                var talk = await c.QuerySingleOrDefaultAsync<(long EmployeeId, string? Step, string? Zh, string? En)?>(
                    "SELECT o.employee_id, o.next_step, e.name_zh, e.name_en FROM one_on_ones o JOIN employees e ON e.id = o.employee_id WHERE o.id = @id", new { id = n.SubjectId });
                if (talk is not { } tk) return null;
                return In(locale, () => (l["Mail.NextStepDue", Bilingual.Pick(tk.Zh, tk.En, zh)].Value, tk.Step ?? "",
                    (publicUrl.Value ?? "http://localhost:5000").TrimEnd('/') + "/Coaching/" + tk.EmployeeId));
        }
        return null;
    }

    private static T In<T>(string locale, Func<T> render)
    {
        var previous = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(locale == "en-US" ? "en-US" : "zh-CN");
        try { return render(); }
        finally { CultureInfo.CurrentUICulture = previous; }
    }
}
