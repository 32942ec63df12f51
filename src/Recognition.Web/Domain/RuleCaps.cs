namespace Recognition.Web.Domain;

/// <summary>A behaviour rule's caps per person: how often it may pay out in a day, an ISO week and a month (null: no cap).</summary>
public sealed record RuleCapLimits(long RuleId, int? PerDay, int? PerWeek, int? PerMonth);

/// <summary>
/// The per-rule counters (rule_counters), counted in the site's calendar. Hazard reports, ideas and customer praise all
/// count here, so one cap means the same wherever a rule pays out.
/// </summary>
public static class RuleCaps
{
    /// <summary>The counters' periods for a local time: its day, ISO week and month.</summary>
    public static string[] PeriodKeys(DateTime local) => [SiteTime.PeriodKey(local, "day"), SiteTime.PeriodKey(local, "week"), SiteTime.PeriodKey(local, "month")];

    private static IEnumerable<(string Period, int? Cap, string Error)> Periods(RuleCapLimits rule, DateTime local)
    {
        var keys = PeriodKeys(local);
        return [(keys[0], rule.PerDay, "Error.CapDay"), (keys[1], rule.PerWeek, "Error.CapWeek"), (keys[2], rule.PerMonth, "Error.CapMonth")];
    }

    /// <summary>
    /// Counts one use for the person in every period, or none: returns null when counted, else the refusal of the first
    /// cap reached (and the periods already counted are given back).
    /// </summary>
    public static async Task<Outcome?> TryCountAsync(DbConnection c, DbTransaction t, long employeeId, RuleCapLimits rule, DateTime local)
    {
        var counted = new List<string>();
        foreach (var (period, cap, error) in Periods(rule, local))
        {
            await c.ExecuteAsync(Dialects.Of(c).InsertIfMissing("rule_counters", ["employee_id", "rule_id", "period"], ["employee_id", "rule_id", "period", "used"]),
                new { employee_id = employeeId, rule_id = rule.RuleId, period, used = 0 }, t);
            var ok = await c.ExecuteAsync(
                "UPDATE rule_counters SET used = used + 1 WHERE employee_id = @employeeId AND rule_id = @ruleId AND period = @period AND (@cap IS NULL OR used + 1 <= @cap)",
                new { employeeId, ruleId = rule.RuleId, period, cap }, t);
            if (ok == 1)
            {
                counted.Add(period);
                continue;
            }
            await UncountAsync(c, t, employeeId, rule.RuleId, counted);
            return Outcome.Refused(error, cap ?? 0);
        }
        return null;
    }

    /// <summary>Gives back one use in each period of the local time (a reversed payout).</summary>
    public static Task UncountAsync(DbConnection c, DbTransaction t, long employeeId, long ruleId, DateTime local) =>
        UncountAsync(c, t, employeeId, ruleId, PeriodKeys(local));

    private static Task UncountAsync(DbConnection c, DbTransaction t, long employeeId, long ruleId, IReadOnlyList<string> periods) =>
        periods.Count == 0
            ? Task.CompletedTask
            : c.ExecuteAsync("UPDATE rule_counters SET used = used - 1 WHERE employee_id = @employeeId AND rule_id = @ruleId AND period IN @periods",
                new { employeeId, ruleId, periods }, t);
}
