namespace Recognition.Web.Domain;

/// <summary>
/// The monthly giving allowance. A month's row is created on first use with that month's budget, so
/// last month's unspent points simply stay behind: they expire at month end and are never redeemable.
/// </summary>
public static class Allowance
{
    public static async Task<int> BudgetForAsync(DbConnection conn, DbTransaction? tx, long employeeId, Roles roles, RulesOptions rules)
    {
        if (!roles.HasFlag(Roles.Supervisor)) return rules.MonthlyAllowance;
        var reports = await conn.ExecuteScalarAsync<int>(
            @"SELECT COUNT(*) FROM employees e JOIN teams t ON t.id = e.team_id
              WHERE t.id IN " + Access.TeamsLedBy("@employeeId") + @" AND e.active = 1 AND e.id <> @employeeId", new { employeeId }, tx);
        return rules.MonthlyAllowance + rules.SupervisorAllowancePerReport * reports;
    }

    /// <summary>Creates the month's row with that month's budget unless it exists.</summary>
    public static async Task EnsureAsync(DbConnection conn, DbTransaction tx, ISqlDialect d, long employeeId, Roles roles, int month, RulesOptions rules)
    {
        var budget = await BudgetForAsync(conn, tx, employeeId, roles, rules);
        await conn.ExecAsync(tx, d.InsertIfMissing("allowances", ["employee_id", "month"], ["employee_id", "month", "budget", "spent"]),
            new { employee_id = employeeId, month, budget, spent = 0 });
    }

    /// <summary>What is left to give this month, without creating the month's row.</summary>
    public static async Task<int> LeftAsync(DbConnection conn, long employeeId, Roles roles, int month, RulesOptions rules)
    {
        var row = await conn.QuerySingleOrDefaultAsync<(int Budget, int Spent)?>(
            "SELECT budget, spent FROM allowances WHERE employee_id = @employeeId AND month = @month", new { employeeId, month });
        return row is { } r ? r.Budget - r.Spent : await BudgetForAsync(conn, null, employeeId, roles, rules);
    }

    /// <summary>
    /// Spends <paramref name="each"/> points per recipient from the giver's month, within the month's budget and the share
    /// one person may get of it: conditional updates whose row counts decide, so parallel gifts can never overspend. Awards
    /// and add-ons both come here, in their own transaction; a refusal throws and the transaction writes nothing.
    /// </summary>
    public static async Task SpendAsync(DbConnection conn, DbTransaction tx, ISqlDialect d, PersonContext giver, int month, int each, IReadOnlyList<PersonContext> people, RulesOptions rules)
    {
        await EnsureAsync(conn, tx, d, giver.Id, (Roles)giver.Roles, month, rules);
        var total = each * people.Count;
        var ok = await conn.ExecAsync(tx,
            "UPDATE allowances SET spent = spent + @total WHERE employee_id = @id AND month = @month AND spent + @total <= budget",
            new { total, id = giver.Id, month });
        if (ok != 1)
        {
            var left = await conn.ExecuteScalarAsync<int>(
                "SELECT budget - spent FROM allowances WHERE employee_id = @id AND month = @month", new { id = giver.Id, month }, tx);
            throw new RuleViolation("Error.OverAllowance", left, total);
        }
        var share = d.UpsertAddCapped("allowance_grants", ["giver_id", "recipient_id", "month"], "points",
            "(SELECT budget FROM allowances WHERE employee_id = @giver_id AND month = @month) * @pct / 100");
        foreach (var p in people)
        {
            var granted = await conn.ExecAsync(tx, share,
                new { giver_id = giver.Id, recipient_id = p.Id, month, points = each, pct = rules.MaxSharePercentToOnePerson });
            if (granted != 1)
            {
                var budget = await conn.ExecuteScalarAsync<int>("SELECT budget FROM allowances WHERE employee_id = @id AND month = @month", new { id = giver.Id, month }, tx);
                throw new RuleViolation("Error.OverShare", p.NameZh ?? p.NameEn ?? "", budget * rules.MaxSharePercentToOnePerson / 100, rules.MaxSharePercentToOnePerson);
            }
        }
    }

    /// <summary>Counts one act of giving on the giver's local day against the site's daily cap (awards and add-ons alike).</summary>
    public static async Task CountGivingAsync(DbConnection conn, DbTransaction tx, ISqlDialect d, long giverId, int day, RulesOptions rules)
    {
        var counted = await conn.ExecAsync(tx, d.UpsertAddCapped("giving_counts", ["giver_id", "day"], "given", "@cap"),
            new { giver_id = giverId, day, given = 1, cap = rules.DailyRecognitionCap });
        if (counted != 1) throw new RuleViolation("Error.DailyCap", rules.DailyRecognitionCap);
    }
}
