namespace Recognition.Web.Features.Insights;

/// <summary>
/// Everything the insights pages show, read from the rollups of the last rebuild. Every figure about a group of fewer than
/// five people is suppressed here, before it reaches a page, a chart or a CSV, whatever the filters.
/// </summary>
public sealed partial class InsightsQueries(Db db, TimeProvider clock)
{
    public sealed record Scope(long? SiteId, long? ShiftId);

    internal sealed class PersonRow
    {
        public long Id { get; init; }
        public long SiteId { get; init; }
        public long? TeamId { get; init; }
        public int Roles { get; init; }
        public int Gave30 { get; init; }
        public int Received30 { get; init; }
        public int Received90 { get; init; }
        public int GaveReports30 { get; init; }
        public int GaveReports60 { get; init; }
        public int WithPoints90 { get; init; }
        public int Points90 { get; init; }
        public int? HireDay { get; init; }
        public string? Gender { get; init; }
    }

    private const string Teams =
        @"SELECT t.id AS Id, t.name_zh AS Zh, t.name_en AS En, t.site_id AS SiteId FROM teams t
          WHERE t.active = 1 AND (@SiteId IS NULL OR t.site_id = @SiteId)
            AND (@ShiftId IS NULL OR EXISTS (SELECT 1 FROM team_shifts ts WHERE ts.team_id = t.id AND ts.shift_id = @ShiftId))";

    public Task<string> ZoneAsync(long siteId) =>
        db.ReadAsync(async c => await c.ExecuteScalarAsync<string?>("SELECT time_zone FROM sites WHERE id = @siteId", new { siteId }) ?? "UTC");

    public Task<(DateTime BuiltUtc, int TookMs, int Recognitions)?> BuildAsync(long? siteId) =>
        db.ReadAsync(c => c.QuerySingleOrDefaultAsync<(DateTime, int, int)?>(
            "SELECT MIN(built_utc), MAX(took_ms), SUM(recognitions) FROM ins_builds WHERE (@siteId IS NULL OR site_id = @siteId) HAVING COUNT(*) > 0", new { siteId }));

