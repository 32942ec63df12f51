using System.Diagnostics;

namespace Recognition.Web.Features.Insights;

/// <summary>
/// Rebuilds a site's insight rollups from its active recognitions (the last 53 weeks) in one pass, and runs the
/// anti-gaming clue detection over the last 90 days. It writes only the rows that differ from what is stored
/// (<see cref="RollupTable"/>), Insights:RowsPerWrite (2,000) to a transaction: the usual hourly difference is one
/// transaction, so pages never see half of it; a first build or a mass revocation is written in parts, between which
/// pages may show some rows of the new build beside the old. Revocations are reflected on the next rebuild. Runs every hour (<see cref="InsightsRefresher"/>)
/// and when an admin asks.
/// </summary>
public sealed class InsightsBuilder(Db db, ClueDetector clues, IConfiguration config)
{
    private readonly SemaphoreSlim _serial = new(1, 1);

    public const int Weeks = 53;

    /// <summary>ins_person_recent's counts: gave30, received30, gave_reports30, gave_reports60, received90, with_points90, points90.</summary>
    private const int RecentColumns = 7;

    /// <summary>What a rebuild did: <paramref name="RowsWritten"/> rollup and clue rows written, the longest write transaction it held.</summary>
    public sealed record Result(long SiteId, int Recognitions, long Milliseconds, int Clues, long DetectMilliseconds = 0, int RowsWritten = 0,
        long LongestWriteMilliseconds = 0);

    private sealed record Person(long Id, long? TeamId, long? ManagerId);

    /// <summary>The three complete weeks before this one: each team's claims (hazard reports among them) and recognition received.</summary>
    private async Task<IEnumerable<ClueDetector.Clue>> TeamHealthAsync(long siteId, string zone, DateTime now, Dictionary<(long, int), int[]> teamWeek, CancellationToken ct)
    {
        var local = SiteTime.ToLocal(now, zone);
        var weeks = new[] { 3, 2, 1 }.Select(k => SiteTime.Week(local.AddDays(-7 * k))).ToArray();
        var (claims, teams) = await db.ReadAsync(async c => (
            (await c.QueryAsync<(long TeamId, DateTime CreatedUtc)>(
                "SELECT team_id, created_utc FROM claims WHERE site_id = @siteId AND team_id IS NOT NULL AND created_utc >= @since", new { siteId, since = now.AddDays(-28) })).ToList(),
            (await c.QueryAsync<(long Id, string Zh, string En, long? Leader)>(
                "SELECT t.id, t.name_zh, t.name_en, l.employee_id FROM teams t LEFT JOIN team_leaders l ON l.team_id = t.id WHERE t.site_id = @siteId AND t.active = 1", new { siteId })).ToList()), ct);
        var claimWeeks = claims.GroupBy(x => (x.TeamId, SiteTime.Week(SiteTime.ToLocal(x.CreatedUtc, zone)))).ToDictionary(g => g.Key, g => g.Count());
        var series = teams.GroupBy(t => t.Id).ToDictionary(g => g.Key, g => (
            Bilingual.Name(g.First().Zh, g.First().En),
            weeks.Select(w => claimWeeks.GetValueOrDefault((g.Key, w))).ToArray(),
            weeks.Select(w => teamWeek.TryGetValue((g.Key, w), out var r) ? r[0] : 0).ToArray(),
            g.Where(x => x.Leader is not null).Select(x => x.Leader!.Value).Distinct().Order().ToArray()));
        return ClueDetector.DetectTeamHealth(weeks, series);
    }

