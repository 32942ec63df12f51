namespace Recognition.Web.Domain;

public sealed record LedgerEntry(
    long EmployeeId, long? TeamId, long SiteId, int Points, string Kind, string SourceType, long SourceId, int LocalDay, DateTime CreatedUtc,
    long? ReversesId = null, string? ReversedKind = null)
{
    /// <summary>
    /// Earned points are what leaderboards, period buckets and "earned" count: recognitions, claims, achievement bonuses,
    /// and the reversals of those. Redemptions, their refunds, adjustments (write-offs, expiry) only move the balance.
    /// </summary>
    public bool Earns => Kind == "reversal" ? IsEarnedKind(ReversedKind) : IsEarnedKind(Kind);

    public static bool IsEarnedKind(string? kind) => kind is "recognition" or "claim" or "achievement";
}

/// <summary>
/// The only writer of points. Appends to points_ledger and, in the caller's transaction, moves the
/// balance and the person × day and team × day buckets that leaderboards read.
/// </summary>
public static class PointsLedger
{
    private const string TakeSql = "UPDATE point_balances SET earned = earned + @earned, balance = balance + @balance WHERE employee_id = @employee_id";

    public static async Task<long> PostAsync(DbConnection conn, DbTransaction tx, ISqlDialect d, LedgerEntry e)
    {
        var id = await conn.ScalarAsync<long>(tx,
            d.InsertReturningId("points_ledger",
                "employee_id, team_id, site_id, points, kind, source_type, source_id, reverses_id, local_day, created_utc",
                "@EmployeeId, @TeamId, @SiteId, @Points, @Kind, @SourceType, @SourceId, @ReversesId, @LocalDay, @CreatedUtc"), e);
        if (e.Points == 0) return id;
        var earned = e.Earns ? e.Points : 0;
        // Taking points away updates the existing row: SQLite checks CHECK (balance >= 0) on an upsert's candidate row
        // before it sees the conflict, so a negative amount could never go through the upsert.
        await conn.ExecAsync(tx, e.Points > 0 ? d.UpsertAdd("point_balances", ["employee_id"], "earned", "balance") : TakeSql,
            new { employee_id = e.EmployeeId, earned, balance = e.Points });
        if (earned != 0)
        {
            await conn.ExecAsync(tx, d.UpsertAdd("person_day_points", ["employee_id", "day"], "points"),
                new { employee_id = e.EmployeeId, day = e.LocalDay, points = earned });
            await conn.ExecAsync(tx, d.UpsertAdd("person_week_points", ["employee_id", "week"], "points"),
                new { employee_id = e.EmployeeId, week = SiteTime.Week(e.LocalDay), points = earned });
            await conn.ExecAsync(tx, d.UpsertAdd("person_month_points", ["employee_id", "month"], "points"),
                new { employee_id = e.EmployeeId, month = e.LocalDay / 100, points = earned });
            if (e.TeamId is { } team)
            {
                await conn.ExecAsync(tx, d.UpsertAdd("team_day_points", ["team_id", "day"], "points"),
                    new { team_id = team, day = e.LocalDay, points = earned });
            }
        }
        return id;
    }

    /// <summary>
    /// Takes points from a balance for a redemption: one conditional UPDATE whose row count decides (the balance never
    /// goes below zero, on either engine), then the ledger entry. False (nothing written) when the balance is short.
    /// </summary>
    public static async Task<bool> DebitAsync(DbConnection conn, DbTransaction tx, ISqlDialect d, LedgerEntry e)
    {
        if (e.Points >= 0 || e.Earns) throw new ArgumentException("A debit takes unearned points.", nameof(e));
        var taken = await conn.ExecAsync(tx, "UPDATE point_balances SET balance = balance + @points WHERE employee_id = @employeeId AND balance + @points >= 0",
            new { points = e.Points, employeeId = e.EmployeeId });
        if (taken != 1) return false;
        await conn.ScalarAsync<long>(tx,
            d.InsertReturningId("points_ledger",
                "employee_id, team_id, site_id, points, kind, source_type, source_id, reverses_id, local_day, created_utc",
                "@EmployeeId, @TeamId, @SiteId, @Points, @Kind, @SourceType, @SourceId, @ReversesId, @LocalDay, @CreatedUtc"), e);
        return true;
    }

    /// <summary>A person's balance, read by a transaction that will change it (kept locked until it ends).</summary>
    public static string BalanceForUpdate(ISqlDialect d) => $"SELECT balance FROM {d.ForUpdate("point_balances")} WHERE employee_id = @EmployeeId";

    /// <summary>
    /// Posts a reversing entry for every not-yet-reversed entry of a source. Buckets move on the original's day, and only
    /// when the original was earned (a refunded redemption never raises anyone on a leaderboard). When earned points
    /// being taken back were already spent, the part the balance no longer holds is written off first as a visible
    /// adjustment (source "writeoff"), so the balance stops at zero instead of going below it.
    /// </summary>
    public static async Task<int> ReverseSourceAsync(DbConnection conn, DbTransaction tx, ISqlDialect d, string sourceType, long sourceId, DateTime now)
    {
        var originals = (await conn.QueryAsync<(long Id, long EmployeeId, long? TeamId, long SiteId, int Points, int LocalDay, string Kind)>(
            @"SELECT l.id, l.employee_id, l.team_id, l.site_id, l.points, l.local_day, l.kind FROM points_ledger l
              WHERE l.source_type = @sourceType AND l.source_id = @sourceId AND l.kind <> 'reversal' AND l.kind <> 'adjustment'
                AND NOT EXISTS (SELECT 1 FROM points_ledger r WHERE r.reverses_id = l.id)",
            new { sourceType, sourceId }, tx)).ToList();
        foreach (var o in originals)
        {
            if (o.Points > 0)
            {
                // Locked until the reversal is posted: a redemption committing in between would otherwise spend what is written off.
                var balance = await conn.ScalarAsync<int?>(tx, BalanceForUpdate(d), new { o.EmployeeId }) ?? 0;
                if (balance < o.Points)
                {
                    await PostAsync(conn, tx, d, new LedgerEntry(o.EmployeeId, o.TeamId, o.SiteId, o.Points - balance, "adjustment", "writeoff", o.Id, o.LocalDay, now));
                }
            }
            await PostAsync(conn, tx, d, new LedgerEntry(o.EmployeeId, o.TeamId, o.SiteId, -o.Points, "reversal", sourceType, sourceId, o.LocalDay, now, o.Id, o.Kind));
        }
        return originals.Count;
    }
}
