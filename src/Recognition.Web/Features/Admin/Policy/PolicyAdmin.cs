namespace Recognition.Web.Features.Admin.Policy;

public sealed record PolicyForm(int MonthlyAllowance, int PerReport, int SharePct, int DailyCap, int MaxRecipients, string? PointSteps, int MessageMin, int MessageMax);

/// <summary>What saving did to this month's allowances when the admin applied it now.</summary>
public sealed record PolicyApplied(int People, int PointsDifference);

/// <summary>
/// The allowance and message policy: the organisation default (organisation admins) and a site's own (its admins).
/// Safe for points: a new allowance applies to months whose allowance is created from now on (so from next month for
/// anyone who already gave this month) unless the admin applies it now; then each person's budget for the current
/// month is recomputed but never set below what they have already given. Caps, steps and message lengths apply to
/// the next recognition. Every change is audited.
/// </summary>
public sealed class PolicyAdmin(Db db, PolicyStore store)
{
    public static string? Validate(PolicyForm f)
    {
        if (f.MonthlyAllowance is < 0 or > 100_000 || f.PerReport is < 0 or > 10_000) return "Policy.BadAllowance";
        if (f.SharePct is < 1 or > 100) return "Policy.BadShare";
        if (f.DailyCap is < 1 or > 1000 || f.MaxRecipients is < 1 or > 50) return "Policy.BadCap";
        var steps = PolicyStore.ParseSteps(f.PointSteps ?? "");
        if (steps.Length is 0 or > 10 || steps.Any(s => s is < 0 or > 1000)) return "Policy.BadSteps";
        if (f.MessageMin is < 1 or > 500 || f.MessageMax < f.MessageMin || f.MessageMax > 2000) return "Policy.BadMessage";
        return null;
    }

    public async Task<Outcome<PolicyApplied>> SaveAsync(long? siteId, PolicyForm f, bool applyNow, AdminScope scope, DateTime now)
    {
        if (siteId is null ? !scope.Org : !scope.Covers(siteId.Value)) return Outcome<PolicyApplied>.Refused("People.SiteNotYours");
        if (Validate(f) is { } bad) return Outcome<PolicyApplied>.Refused(bad);
        var rules = new RulesOptions
        {
            MonthlyAllowance = f.MonthlyAllowance, SupervisorAllowancePerReport = f.PerReport, MaxSharePercentToOnePerson = f.SharePct,
            DailyRecognitionCap = f.DailyCap, MaxRecipients = f.MaxRecipients, PointSteps = PolicyStore.ParseSteps(f.PointSteps!), MessageMinLength = f.MessageMin,
            MessageMaxLength = f.MessageMax,
        };
        PolicyApplied? applied = null;
        await db.WriteAsync(async (c, t) =>
        {
            var before = await c.QuerySingleOrDefaultAsync<PolicyStore.PolicyRow>(
                $"SELECT {PolicyStore.Columns} FROM policies WHERE (@siteId IS NULL AND site_id IS NULL) OR site_id = @siteId", new { siteId }, t);
            await PolicyStore.WriteAsync(c, t, siteId, rules, now);
            if (applyNow) applied = await ApplyToThisMonthAsync(c, t, siteId, rules, now);
            await Audit.WriteAsync(c, t, new AuditEntry(scope.Actor, "policy.update", siteId is null ? "policy:organisation" : $"policy:site:{siteId}", siteId,
                before, new { f, applyNow, applied }), now);
        });
        store.Invalidate();
        return Outcome<PolicyApplied>.Done(applied);
    }

    /// <summary>A site's own policy goes; the organisation default applies to it again (from the next recognition).</summary>
    public async Task<Outcome> UseDefaultAsync(long siteId, AdminScope scope, DateTime now)
    {
        if (!scope.Covers(siteId)) return Outcome.Refused("People.SiteNotYours");
        await db.WriteAsync(async (c, t) =>
        {
            var n = await c.ExecuteAsync("DELETE FROM policies WHERE site_id = @siteId", new { siteId }, t);
            if (n > 0) await Audit.WriteAsync(c, t, new AuditEntry(scope.Actor, "policy.use_default", $"policy:site:{siteId}", siteId), now);
        });
        store.Invalidate();
        return Outcome.Created(siteId);
    }

    /// <summary>Recomputes this month's existing allowances under the new policy; a budget never drops below what was given.</summary>
    private static async Task<PolicyApplied> ApplyToThisMonthAsync(System.Data.Common.DbConnection c, System.Data.Common.DbTransaction t, long? siteId, RulesOptions rules, DateTime now)
    {
        // The organisation default governs the sites without a policy of their own.
        var sites = (await c.QueryAsync<(long Id, string Zone)>(
            @"SELECT id, time_zone FROM sites WHERE (@siteId IS NOT NULL AND id = @siteId)
                 OR (@siteId IS NULL AND id NOT IN (SELECT site_id FROM policies WHERE site_id IS NOT NULL))", new { siteId }, t)).ToList();
        int people = 0, difference = 0;
        foreach (var site in sites)
        {
            var month = SiteTime.Month(now, site.Zone);
            var rows = (await c.QueryAsync<(long Employee, int Roles, int Budget, int Spent)>(
                "SELECT a.employee_id, e.roles, a.budget, a.spent FROM allowances a JOIN employees e ON e.id = a.employee_id WHERE e.site_id = @Id AND a.month = @month",
                new { site.Id, month }, t)).ToList();
            foreach (var r in rows)
            {
                var budget = Math.Max(r.Spent, await Allowance.BudgetForAsync(c, t, r.Employee, (Roles)r.Roles, rules));
                if (budget == r.Budget) continue;
                await c.ExecuteAsync("UPDATE allowances SET budget = @budget WHERE employee_id = @Employee AND month = @month", new { budget, r.Employee, month }, t);
                people++;
                difference += budget - r.Budget;
            }
        }
        return new PolicyApplied(people, difference);
    }
}
