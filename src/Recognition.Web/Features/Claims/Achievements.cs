namespace Recognition.Web.Features.Claims;

/// <summary>
/// Threshold badges (e.g. 5 approved hazard reports in 90 days → Safety Sentinel). Checked inside the
/// approving transaction; each award counts only claims approved after the previous award of the
/// same rule, so one run of claims earns the badge once.
/// </summary>
public static class Achievements
{
    public static async Task CheckAsync(DbConnection conn, DbTransaction tx, ISqlDialect d, long employeeId, long? teamId, long siteId, long ruleId, int day, DateTime now)
    {
        var rules = await conn.QueryAsync<(long Id, long BadgeId, int Threshold, int WindowDays, int BonusPoints)>(
            "SELECT id, badge_id, threshold, window_days, bonus_points FROM achievement_rules WHERE rule_id = @ruleId AND active = 1", new { ruleId }, tx);
        foreach (var a in rules)
        {
            var last = await conn.QuerySingleOrDefaultAsync<(int Seq, DateTime At)?>(
                d.Page("SELECT seq, created_utc FROM employee_badges WHERE employee_id = @employeeId AND achievement_rule_id = @id ORDER BY seq DESC"),
                new { employeeId, id = a.Id, skip = 0, take = 1 }, tx);
            var since = now.AddDays(-a.WindowDays);
            if (last is { } l && l.At > since) since = l.At;
            var count = await conn.ExecuteScalarAsync<int>(
                "SELECT COUNT(*) FROM claims WHERE employee_id = @employeeId AND rule_id = @ruleId AND status = 'approved' AND decided_utc > @since",
                new { employeeId, ruleId, since }, tx);
            if (count < a.Threshold) continue;
            var badgeAwardId = await conn.QuerySingleAsync<long>(
                d.InsertReturningId("employee_badges", "employee_id, badge_id, achievement_rule_id, seq, verify_code, created_utc",
                    "@employeeId, @BadgeId, @Id, @seq, @code, @now"),
                new { employeeId, a.BadgeId, a.Id, seq = (last?.Seq ?? 0) + 1, code = Recognitions.NewVerifyCode(), now }, tx);
            if (a.BonusPoints > 0)
            {
                await PointsLedger.PostAsync(conn, tx, d, new LedgerEntry(employeeId, teamId, siteId, a.BonusPoints, "achievement", "badge", badgeAwardId, day, now));
            }
            await Outbox.AppendAsync(conn, tx, siteId, teamId, "badge.earned", badgeAwardId, now);
            await Outbox.NotifyAsync(conn, tx, employeeId, "badge.earned", badgeAwardId, now);
        }
    }
}
