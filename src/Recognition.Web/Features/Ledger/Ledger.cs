using System.Data.Common;
using Dapper;
using Recognition.Web.Infrastructure;
using Recognition.Web.Infrastructure.Data;

namespace Recognition.Web.Features.Ledger;

public sealed record LedgerEntry(
    long EmployeeId, long? TeamId, long SiteId, int Points, string Kind, string SourceType, long SourceId, int LocalDay, DateTime CreatedUtc,
    long? ReversesId = null);

/// <summary>
/// The only writer of points. Appends to points_ledger and, in the caller's transaction, moves the
/// balance and the person × day and team × day buckets that leaderboards read.
/// </summary>
public static class PointsLedger
{
    public static async Task<long> PostAsync(DbConnection conn, DbTransaction tx, ISqlDialect d, LedgerEntry e)
    {
        var id = await conn.ScalarAsync<long>(tx,
            d.InsertReturningId("points_ledger",
                "employee_id, team_id, site_id, points, kind, source_type, source_id, reverses_id, local_day, created_utc",
                "@EmployeeId, @TeamId, @SiteId, @Points, @Kind, @SourceType, @SourceId, @ReversesId, @LocalDay, @CreatedUtc"), e);
        if (e.Points == 0) return id;
        var earned = e.Kind == "redemption" ? 0 : e.Points;
        await conn.ExecAsync(tx, d.UpsertAdd("point_balances", ["employee_id"], "earned", "balance"),
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

    /// <summary>Posts a reversing entry for every not-yet-reversed entry of a source. Buckets move on the original's day.</summary>
    public static async Task<int> ReverseSourceAsync(DbConnection conn, DbTransaction tx, ISqlDialect d, string sourceType, long sourceId, DateTime now)
    {
        var originals = (await conn.QueryAsync<(long Id, long EmployeeId, long? TeamId, long SiteId, int Points, int LocalDay)>(
            @"SELECT l.id, l.employee_id, l.team_id, l.site_id, l.points, l.local_day FROM points_ledger l
              WHERE l.source_type = @sourceType AND l.source_id = @sourceId AND l.kind <> 'reversal'
                AND NOT EXISTS (SELECT 1 FROM points_ledger r WHERE r.reverses_id = l.id)",
            new { sourceType, sourceId }, tx)).ToList();
        foreach (var o in originals)
        {
            await PostAsync(conn, tx, d, new LedgerEntry(o.EmployeeId, o.TeamId, o.SiteId, -o.Points, "reversal", sourceType, sourceId, o.LocalDay, now, o.Id));
        }
        return originals.Count;
    }
}
