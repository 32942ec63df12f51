using System.Diagnostics;
using Dapper;
using Recognition.Web.Infrastructure;
using Recognition.Web.Infrastructure.Auth;
using Recognition.Web.Infrastructure.Data;

namespace Recognition.Web.Features.Insights;

/// <summary>
/// Rebuilds a site's insight rollups from its active recognitions (the last 53 weeks) in one pass, and runs the
/// anti-gaming clue detection over the last 90 days. A rebuild replaces the site's rollups in one transaction, so pages
/// never see half of one, and revocations are reflected on the next rebuild. Runs every hour (<see cref="InsightsRefresher"/>)
/// and when an admin asks.
/// </summary>
public sealed class InsightsBuilder(Db db, ClueDetector clues)
{
    public const int Weeks = 53;

    public sealed record Result(long SiteId, int Recognitions, long Milliseconds, int Clues, long DetectMilliseconds = 0);

    private sealed record Person(long Id, long? TeamId, long? ManagerId);

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
            var rows = conn.Query<(long Id, long GiverId, DateTime CreatedUtc, long? ValueId, string Source, string Message, long EmployeeId, long? TeamId)>(
                @"SELECT r.id, r.giver_id, r.created_utc, COALESCE(r.value_id, b.value_id), r.source, r.message, x.employee_id, x.team_id
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
                var rr = Row(recent, r.EmployeeId, 5);
                if (age <= TimeSpan.FromDays(30)) rr[1]++;
                if (age <= TimeSpan.FromDays(90)) rr[4]++;
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
                        var gr = Row(recent, r.GiverId, 5);
                        if (age <= TimeSpan.FromDays(30)) gr[0]++;
                    }
                }
                if (!customer && people.TryGetValue(r.EmployeeId, out var recipient) && recipient.ManagerId == r.GiverId)
                {
                    var gr = Row(recent, r.GiverId, 5);
                    if (age <= TimeSpan.FromDays(30)) gr[2]++;
                    if (age <= TimeSpan.FromDays(60)) gr[3]++;
                }
                if (!customer && age <= ClueDetector.Window) window.Add(new ClueDetector.Item(r.Id, r.GiverId, r.EmployeeId, r.CreatedUtc, r.Message));
            }
        }

        var detect = Stopwatch.StartNew();
        var phrases = (await db.ReadAsync(c => c.QueryAsync<(string? Zh, string? En)>("SELECT phrases_zh, phrases_en FROM badges"), ct))
            .SelectMany(p => $"{p.Zh}\n{p.En}".Split('\n')).Select(ClueDetector.Normalize).Where(p => p.Length > 0).ToHashSet();
        var found = clues.Detect(window, now, phrases);
        var detectMs = detect.ElapsedMilliseconds;
        await db.WriteAsync(async (c, t) =>
        {
            var args = new { siteId };
            await c.ExecuteAsync("DELETE FROM ins_team_week WHERE team_id IN (SELECT id FROM teams WHERE site_id = @siteId)", args, t);
            await c.ExecuteAsync("DELETE FROM ins_person_week WHERE employee_id IN (SELECT id FROM employees WHERE site_id = @siteId)", args, t);
            await c.ExecuteAsync("DELETE FROM ins_person_recent WHERE employee_id IN (SELECT id FROM employees WHERE site_id = @siteId)", args, t);
            await c.ExecuteAsync("DELETE FROM ins_person_value WHERE employee_id IN (SELECT id FROM employees WHERE site_id = @siteId)", args, t);
            foreach (var ((team, week), v) in teamWeek)
                await c.ExecAsync(t, "INSERT INTO ins_team_week (team_id, week, received, received_outside, given) VALUES (@team, @week, @a, @b, @g)",
                    new { team, week, a = v[0], b = v[1], g = v[2] });
            foreach (var ((person, week), v) in personWeek)
                await c.ExecAsync(t, "INSERT INTO ins_person_week (employee_id, week, received, received_outside, given) VALUES (@person, @week, @a, @b, @g)",
                    new { person, week, a = v[0], b = v[1], g = v[2] });
            foreach (var (person, v) in recent)
                await c.ExecAsync(t, "INSERT INTO ins_person_recent (employee_id, gave30, received30, gave_reports30, gave_reports60, received90) VALUES (@person, @a, @b, @c, @d, @e)",
                    new { person, a = v[0], b = v[1], c = v[2], d = v[3], e = v[4] });
            foreach (var ((person, value), n) in values)
                await c.ExecAsync(t, "INSERT INTO ins_person_value (employee_id, value_id, n) VALUES (@person, @value, @n)", new { person, value, n });
            await ClueDetector.SaveAsync(c, t, siteId, found, now);
            var took = (int)sw.ElapsedMilliseconds;
            if (await c.ExecuteAsync("UPDATE ins_builds SET built_utc = @now, took_ms = @took, recognitions = @count WHERE site_id = @siteId", new { now, took, count, siteId }, t) == 0)
                await c.ExecuteAsync("INSERT INTO ins_builds (site_id, built_utc, took_ms, recognitions) VALUES (@siteId, @now, @took, @count)", new { now, took, count, siteId }, t);
        }, ct);
        return new Result(siteId, count, sw.ElapsedMilliseconds, found.Count, detectMs);
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
            catch (Exception ex) when (ex is not OperationCanceledException) { log.LogError(ex, "Insights rebuild failed; retrying at the next interval"); }
            try { await Task.Delay(every, clock, ct); }
            catch (OperationCanceledException) { return; }
        }
    }
}
