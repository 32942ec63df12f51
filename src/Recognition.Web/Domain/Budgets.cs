namespace Recognition.Web.Domain;

/// <summary>A site's company-funded points: the supervisors' spot budget and what each celebration brings.</summary>
public sealed class CompanyFunding
{
    public const int DefaultSpotBudget = 200;
    public long SiteId { get; init; }
    public int SpotBudget { get; init; } = DefaultSpotBudget;
    public int BirthdayPoints { get; init; }
    public int AnniversaryPoints { get; init; }
    public int FirstDayPoints { get; init; }

    public const string Select =
        "SELECT site_id AS SiteId, spot_budget AS SpotBudget, birthday_points AS BirthdayPoints, anniversary_points AS AnniversaryPoints, " +
        "first_day_points AS FirstDayPoints FROM company_funding WHERE site_id = @siteId";

    /// <summary>The site's row, or the product's defaults (a spot budget of <see cref="DefaultSpotBudget"/>, celebrations without points).</summary>
    public static async Task<CompanyFunding> ForSiteAsync(DbConnection c, DbTransaction? t, long siteId) =>
        await c.QuerySingleOrDefaultAsync<CompanyFunding>(Select, new { siteId }, t) ?? new CompanyFunding { SiteId = siteId };
}

/// <summary>
/// Budgets that company-funded points come from: a supervisor's monthly spot-award budget (the site's amount, or the
/// person's own set by HR) and, later, an award program's. Like the allowance: a month's row is created on first use with
/// that month's amount, and spending is one conditional UPDATE whose row count decides, so parallel awards can never
/// overspend. When what is left first drops under a fifth, the owner gets one note for the month.
/// </summary>
public static class Budgets
{
    public const int LowPercent = 20;

    public static async Task<int> SpotBudgetForAsync(DbConnection c, DbTransaction? t, long employeeId, long siteId) =>
        await c.QuerySingleOrDefaultAsync<int?>("SELECT monthly FROM spot_budget_people WHERE employee_id = @employeeId", new { employeeId }, t)
        ?? (await CompanyFunding.ForSiteAsync(c, t, siteId)).SpotBudget;

    /// <summary>What is left of a supervisor's spot budget this month, without creating the month's row.</summary>
    public static async Task<int> SpotLeftAsync(DbConnection c, long employeeId, long siteId, int month) =>
        await c.QuerySingleOrDefaultAsync<int?>("SELECT budget - spent FROM budget_months WHERE owner_kind = 'person' AND owner_id = @employeeId AND month = @month",
            new { employeeId, month }) ?? await SpotBudgetForAsync(c, null, employeeId, siteId);

    /// <summary>Takes <paramref name="total"/> from the owner's month or throws <c>Error.OverBudget</c> (nothing written).</summary>
    public static async Task SpendAsync(DbConnection c, DbTransaction t, ISqlDialect d, string ownerKind, long ownerId, long siteId, int month, int budget,
        int total, long notifyId, DateTime now, string noteKind = "budget.low", long? noteSubject = null)
    {
        await c.ExecAsync(t, d.InsertIfMissing("budget_months", ["owner_kind", "owner_id", "month"], ["owner_kind", "owner_id", "month", "site_id", "budget", "spent"]),
            new { owner_kind = ownerKind, owner_id = ownerId, month, site_id = siteId, budget, spent = 0 });
        var ok = await c.ExecAsync(t,
            "UPDATE budget_months SET spent = spent + @total WHERE owner_kind = @ownerKind AND owner_id = @ownerId AND month = @month AND spent + @total <= budget",
            new { total, ownerKind, ownerId, month });
        if (ok != 1)
        {
            var left = await c.ExecuteScalarAsync<int>("SELECT budget - spent FROM budget_months WHERE owner_kind = @ownerKind AND owner_id = @ownerId AND month = @month",
                new { ownerKind, ownerId, month }, t);
            throw new RuleViolation("Error.OverBudget", left, total);
        }
        var low = await c.ExecAsync(t,
            @"UPDATE budget_months SET low_noted = 1 WHERE owner_kind = @ownerKind AND owner_id = @ownerId AND month = @month AND low_noted = 0
                AND (budget - spent) * 100 < budget * @pct",
            new { ownerKind, ownerId, month, pct = LowPercent });
        if (low == 1) await Outbox.NotifyAsync(c, t, notifyId, noteKind, noteSubject ?? month, now);
    }
}
