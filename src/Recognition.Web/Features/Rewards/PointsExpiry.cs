namespace Recognition.Web.Features.Rewards;

/// <summary>
/// Optional expiry (off unless a site sets "expire after N months"). On the first day of each month (site time), earned
/// points from before the month N months back that are still unspent expire, as a visible ledger entry (kind adjustment,
/// source "expiry"). Spending is counted first-in, first-out: redemptions use the oldest points first, so what expires
/// is old earned points minus everything already taken from the balance. People are told 30 days before (a notification
/// and a line on their page), once per expiry date. Expiry never moves leaderboards: it is not earning.
/// </summary>
public sealed class PointsExpiry(Db db, TimeProvider clock, ILogger<PointsExpiry> log) : BackgroundService
{
    public const int NoticeDays = 30;

    public sealed record Expiring(long EmployeeId, int Points, int ExpiresDay);

    protected override async Task ExecuteAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try { await RunAsync(clock.GetUtcNow().UtcDateTime, ct); }
            catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested) { log.LogError(ex, "Points expiry failed; retrying in an hour"); }
            try { await Task.Delay(TimeSpan.FromHours(1), clock, ct); }
            catch (OperationCanceledException) { return; }
        }
    }

    /// <summary>Expires what is due and announces what will be due within <see cref="NoticeDays"/>, for every site with expiry on.</summary>
    public async Task<(int Expired, int Announced)> RunAsync(DateTime now, CancellationToken ct = default)
    {
        var sites = await db.ReadAsync(c => c.QueryAsync<(long SiteId, string TimeZone, int Months)>(
            "SELECT s.id, s.time_zone, x.expiry_months FROM reward_settings x JOIN sites s ON s.id = x.site_id WHERE x.expiry_months IS NOT NULL"), ct);
        int expired = 0, announced = 0;
        foreach (var (siteId, zone, months) in sites)
        {
            var local = SiteTime.ToLocal(now, zone);
            var today = SiteTime.Day(local);
            var thisMonth = SiteTime.MonthStart(local);
            // Due now: earned before the first day of the month N months back.
            var cutoff = SiteTime.Day(thisMonth.AddMonths(-months));
            foreach (var due in await DueAsync(siteId, cutoff, null))
            {
                var done = await db.WriteAsync(async (c, t) =>
                {
                    if (await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM points_ledger WHERE employee_id = @EmployeeId AND source_type = 'expiry' AND source_id = @cutoff",
                            new { due.EmployeeId, cutoff }, t) > 0) return false;
                    var team = await c.ExecuteScalarAsync<long?>("SELECT team_id FROM employees WHERE id = @EmployeeId", due, t);
                    if (!await PointsLedger.DebitAsync(c, t, db.Dialect, new LedgerEntry(due.EmployeeId, team, siteId, -due.Points, "adjustment", "expiry", cutoff, today, now))) return false;
                    await Outbox.NotifyAsync(c, t, due.EmployeeId, "points.expired", cutoff, now);
                    return true;
                }, ct);
                if (done) expired++;
            }
            // Next expiry: the first of next month; announce from 30 days before it.
            var next = thisMonth.AddMonths(1);
            if ((next - local.Date).TotalDays > NoticeDays) continue;
            var nextCutoff = SiteTime.Day(next.AddMonths(-months));
            var nextDay = SiteTime.Day(next);
            foreach (var soon in await DueAsync(siteId, nextCutoff, null))
            {
                var told = await db.WriteAsync(async (c, t) =>
                {
                    var added = await c.ExecuteAsync(db.Dialect.InsertIfMissing("expiry_notices", ["employee_id", "expires_day"], ["employee_id", "expires_day", "points", "created_utc"]),
                        new { employee_id = soon.EmployeeId, expires_day = nextDay, points = soon.Points, created_utc = now }, t);
                    if (added == 1) await Outbox.NotifyAsync(c, t, soon.EmployeeId, "points.expiring", nextDay, now);
                    return added == 1;
                }, ct);
                if (told) announced++;
            }
        }
        return (expired, announced);
    }

    /// <summary>What one person will lose at the site's next expiry, or null (expiry off, nothing due, or more than 30 days away).</summary>
    public async Task<Expiring?> UpcomingAsync(long employeeId, DateTime now)
    {
        var me = await db.ReadAsync(c => c.QuerySingleOrDefaultAsync<(long SiteId, string TimeZone, int? Months)?>(
            @"SELECT e.site_id, s.time_zone, x.expiry_months FROM employees e JOIN sites s ON s.id = e.site_id
              LEFT JOIN reward_settings x ON x.site_id = e.site_id WHERE e.id = @employeeId", new { employeeId }));
        if (me is not { Months: { } months } m) return null;
        var local = SiteTime.ToLocal(now, m.TimeZone);
        var next = SiteTime.MonthStart(local).AddMonths(1);
        if ((next - local.Date).TotalDays > NoticeDays) return null;
        var due = await DueAsync(m.SiteId, SiteTime.Day(next.AddMonths(-months)), employeeId);
        return due.FirstOrDefault() is { } d ? d with { ExpiresDay = SiteTime.Day(next) } : null;
    }

    /// <summary>Whether the person's site has expiry on, and after how many months.</summary>
    public Task<int?> MonthsAsync(long employeeId) =>
        db.ReadAsync(c => c.ExecuteScalarAsync<int?>(
            "SELECT x.expiry_months FROM employees e JOIN reward_settings x ON x.site_id = e.site_id WHERE e.id = @employeeId", new { employeeId }));

    /// <summary>
    /// Per person of the site: unspent earned points from before <paramref name="cutoff"/> = earned before the cutoff plus
    /// every unearned movement (redemptions, refunds, write-offs, earlier expiries), capped by the balance.
    /// </summary>
    private async Task<IReadOnlyList<Expiring>> DueAsync(long siteId, int cutoff, long? employeeId) =>
        (await db.ReadAsync(c => c.QueryAsync<(long EmployeeId, long Old, long Unearned, int Balance)>(
            @"SELECT l.employee_id,
                     SUM(CASE WHEN (l.kind IN ('recognition', 'claim', 'achievement') OR (l.kind = 'reversal' AND o.kind IN ('recognition', 'claim', 'achievement')))
                              AND l.local_day < @cutoff THEN l.points ELSE 0 END),
                     SUM(CASE WHEN l.kind IN ('recognition', 'claim', 'achievement') OR (l.kind = 'reversal' AND o.kind IN ('recognition', 'claim', 'achievement'))
                              THEN 0 ELSE l.points END),
                     MAX(b.balance)
              FROM points_ledger l JOIN point_balances b ON b.employee_id = l.employee_id JOIN employees e ON e.id = l.employee_id
              LEFT JOIN points_ledger o ON o.id = l.reverses_id
              WHERE e.site_id = @siteId AND b.balance > 0 AND (@employeeId IS NULL OR l.employee_id = @employeeId)
              GROUP BY l.employee_id", new { siteId, cutoff, employeeId })))
        .Select(r => new Expiring(r.EmployeeId, (int)Math.Clamp(r.Old + r.Unearned, 0, r.Balance), cutoff))
        .Where(r => r.Points > 0).ToList();
}
