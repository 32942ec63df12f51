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
}