    public async Task<Result> RebuildAsync(long siteId, DateTime now, CancellationToken ct = default)
    {
        var sw = Stopwatch.StartNew();
        var zone = await db.ReadAsync(c => c.ExecuteScalarAsync<string>("SELECT time_zone FROM sites WHERE id = @siteId", new { siteId }), ct)
            ?? throw new InvalidOperationException($"No site {siteId}.");
        var people = (await db.ReadAsync(c => c.QueryAsync<Person>(
            "SELECT id AS Id, team_id AS TeamId, manager_id AS ManagerId FROM employees WHERE site_id = @siteId", new { siteId }), ct)).ToDictionary(p => p.Id);
        var since = now.AddDays(-7 * Weeks);
        var teamWeek = new Dictionary<(long, int), int[]>();
        var personWeek = new Dictionary<(long, int), int[]>();
        var recent = new Dictionary<long, int[]>();
        var values = new Dictionary<(long, long), int>();
        var window = new List<ClueDetector.Item>();
        var count = 0;
        int[] Row<TK>(Dictionary<TK, int[]> d, TK k, int n) where TK : notnull => d.TryGetValue(k, out var r) ? r : d[k] = new int[n];
        var weekCache = new Dictionary<DateTime, int>();

        await using (var conn = await db.OpenAsync(ct))
        {
            // One row per recipient, in recognition order; unbuffered, so a year of a big plant streams through.
            var rows = conn.Query<(long Id, long GiverId, DateTime CreatedUtc, long? ValueId, string Source, string Message, long EmployeeId, long? TeamId, int Points)>(
                @"SELECT r.id, r.giver_id, r.created_utc, COALESCE(r.value_id, b.value_id), r.source, r.message, x.employee_id, x.team_id, r.points_each
                  FROM recognitions r JOIN recognition_recipients x ON x.recognition_id = r.id LEFT JOIN badges b ON b.id = r.badge_id
                  WHERE r.site_id = @siteId AND r.status = 'active' AND r.created_utc >= @since ORDER BY r.id",
                new { siteId, since }, buffered: false);
            long lastId = 0;
            foreach (var r in rows)
            {
                var local = SiteTime.ToLocal(r.CreatedUtc, zone);
                if (!weekCache.TryGetValue(local.Date, out var week)) weekCache[local.Date] = week = SiteTime.Week(local);
                var age = now - r.CreatedUtc;
                var giver = people.GetValueOrDefault(r.GiverId);
                var customer = r.Source == "customer";
                var outside = customer || giver?.TeamId is null || giver.TeamId != r.TeamId;
                if (r.TeamId is { } team)
                {
                    var tw = Row(teamWeek, (team, week), 3);
                    tw[0]++;
                    if (outside) tw[1]++;
                }
                var pw = Row(personWeek, (r.EmployeeId, week), 3);
                pw[0]++;
                if (outside) pw[1]++;
                var rr = Row(recent, r.EmployeeId, RecentColumns);
                if (age <= TimeSpan.FromDays(30)) rr[1]++;
                if (age <= TimeSpan.FromDays(90))
                {
                    rr[4]++;
                    if (r.Points > 0) rr[5]++;
                    rr[6] += r.Points;
                }
                if (r.ValueId is { } v) values[(r.EmployeeId, v)] = values.GetValueOrDefault((r.EmployeeId, v)) + 1;
                if (r.Id != lastId)
                {
                    // Once per recognition: the giver's side (customer praise has no giver of its own).
                    count++;
                    lastId = r.Id;
                    if (!customer)
                    {
                        if (giver?.TeamId is { } gt) Row(teamWeek, (gt, week), 3)[2]++;
                        Row(personWeek, (r.GiverId, week), 3)[2]++;
                        var gr = Row(recent, r.GiverId, RecentColumns);
                        if (age <= TimeSpan.FromDays(30)) gr[0]++;
                    }
                }
                if (!customer && people.TryGetValue(r.EmployeeId, out var recipient) && recipient.ManagerId == r.GiverId)
                {
                    var gr = Row(recent, r.GiverId, RecentColumns);
                    if (age <= TimeSpan.FromDays(30)) gr[2]++;
                    if (age <= TimeSpan.FromDays(60)) gr[3]++;
                }
                if (!customer && age <= ClueDetector.Window) window.Add(new ClueDetector.Item(r.Id, r.GiverId, r.EmployeeId, r.CreatedUtc, r.Message));
            }
        }

        var detect = Stopwatch.StartNew();
        var phrases = (await db.ReadAsync(c => c.QueryAsync<(string? Zh, string? En)>("SELECT phrases_zh, phrases_en FROM badges"), ct))
            .SelectMany(p => $"{p.Zh}\n{p.En}".Split('\n')).Select(ClueDetector.Normalize).Where(p => p.Length > 0).ToHashSet();
        var found = clues.Detect(window, now, phrases).ToList();
        // Add-ons and reactions of the window, one row per recipient of the recognition they went to.
        var windowStart = now - ClueDetector.Window;
        var acts = (await db.ReadAsync(c => c.QueryAsync<ClueDetector.Act>(
            @"SELECT 'addon' AS Kind, a.giver_id AS FromId, x.employee_id AS ToId, a.recognition_id AS RecognitionId
              FROM recognition_addons a JOIN recognitions r ON r.id = a.recognition_id JOIN recognition_recipients x ON x.recognition_id = r.id
              WHERE r.site_id = @siteId AND r.status = 'active' AND a.created_utc >= @windowStart
              UNION ALL
              SELECT 'reaction' AS Kind, e.employee_id AS FromId, x.employee_id AS ToId, e.recognition_id AS RecognitionId
              FROM reactions e JOIN recognitions r ON r.id = e.recognition_id JOIN recognition_recipients x ON x.recognition_id = r.id
              WHERE r.site_id = @siteId AND r.status = 'active' AND e.created_utc >= @windowStart", new { siteId, windowStart }), ct)).ToList();
        found.AddRange(clues.DetectSocial(acts));
        found.AddRange(await TeamHealthAsync(siteId, zone, now, teamWeek, ct));
        var detectMs = detect.ElapsedMilliseconds;
        static Dictionary<RollupKey, long[]> Built<TK>(Dictionary<TK, int[]> d, Func<TK, RollupKey> key) where TK : notnull =>
            d.ToDictionary(kv => key(kv.Key), kv => kv.Value.Select(v => (long)v).ToArray());
        var built = new Dictionary<RollupTable, Dictionary<RollupKey, long[]>>
        {
            [RollupTable.TeamWeek] = Built(teamWeek, k => new RollupKey(k.Item1, k.Item2)),
            [RollupTable.PersonWeek] = Built(personWeek, k => new RollupKey(k.Item1, k.Item2)),
            [RollupTable.PersonRecent] = Built(recent, k => new RollupKey(k, 0)),
            [RollupTable.PersonValue] = values.ToDictionary(kv => new RollupKey(kv.Key.Item1, kv.Key.Item2), kv => new long[] { kv.Value }),
        };
        await _serial.WaitAsync(ct); // two rebuilds of a site must not both write their difference from the same stored rows
        try
        {
            var changes = new List<RollupChange>();
            Dictionary<string, ClueDetector.Stored> storedClues;
            await using (var conn = await db.OpenAsync(ct))
            {
                foreach (var table in RollupTable.All) changes.AddRange(table.Diff(await table.ReadAsync(conn, siteId), built[table]));
                storedClues = await ClueDetector.StoredAsync(conn);
            }
            // Short write transactions, so awards and kiosks are not kept waiting for SQLite's one writer; a rebuild whose
            // difference fits one (the usual hourly case) is still all or nothing, and clues and the build time go with the last.
            var chunk = Math.Max(1, config.GetValue("Insights:RowsPerWrite", 2000));
            var longest = 0L;
            var clueRows = 0;
            var parts = changes.Chunk(chunk).DefaultIfEmpty([]).ToList(); // nothing changed: one write still records the build
            for (var p = 0; p < parts.Count; p++)
            {
                var part = parts[p];
                var last = p == parts.Count - 1;
                var held = Stopwatch.StartNew();
                await db.WriteAsync(async (c, t) =>
                {
                    foreach (var change in part) await change.ApplyAsync(c, t);
                    if (!last) return;
                    clueRows = await ClueDetector.SaveAsync(c, t, siteId, found, now, storedClues);
                    var took = (int)sw.ElapsedMilliseconds;
                    if (await c.ExecuteAsync("UPDATE ins_builds SET built_utc = @now, took_ms = @took, recognitions = @count WHERE site_id = @siteId", new { now, took, count, siteId }, t) == 0)
                        await c.ExecuteAsync("INSERT INTO ins_builds (site_id, built_utc, took_ms, recognitions) VALUES (@siteId, @now, @took, @count)", new { now, took, count, siteId }, t);
                }, ct);
                longest = Math.Max(longest, held.ElapsedMilliseconds);
            }
            var (fair, fairRows) = await FairnessCluesAsync(siteId, now);
            return new Result(siteId, count, sw.ElapsedMilliseconds, found.Count + fair, detectMs, changes.Count + clueRows + fairRows, longest);
        }
        finally
        {
            _serial.Release();
        }
    }

    /// <summary>
    /// Fairness of value, from the rollups just written: a group whose points per recognition or share with points differs
    /// from the site's by more than the margin becomes a clue for HR (no people on it, no recognitions to revoke), one per
    /// group and month while it lasts. Only groups whose figures the insights pages may show are considered.
    /// </summary>
    private async Task<(int Found, int Written)> FairnessCluesAsync(long siteId, DateTime now)
    {
        var q = new InsightsQueries(db, new FixedTime(now));
        var (site, rows) = await q.FairnessAsync(siteId, InsightsQueries.FairnessMargin(config));
        var month = now.ToString("yyyyMM", System.Globalization.CultureInfo.InvariantCulture);
        var clues = rows.Where(r => r.Flagged)
            .Select(r => new ClueDetector.Clue("fairness", $"fairness:{siteId}:{r.DimKey}:{r.GroupKey}:{month}", [], [], r.Detail(site))).ToList();
        if (clues.Count == 0) return (0, 0);
        var stored = await db.ReadAsync(ClueDetector.StoredAsync);
        var written = await db.WriteAsync((c, t) => ClueDetector.SaveAsync(c, t, siteId, clues, now, stored));
        return (clues.Count, written);
    }

    private sealed class FixedTime(DateTime utc) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => new(utc, TimeSpan.Zero);
    }

    public async Task<IReadOnlyList<Result>> RebuildAllAsync(DateTime now, CancellationToken ct = default)
    {
        var results = new List<Result>();
        foreach (var site in await db.ReadAsync(c => c.QueryAsync<long>("SELECT id FROM sites ORDER BY id"), ct)) results.Add(await RebuildAsync(site, now, ct));
        return results;
    }
}

/// <summary>Rebuilds every site's insights each hour (the first time shortly after start).</summary>
public sealed class InsightsRefresher(InsightsBuilder builder, TimeProvider clock, IConfiguration config, ILogger<InsightsRefresher> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken ct)
    {
        var minutes = config.GetValue("Insights:RebuildMinutes", 60);
        if (minutes <= 0) return; // off (the test server rebuilds when a test asks)
        var every = TimeSpan.FromMinutes(minutes);
        try { await Task.Delay(TimeSpan.FromSeconds(config.GetValue("Insights:FirstDelaySeconds", 30)), clock, ct); }
        catch (OperationCanceledException) { return; }
        while (!ct.IsCancellationRequested)
        {
            try
            {
                foreach (var r in await builder.RebuildAllAsync(clock.GetUtcNow().UtcDateTime, ct))
                    log.LogInformation("Insights for site {Site}: {Recognitions} recognitions in {Ms} ms, {Clues} clues", r.SiteId, r.Recognitions, r.Milliseconds, r.Clues);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested) { log.LogError(ex, "Insights rebuild failed; retrying at the next interval"); }
            try { await Task.Delay(every, clock, ct); }
            catch (OperationCanceledException) { return; }
        }
    }
}
