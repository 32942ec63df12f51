using Dapper;
using Recognition.Web.Infrastructure.Data;

namespace Recognition.Tests.Support;

/// <summary>Reads the database directly, to prove what a request wrote — or that it wrote nothing.</summary>
public static class DbProbe
{
    // Not the app's records: the migration journals, the data-protection key ring (created by the first
    // request that needs a key, whatever that request then does), and the background workers' cursors (a worker writes
    // its row when it first runs, which under a full suite's load can fall inside a test's before/after).
    private static readonly string[] NotRecords = ["schema_migrations", "schema_version", "data_protection_keys", "relay_cursors"];

    /// <summary>
    /// Row counts of every table in the schema (read from the database, so a new table is covered without
    /// editing this) plus the sums and states a use case updates in place; equal fingerprints mean nothing was written.
    /// </summary>
    public static async Task<string> FingerprintAsync(Db db)
    {
        await using var c = await db.OpenAsync();
        var parts = new List<string>();
        foreach (var t in (await c.QueryAsync<string>(db.Dialect.ListTables)).Except(NotRecords, StringComparer.OrdinalIgnoreCase))
        {
            parts.Add($"{t}={await c.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {t}")}");
        }
        parts.Add($"spent={await c.ExecuteScalarAsync<long?>("SELECT SUM(spent) FROM allowances")}");
        parts.Add($"balance={await c.ExecuteScalarAsync<long?>("SELECT SUM(balance) FROM point_balances")}");
        parts.Add($"claims={string.Join(",", await c.QueryAsync<string>("SELECT status FROM claims ORDER BY id"))}");
        parts.Add($"stock={await c.ExecuteScalarAsync<long?>("SELECT SUM(stock) FROM rewards")}");
        parts.Add($"orders={string.Join(",", await c.QueryAsync<string>("SELECT status FROM reward_orders ORDER BY id"))}");
        parts.Add($"takes={await c.ExecuteScalarAsync<long?>("SELECT SUM(taken) FROM reward_takes")}");
        parts.Add($"recog={string.Join(",", await c.QueryAsync<string>("SELECT status FROM recognitions ORDER BY id"))}");
        return string.Join(" ", parts);
    }

    /// <summary>The tables the fingerprint counts; a test proves new ones are picked up.</summary>
    public static async Task<List<string>> FingerprintTablesAsync(Db db)
    {
        await using var c = await db.OpenAsync();
        return (await c.QueryAsync<string>(db.Dialect.ListTables)).Except(NotRecords, StringComparer.OrdinalIgnoreCase).ToList();
    }

    public static async Task<T> ScalarAsync<T>(Db db, string sql, object? args = null)
    {
        await using var c = await db.OpenAsync();
        return (await c.ExecuteScalarAsync<T>(sql, args))!;
    }

    public static async Task<List<T>> QueryAsync<T>(Db db, string sql, object? args = null)
    {
        await using var c = await db.OpenAsync();
        return (await c.QueryAsync<T>(sql, args)).ToList();
    }

    public static Task<int> BalanceAsync(Db db, long employeeId) =>
        ScalarAsync<int>(db, "SELECT COALESCE(SUM(balance), 0) FROM point_balances WHERE employee_id = @employeeId", new { employeeId });

    /// <summary>
    /// An entry is earned when it is a recognition, claim or achievement, or the reversal of one; redemptions, their refunds
    /// and adjustments (write-offs, expiry) are not, and never reach a leaderboard bucket.
    /// </summary>
    public const string EarnedLedger =
        @"(SELECT l.* FROM points_ledger l LEFT JOIN points_ledger o ON o.id = l.reverses_id
           WHERE l.kind IN ('recognition', 'claim', 'achievement') OR (l.kind = 'reversal' AND o.kind IN ('recognition', 'claim', 'achievement')))";

    /// <summary>
    /// The ledger is the truth: balances add up to all of it; "earned" and every leaderboard bucket (person × day, week,
    /// month; team × day) add up to the earned entries alone.
    /// </summary>
    public static async Task AssertLedgerConsistentAsync(Db db)
    {
        await using var c = await db.OpenAsync();
        var byPerson = await c.QueryAsync<(long Id, long Ledger, long Balance, long Earned, long EarnedBalance)>(
            $@"SELECT e.id, COALESCE((SELECT SUM(points) FROM points_ledger l WHERE l.employee_id = e.id), 0),
                     COALESCE((SELECT balance FROM point_balances b WHERE b.employee_id = e.id), 0),
                     COALESCE((SELECT SUM(points) FROM {EarnedLedger} x WHERE x.employee_id = e.id), 0),
                     COALESCE((SELECT earned FROM point_balances b WHERE b.employee_id = e.id), 0) FROM employees e");
        foreach (var p in byPerson)
        {
            Assert.True(p.Ledger == p.Balance, $"employee {p.Id}: ledger {p.Ledger} ≠ balance {p.Balance}");
            Assert.True(p.Earned == p.EarnedBalance, $"employee {p.Id}: earned entries {p.Earned} ≠ earned {p.EarnedBalance}");
            Assert.True(p.Balance >= 0, $"employee {p.Id}: balance {p.Balance} below zero");
        }
        var personDays = await c.QueryAsync<(long Id, long Day, long Ledger, long Bucket)>(
            $@"SELECT l.employee_id, l.local_day, SUM(l.points), COALESCE(MAX(b.points), 0) FROM {EarnedLedger} l
              LEFT JOIN person_day_points b ON b.employee_id = l.employee_id AND b.day = l.local_day
              GROUP BY l.employee_id, l.local_day");
        foreach (var p in personDays) Assert.True(p.Ledger == p.Bucket, $"employee {p.Id} day {p.Day}: ledger {p.Ledger} ≠ bucket {p.Bucket}");
        var teamDays = await c.QueryAsync<(long Id, long Day, long Ledger, long Bucket)>(
            $@"SELECT l.team_id, l.local_day, SUM(l.points), COALESCE(MAX(b.points), 0) FROM {EarnedLedger} l
              LEFT JOIN team_day_points b ON b.team_id = l.team_id AND b.day = l.local_day
              WHERE l.team_id IS NOT NULL GROUP BY l.team_id, l.local_day");
        foreach (var t in teamDays) Assert.True(t.Ledger == t.Bucket, $"team {t.Id} day {t.Day}: ledger {t.Ledger} ≠ bucket {t.Bucket}");
        var total = await c.ExecuteScalarAsync<long>($"SELECT COALESCE(SUM(points), 0) FROM {EarnedLedger} x");
        Assert.Equal(total, await c.ExecuteScalarAsync<long>("SELECT COALESCE(SUM(points), 0) FROM person_day_points"));
        Assert.Equal(total, await c.ExecuteScalarAsync<long>("SELECT COALESCE(SUM(points), 0) FROM person_week_points"));
        Assert.Equal(total, await c.ExecuteScalarAsync<long>("SELECT COALESCE(SUM(points), 0) FROM person_month_points"));
        var months = await c.QueryAsync<(long Id, long Month, long Ledger, long Bucket)>(
            $@"SELECT l.employee_id, l.local_day / 100, SUM(l.points), COALESCE(MAX(b.points), 0) FROM {EarnedLedger} l
              LEFT JOIN person_month_points b ON b.employee_id = l.employee_id AND b.month = l.local_day / 100
              GROUP BY l.employee_id, l.local_day / 100");
        foreach (var m in months) Assert.True(m.Ledger == m.Bucket, $"employee {m.Id} month {m.Month}: ledger {m.Ledger} ≠ bucket {m.Bucket}");
        // Reversals point at an original of the opposite amount and never at another reversal.
        var badReversals = await c.ExecuteScalarAsync<long>(
            @"SELECT COUNT(*) FROM points_ledger r JOIN points_ledger o ON o.id = r.reverses_id
              WHERE r.points <> -o.points OR o.kind = 'reversal' OR r.employee_id <> o.employee_id");
        Assert.Equal(0, badReversals);
    }
}
