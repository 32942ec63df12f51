namespace Recognition.Web.Features.Admin.Budgets;

/// <summary>One supervisor's spot budget this month, as HR sees it.</summary>
public sealed class SpotRow
{
    public long Id { get; init; }
    public string? NameZh { get; init; }
    public string? NameEn { get; init; }
    public string EmployeeNo { get; init; } = "";
    public int? Own { get; init; }
    public int? Budget { get; init; }
    public int Spent { get; init; }
    public string Name => Bilingual.Pick(NameZh, NameEn);
}

/// <summary>A month of a site's company-funded points: spot budgets (and, where there are any, programs).</summary>
public sealed class BudgetMonth
{
    public int Month { get; init; }
    public string OwnerKind { get; init; } = "";
    public long Budget { get; init; }
    public long Spent { get; init; }
    public long Left => Budget - Spent;
}

/// <summary>
/// Admin › Company-funded points: the site's spot budget for supervisors and celebration points, a supervisor's own
/// budget, and the report HR reads (spent and left by month). Site admins for their site; every change is audited. A
/// person's new amount applies to this month at once, but never below what they have already given.
/// </summary>
public sealed class BudgetAdmin(Db db)
{
    public async Task<Outcome> SaveFundingAsync(long siteId, int spot, int birthday, int anniversary, int firstDay, AdminScope scope, DateTime now)
    {
        if (!scope.Covers(siteId)) return Outcome.Refused("People.SiteNotYours");
        if (spot is < 0 or > 100_000) return Outcome.Refused("Budget.BadSpot", 100_000);
        if (new[] { birthday, anniversary, firstDay }.Any(p => p is < 0 or > 1000)) return Outcome.Refused("Budget.BadCelebration", 1000);
        return await db.RunAsync(async (c, t) =>
        {
            var before = await c.QuerySingleOrDefaultAsync<CompanyFunding>(CompanyFunding.Select, new { siteId }, t);
            var args = new { site_id = siteId, spot_budget = spot, birthday_points = birthday, anniversary_points = anniversary, first_day_points = firstDay, updated_utc = now };
            if (before is null)
            {
                await c.ExecAsync(t, "INSERT INTO company_funding (site_id, spot_budget, birthday_points, anniversary_points, first_day_points, updated_utc) " +
                    "VALUES (@site_id, @spot_budget, @birthday_points, @anniversary_points, @first_day_points, @updated_utc)", args);
            }
            else
            {
                await c.ExecAsync(t, "UPDATE company_funding SET spot_budget = @spot_budget, birthday_points = @birthday_points, anniversary_points = @anniversary_points, " +
                    "first_day_points = @first_day_points, updated_utc = @updated_utc WHERE site_id = @site_id", args);
            }
            await Audit.WriteAsync(c, t, new AuditEntry(scope.Actor, "funding.update", $"funding:site:{siteId}", siteId, before, new { spot, birthday, anniversary, firstDay }), now);
            return siteId;
        });
    }

    /// <summary>A supervisor's own monthly spot budget; null goes back to the site's.</summary>
    public async Task<Outcome> SetPersonAsync(long employeeId, int? monthly, AdminScope scope, DateTime now)
    {
        if (monthly is < 0 or > 100_000) return Outcome.Refused("Budget.BadSpot", 100_000);
        return await db.RunAsync(async (c, t) =>
        {
            var p = await PersonContext.LoadAsync(c, t, employeeId);
            if (p is null || !scope.Covers(p.SiteId)) throw new RuleViolation("People.NotFound");
            if (!p.RoleFlags.HasFlag(Roles.Supervisor)) throw new RuleViolation("Budget.NotSupervisor");
            var before = await c.QuerySingleOrDefaultAsync<int?>("SELECT monthly FROM spot_budget_people WHERE employee_id = @employeeId", new { employeeId }, t);
            await c.ExecAsync(t, "DELETE FROM spot_budget_people WHERE employee_id = @employeeId", new { employeeId });
            if (monthly is { } m) await c.ExecAsync(t, "INSERT INTO spot_budget_people (employee_id, monthly) VALUES (@employeeId, @m)", new { employeeId, m });
            var budget = await Domain.Budgets.SpotBudgetForAsync(c, t, employeeId, p.SiteId);
            await c.ExecAsync(t, @"UPDATE budget_months SET budget = CASE WHEN spent > @budget THEN spent ELSE @budget END
                                   WHERE owner_kind = 'person' AND owner_id = @employeeId AND month = @month",
                new { budget, employeeId, month = SiteTime.Month(now, p.TimeZone) });
            await Audit.WriteAsync(c, t, new AuditEntry(scope.Actor, "funding.person", $"employee:{employeeId}", p.SiteId, new { monthly = before }, new { monthly }), now);
            return employeeId;
        });
    }

    public async Task<(CompanyFunding Funding, IReadOnlyList<SpotRow> People, IReadOnlyList<BudgetMonth> Months)> ReportAsync(long siteId, int month) =>
        await db.ReadAsync(async c =>
        {
            var funding = await CompanyFunding.ForSiteAsync(c, null, siteId);
            var people = (await c.QueryAsync<SpotRow>(
                @"SELECT e.id AS Id, e.name_zh AS NameZh, e.name_en AS NameEn, e.employee_no AS EmployeeNo, o.monthly AS Own, b.budget AS Budget, COALESCE(b.spent, 0) AS Spent
                  FROM employees e LEFT JOIN spot_budget_people o ON o.employee_id = e.id
                  LEFT JOIN budget_months b ON b.owner_kind = 'person' AND b.owner_id = e.id AND b.month = @month
                  WHERE e.site_id = @siteId AND e.active = 1 AND (e.roles & @sup) <> 0 ORDER BY e.employee_no",
                new { siteId, month, sup = (int)Roles.Supervisor })).ToList();
            var months = (await c.QueryAsync<BudgetMonth>(
                @"SELECT month AS Month, owner_kind AS OwnerKind, CAST(SUM(budget) AS BIGINT) AS Budget, CAST(SUM(spent) AS BIGINT) AS Spent FROM budget_months
                  WHERE site_id = @siteId GROUP BY month, owner_kind ORDER BY month DESC, owner_kind", new { siteId })).Take(24).ToList();
            return (funding, (IReadOnlyList<SpotRow>)people, (IReadOnlyList<BudgetMonth>)months);
        });
}