    private async Task<List<PersonRow>> PeopleAsync(Scope s)
    {
        return (await db.ReadAsync(c => c.QueryAsync<PersonRow>(
            $@"SELECT e.id AS Id, e.site_id AS SiteId, e.team_id AS TeamId, e.roles AS Roles, COALESCE(r.gave30, 0) AS Gave30, COALESCE(r.received30, 0) AS Received30,
                      COALESCE(r.received90, 0) AS Received90, COALESCE(r.gave_reports30, 0) AS GaveReports30, COALESCE(r.gave_reports60, 0) AS GaveReports60,
                      COALESCE(r.with_points90, 0) AS WithPoints90, COALESCE(r.points90, 0) AS Points90, e.hire_day AS HireDay, e.gender AS Gender
               FROM employees e LEFT JOIN ins_person_recent r ON r.employee_id = e.id
               WHERE e.active = 1 AND (@SiteId IS NULL OR e.site_id = @SiteId)
                 AND (@ShiftId IS NULL OR e.team_id IN (SELECT ts.team_id FROM team_shifts ts WHERE ts.shift_id = @ShiftId))", s))).ToList();
    }

    private async Task<Dictionary<long, string>> TeamNamesAsync(Scope s) =>
        (await db.ReadAsync(c => c.QueryAsync<(long Id, string Zh, string En, long SiteId)>(Teams, s))).ToDictionary(t => t.Id, t => Bilingual.Pick(t.Zh, t.En));

    private static GroupRow Group(string name, IReadOnlyCollection<PersonRow> people, HashSet<string> shown)
    {
        var n = people.Count;
        var gave = people.Count(p => p.Gave30 > 0);
        var received = people.Count(p => p.Received30 > 0);
        Figure F(int value) => new(shown.Contains(Disclosure.Key(people.Select(p => p.Id))) ? value : null);
        return new GroupRow(name, n, F(gave), F(received), F(n == 0 ? 0 : 100 * gave / n), F(n == 0 ? 0 : 100 * received / n));
    }

    /// <summary>Participation — who gave and who received in the last 30 days — by team, shift and site.</summary>
    public async Task<(IReadOnlyList<GroupRow> Teams, IReadOnlyList<GroupRow> Shifts, IReadOnlyList<GroupRow> Sites)> ParticipationAsync(Scope s, Disclosed? d = null)
    {
        var (u, shown) = d ?? await DisclosedAsync();
        var groups = Groups(u, s, roles: false).ToList();
        List<GroupRow> Of(string dim) => groups.Where(g => g.Dim == dim).Select(g => Group(g.Name, g.Members, shown)).ToList();
        return (Of(TeamDim).OrderBy(g => g.Group).ToList(), Of(ShiftDim), Of(SiteDim));
    }

    /// <summary>Recognitions received by each team, week by week, for the last 52 weeks (oldest first).</summary>
    public async Task<(IReadOnlyList<int> Weeks, IReadOnlyList<HeatRow> Rows)> HeatmapAsync(Scope s, IReadOnlyCollection<long>? onlyTeams = null)
    {
        var weeks = LastWeeks(52);
        var teams = await TeamNamesAsync(s);
        if (onlyTeams is not null) teams = teams.Where(t => onlyTeams.Contains(t.Key)).ToDictionary();
        var sizes = await TeamSizesAsync(teams.Keys);
        var cells = (await db.ReadAsync(c => c.QueryAsync<(long TeamId, int Week, int Received)>(
                "SELECT team_id, week, received FROM ins_team_week WHERE team_id IN @ids AND week >= @from", new { ids = teams.Keys.ToArray(), from = weeks[0] })))
            .ToDictionary(x => (x.TeamId, x.Week), x => x.Received);
        var rows = teams.OrderBy(t => t.Value).Select(t =>
        {
            var n = sizes.GetValueOrDefault(t.Key);
            return new HeatRow(t.Key, t.Value, n, weeks.Select(w => Suppress.Of(n, cells.GetValueOrDefault((t.Key, w)))).ToList());
        }).ToList();
        return (weeks, rows);
    }

    /// <summary>Teams that received nothing from outside the team in the last <paramref name="weeks"/> weeks, and how many of each team's people did not.</summary>
    public async Task<IReadOnlyList<IslandRow>> IslandsAsync(Scope s, int weeks)
    {
        var from = LastWeeks(weeks)[0];
        var teams = await TeamNamesAsync(s);
        var sizes = await TeamSizesAsync(teams.Keys);
        await using var conn = await db.OpenAsync();
        var outside = (await conn.QueryAsync<(long TeamId, int N)>(
            "SELECT team_id, SUM(received_outside) FROM ins_team_week WHERE team_id IN @ids AND week >= @from GROUP BY team_id", new { ids = teams.Keys.ToArray(), from }))
            .ToDictionary(x => x.TeamId, x => x.N);
        var islandPeople = (await conn.QueryAsync<(long TeamId, int N)>(
            @"SELECT e.team_id, COUNT(*) FROM employees e WHERE e.active = 1 AND e.team_id IN @ids
                AND NOT EXISTS (SELECT 1 FROM ins_person_week w WHERE w.employee_id = e.id AND w.week >= @from AND w.received_outside > 0)
              GROUP BY e.team_id", new { ids = teams.Keys.ToArray(), from })).ToDictionary(x => x.TeamId, x => x.N);
        return teams.OrderBy(t => t.Value)
            .Select(t => (t, n: sizes.GetValueOrDefault(t.Key)))
            .Where(x => x.n >= Suppress.MinGroup && (outside.GetValueOrDefault(x.t.Key) == 0 || islandPeople.GetValueOrDefault(x.t.Key) > 0))
            .Select(x => new IslandRow(x.t.Value, x.n, new Figure(islandPeople.GetValueOrDefault(x.t.Key) is var k && k >= Suppress.MinGroup ? k : (k == 0 ? 0 : null)),
                outside.GetValueOrDefault(x.t.Key) == 0))
            .ToList();
    }

    /// <summary>Managers who gave no recognition to their own direct reports in the last 30 or 60 days.</summary>
    public async Task<IReadOnlyList<ManagerRow>> SilentManagersAsync(Scope s, Disclosed? d = null)
    {
        var people = d is null ? await PeopleAsync(s) : InScope(d.U, s); // a page that already holds everyone does not read them again
        var managers = await db.ReadAsync(c => c.QueryAsync<(long Id, string? Zh, string? En, int Reports)>(
            @"SELECT m.id, m.name_zh, m.name_en, COUNT(*) FROM employees e JOIN employees m ON m.id = e.manager_id
              WHERE e.active = 1 AND m.active = 1 AND (@SiteId IS NULL OR m.site_id = @SiteId) GROUP BY m.id, m.name_zh, m.name_en", s));
        var byId = people.ToDictionary(p => p.Id);
        return managers.Select(m => (m, p: byId.GetValueOrDefault(m.Id)))
            .Where(x => x.p is not null && x.p.GaveReports60 == 0 || x.p is { GaveReports30: 0 })
            .Select(x => new ManagerRow(x.m.Id, Bilingual.Pick(x.m.Zh, x.m.En), Suppress.Of(x.m.Reports, x.m.Reports), x.p?.GaveReports30 ?? 0, x.p?.GaveReports60 ?? 0))
            .OrderBy(r => r.Gave60).ThenBy(r => r.Name).ToList();
    }

    /// <summary>Teams whose last two weeks fell below half of their own average over the eight weeks before (given and received together).</summary>
    public async Task<IReadOnlyList<DropRow>> DropsAsync(Scope s)
    {
        var weeks = LastWeeks(10);
        var teams = await TeamNamesAsync(s);
        var sizes = await TeamSizesAsync(teams.Keys);
        var data = (await db.ReadAsync(c => c.QueryAsync<(long TeamId, int Week, int N)>(
            "SELECT team_id, week, received + given FROM ins_team_week WHERE team_id IN @ids AND week >= @from", new { ids = teams.Keys.ToArray(), from = weeks[0] })))
            .ToLookup(x => x.TeamId);
        var rows = new List<DropRow>();
        foreach (var (id, name) in teams.OrderBy(t => t.Value))
        {
            var n = sizes.GetValueOrDefault(id);
            if (n < Suppress.MinGroup) continue;
            var recent = data[id].Where(x => x.Week >= weeks[8]).Sum(x => x.N) / 2.0;
            var baseline = data[id].Where(x => x.Week < weeks[8]).Sum(x => x.N) / 8.0;
            if (baseline >= 2 && recent < baseline / 2) rows.Add(new DropRow(name, n, new Figure((int)Math.Round(recent)), new Figure((int)Math.Round(baseline))));
        }
        return rows;
    }

    /// <summary>Recognitions received per 10 people in the last 90 days, by site, shift, team and role (roles without a shift filter).</summary>
    public async Task<IReadOnlyList<EquityRow>> EquityAsync(Scope s, Func<string, string> label, Disclosed? d = null)
    {
        var (u, shown) = d ?? await DisclosedAsync();
        return Groups(u, s, roles: true).Select(g => new EquityRow(label(g.Dim), g.Dim == RoleDim ? label(g.Name) : g.Name, g.Members.Count,
                new Figure(shown.Contains(Disclosure.Key(g.Members.Select(p => p.Id)))
                    ? (g.Members.Count == 0 ? 0 : (int)Math.Round(10.0 * g.Members.Sum(x => x.Received90) / g.Members.Count)) : null)))
            .ToList();
    }

    /// <summary>A team's values radar (recognitions received by its members, by value, last 12 months), or null for a team under five.</summary>
    public async Task<IReadOnlyList<RadarAxis>?> TeamRadarAsync(long teamId)
    {
        await using var conn = await db.OpenAsync();
        var size = await conn.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM employees WHERE team_id = @teamId AND active = 1", new { teamId });
        if (size < Suppress.MinGroup) return null;
        var counts = (await conn.QueryAsync<(long ValueId, int N)>(
            @"SELECT v.value_id, SUM(v.n) FROM ins_person_value v JOIN employees e ON e.id = v.employee_id WHERE e.team_id = @teamId AND e.active = 1 GROUP BY v.value_id",
            new { teamId })).ToDictionary(x => x.ValueId, x => x.N);
        return await AxesAsync(conn, counts);
    }

    /// <summary>A person's own radar and monthly timeline, live (only ever shown to that person).</summary>
    public async Task<(IReadOnlyList<RadarAxis> Radar, IReadOnlyList<(int Month, int Received, int Given, int Badges)> Timeline)> MineAsync(long employeeId)
    {
        await using var conn = await db.OpenAsync();
        var since = clock.GetUtcNow().UtcDateTime.AddMonths(-12);
        var counts = (await conn.QueryAsync<(long ValueId, int N)>(
            @"SELECT COALESCE(r.value_id, b.value_id), COUNT(*) FROM recognition_recipients x JOIN recognitions r ON r.id = x.recognition_id LEFT JOIN badges b ON b.id = r.badge_id
              WHERE x.employee_id = @employeeId AND r.status = 'active' AND COALESCE(r.value_id, b.value_id) IS NOT NULL GROUP BY COALESCE(r.value_id, b.value_id)",
            new { employeeId })).ToDictionary(x => x.ValueId, x => x.N);
        var zone = (await PersonContext.LoadAsync(conn, null, employeeId))?.TimeZone ?? "UTC";
        var received = await conn.QueryAsync<DateTime>(
            @"SELECT r.created_utc FROM recognition_recipients x JOIN recognitions r ON r.id = x.recognition_id
              WHERE x.employee_id = @employeeId AND r.status = 'active' AND r.created_utc >= @since", new { employeeId, since });
        var given = await conn.QueryAsync<DateTime>("SELECT created_utc FROM recognitions WHERE giver_id = @employeeId AND source = 'peer' AND status = 'active' AND created_utc >= @since",
            new { employeeId, since });
        var badges = await conn.QueryAsync<DateTime>("SELECT created_utc FROM employee_badges WHERE employee_id = @employeeId AND created_utc >= @since", new { employeeId, since });
        int Month(DateTime utc) => SiteTime.Month(utc, zone);
        var months = Enumerable.Range(0, 12).Select(i => SiteTime.Month(SiteTime.ToLocal(clock.GetUtcNow().UtcDateTime, zone).AddMonths(i - 11))).ToList();
        var r = received.GroupBy(Month).ToDictionary(g => g.Key, g => g.Count());
        var g2 = given.GroupBy(Month).ToDictionary(g => g.Key, g => g.Count());
        var b = badges.GroupBy(Month).ToDictionary(g => g.Key, g => g.Count());
        return (await AxesAsync(conn, counts), months.Select(m => (m, r.GetValueOrDefault(m), g2.GetValueOrDefault(m), b.GetValueOrDefault(m))).ToList());
    }

    private static async Task<IReadOnlyList<RadarAxis>> AxesAsync(System.Data.Common.DbConnection conn, Dictionary<long, int> counts) =>
        (await conn.QueryAsync<(long Id, string Zh, string En)>("SELECT id, name_zh, name_en FROM core_values WHERE active = 1 ORDER BY sort_order, id"))
        .Select(v => new RadarAxis(Bilingual.Pick(v.Zh, v.En), counts.GetValueOrDefault(v.Id))).ToList();

    public async Task<IReadOnlyList<(long Id, string Name)>> SitesAsync(long? only) =>
        (await db.ReadAsync(c => c.QueryAsync<(long Id, string Zh, string En)>("SELECT id, name_zh, name_en FROM sites WHERE @only IS NULL OR id = @only ORDER BY id", new { only })))
        .Select(s => (s.Id, Bilingual.Pick(s.Zh, s.En))).ToList();

    public async Task<IReadOnlyList<(long Id, string Name)>> ShiftsAsync(long? siteId) =>
        (await db.ReadAsync(c => c.QueryAsync<(long Id, string Zh, string En)>(
            "SELECT id, name_zh, name_en FROM shifts WHERE @siteId IS NULL OR site_id = @siteId ORDER BY site_id, code", new { siteId })))
        .Select(s => (s.Id, Bilingual.Pick(s.Zh, s.En))).ToList();

    private async Task<Dictionary<long, int>> TeamSizesAsync(IEnumerable<long> teams) =>
        (await db.ReadAsync(c => c.QueryAsync<(long TeamId, int N)>(
            "SELECT team_id, COUNT(*) FROM employees WHERE active = 1 AND team_id IN @ids GROUP BY team_id", new { ids = teams.ToArray() })))
        .ToDictionary(x => x.TeamId, x => x.N);

    /// <summary>The last <paramref name="n"/> ISO weeks (yyyyww), oldest first, ending with this week.</summary>
    public List<int> LastWeeks(int n)
    {
        var today = clock.GetUtcNow().UtcDateTime.Date;
        return Enumerable.Range(0, n).Select(i => SiteTime.Week(today.AddDays(-7 * (n - 1 - i)))).ToList();
    }
}
