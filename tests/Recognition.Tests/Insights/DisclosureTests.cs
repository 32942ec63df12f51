using Dapper;
using Recognition.Tests.Support;
using Recognition.Web.Features.Insights;
using Recognition.Web.Infrastructure.Auth;

namespace Recognition.Tests.Insights;

/// <summary>
/// Complementary suppression: small and large teams across shifts, roles and two sites; every figure the insights show
/// through every filter combination is collected with the people it is about, and no sum or difference of them may
/// single out fewer than five people. The same check finds the leak in the old rule (hide only groups under five).
/// </summary>
public sealed class DisclosureTests : IAsyncLifetime
{
    private readonly AppFactory _app = new();
    private World _w = null!;

    public Task DisposeAsync() => _app.DisposeAsync().AsTask();

    public async Task InitializeAsync()
    {
        _w = await World.CreateAsync(_app, crowd: 12);
        await _w.AddSecondSiteAsync(_app);
        await _app.Db.WriteAsync(async (c, t) =>
        {
            var d = _app.Db.Dialect;
            var n = 0;
            async Task<long> Team(long site, string code, int size, Roles extra = 0)
            {
                var team = await c.QuerySingleAsync<long>(d.InsertReturningId("teams", "site_id, code, name_zh, name_en, kind", "@site, @code, @code, @code, 'standing'"), new { site, code }, t);
                for (var i = 0; i < size; i++)
                {
                    var roles = (int)(Roles.Employee | (i == 0 ? extra : 0));
                    await c.ExecuteAsync("INSERT INTO employees (site_id, team_id, employee_no, name_zh, roles, created_utc) VALUES (@site, @team, @no, @no, @roles, @now)",
                        new { site, team, no = $"K{n++}", roles, now = DateTime.UtcNow }, t);
                }
                return team;
            }
            async Task Shift(long site, string code, params long[] teams)
            {
                var shift = await c.QuerySingleAsync<long>(d.InsertReturningId("shifts", "site_id, code, name_zh, name_en, start_minute, end_minute", "@site, @code, @code, @code, 480, 960"), new { site, code }, t);
                foreach (var team in teams) await c.ExecuteAsync("INSERT INTO team_shifts (team_id, shift_id) VALUES (@team, @shift)", new { team, shift }, t);
            }
            // The finding: a night shift of a 3-person team and a 6-person team (shift − big team = the small team).
            var three = await Team(_w.SiteId, "THREE", 3);
            var six = await Team(_w.SiteId, "SIX", 6, Roles.Supervisor);
            await Shift(_w.SiteId, "NIGHT", three, six);
            await Shift(_w.SiteId, "DAY", _w.TeamA, _w.TeamB);
            var seven = await Team(_w.SiteId, "SEVEN", 7, Roles.Supervisor);
            await Shift(_w.SiteId, "SWING", seven, _w.TeamB); // a team on two shifts
            await Team(_w.SiteId, "TWO", 2); // on no shift
            var big = await Team(_w.SiteB, "BIG", 9, Roles.Admin);
            var four = await Team(_w.SiteB, "FOUR", 4);
            await Shift(_w.SiteB, "B1", big, four, _w.TeamC);
            // Fairness breakdowns (another two families): women are team A and one of SEVEN, so "women − team A" is one
            // person; tenure bands cut across teams, the "under a year" band being SEVEN plus TWO (7 + 2).
            await c.ExecuteAsync("UPDATE employees SET gender = 'f' WHERE team_id = @a OR id = (SELECT MIN(id) FROM employees WHERE team_id = @seven)", new { a = _w.TeamA, seven }, t);
            await c.ExecuteAsync("UPDATE employees SET gender = 'm' WHERE gender IS NULL AND site_id = @site", new { site = _w.SiteId }, t);
            await c.ExecuteAsync("UPDATE employees SET hire_day = 20260301 WHERE team_id IN (SELECT id FROM teams WHERE code IN ('SEVEN', 'TWO'))", transaction: t);
            await c.ExecuteAsync("UPDATE employees SET hire_day = 20180301 WHERE hire_day IS NULL", transaction: t);
        });
    }

    private sealed class Person
    {
        public long Id { get; init; }
        public long SiteId { get; init; }
        public long? TeamId { get; init; }
        public int Roles { get; init; }
        public int? HireDay { get; init; }
        public string? Gender { get; init; }
    }

    [Fact]
    public async Task No_sum_or_difference_of_the_figures_any_filter_shows_singles_out_fewer_than_five_people()
    {
        var q = _app.Get<InsightsQueries>();
        var people = await DbProbe.QueryAsync<Person>(_app.Db, "SELECT id AS Id, site_id AS SiteId, team_id AS TeamId, roles AS Roles, hire_day AS HireDay, gender AS Gender FROM employees WHERE active = 1");
        var teamIds = (await DbProbe.QueryAsync<(long Id, string Zh, string En)>(_app.Db, "SELECT id, name_zh, name_en FROM teams"))
            .SelectMany(x => new[] { (x.Zh, x.Id), (x.En, x.Id) }).DistinctBy(x => x.Item1).ToDictionary(x => x.Item1, x => x.Id);
        var shifts = (await DbProbe.QueryAsync<(long Id, long SiteId, string Code, long TeamId)>(_app.Db,
            "SELECT s.id, s.site_id, s.code, ts.team_id FROM shifts s JOIN team_shifts ts ON ts.shift_id = s.id")).ToList();
        var siteNames = (await DbProbe.QueryAsync<(long Id, string Zh, string En)>(_app.Db, "SELECT id, name_zh, name_en FROM sites"))
            .SelectMany(x => new[] { (x.Zh, x.Id), (x.En, x.Id) }).ToDictionary(x => x.Item1, x => x.Id);

        var released = new List<HashSet<long>>(); // what the app shows, as the people each figure is about
        var naive = new List<HashSet<long>>();    // what "hide groups under five" alone would show
        var scopes = new List<InsightsQueries.Scope> { new(null, null) };
        scopes.AddRange(shifts.Select(s => s.Id).Distinct().Select(s => new InsightsQueries.Scope(null, s)));
        foreach (var site in new[] { _w.SiteId, _w.SiteB })
        {
            scopes.Add(new(site, null));
            scopes.AddRange(shifts.Where(s => s.SiteId == site).Select(s => s.Id).Distinct().Select(s => new InsightsQueries.Scope(site, s)));
        }
        foreach (var scope in scopes)
        {
            var inScope = people.Where(p => (scope.SiteId is null || p.SiteId == scope.SiteId)
                && (scope.ShiftId is null || shifts.Any(s => s.Id == scope.ShiftId && s.TeamId == p.TeamId))).ToList();
            HashSet<long> Members(string dim, string group) => dim switch
            {
                "site" => inScope.Where(p => p.SiteId == siteNames[group]).Select(p => p.Id).ToHashSet(),
                "shift" => inScope.Where(p => shifts.Any(s => s.Code == group && s.TeamId == p.TeamId)).Select(p => p.Id).ToHashSet(),
                "team" => inScope.Where(p => p.TeamId == teamIds[group]).Select(p => p.Id).ToHashSet(),
                "Role.Admin" => inScope.Where(p => ((Roles)p.Roles).HasFlag(Roles.Admin)).Select(p => p.Id).ToHashSet(),
                "Role.Supervisor" => inScope.Where(p => ((Roles)p.Roles & (Roles.Admin | Roles.Supervisor)) == Roles.Supervisor).Select(p => p.Id).ToHashSet(),
                "Insights.RoleEmployee" => inScope.Where(p => ((Roles)p.Roles & (Roles.Admin | Roles.Supervisor)) == 0).Select(p => p.Id).ToHashSet(),
                "Insights.Gender.f" or "Insights.Gender.m" or "Insights.Gender.x" => inScope.Where(p => "Insights.Gender." + p.Gender == group).Select(p => p.Id).ToHashSet(),
                "Insights.TenureUnder1" => inScope.Where(p => p.HireDay is > 20251118).Select(p => p.Id).ToHashSet(),
                "Insights.Tenure3to10" => inScope.Where(p => p.HireDay is > 20161118 and <= 20231118).Select(p => p.Id).ToHashSet(),
                "Insights.Tenure1to3" or "Insights.Tenure10Plus" => [],
                _ => throw new InvalidOperationException($"{dim} {group}"),
            };
            void Collect(string dim, string group, int people, bool hidden)
            {
                var members = Members(dim, group);
                Assert.Equal(members.Count, people); // the test knows who each figure is about
                if (!hidden) released.Add(members);
                if (members.Count >= Suppress.MinGroup) naive.Add(members);
            }
            var p = await q.ParticipationAsync(scope);
            foreach (var (dim, rows) in new[] { ("team", p.Teams), ("shift", p.Shifts), ("site", p.Sites) })
                foreach (var r in rows) Collect(dim, r.Group, r.People, r.Gave.Hidden);
            foreach (var e in await q.EquityAsync(scope, k => k))
                Collect(e.Dimension switch { "Insights.Site" => "site", "Insights.Shift" => "shift", "Insights.Team" => "team", _ => e.Group }, e.Group, e.People, e.PerHead10.Hidden);
            if (scope is { SiteId: { } site, ShiftId: null })
            {
                var (siteFigures, rows) = await q.FairnessAsync(site, 20);
                Collect("site", siteNames.First(x => x.Value == site).Key, siteFigures.People, siteFigures.Received.Hidden);
                foreach (var f in rows) Collect(f.DimKey == "Insights.Shift" ? "shift" : f.GroupKey, f.GroupKey, f.Figures.People, f.Figures.Received.Hidden);
            }
        }

        Assert.All(released, r => Assert.True(r.Count >= Suppress.MinGroup));
        Assert.Null(Isolated(released));
        Assert.NotNull(Isolated(naive)); // the check finds the leak the old rule had
        // Large teams are still shown, and so is the site.
        Assert.Contains(released, r => r.SetEquals(people.Where(x => x.TeamId == _w.TeamA).Select(x => x.Id)));
        Assert.Contains(released, r => r.SetEquals(people.Where(x => x.SiteId == _w.SiteId).Select(x => x.Id)));
        // The women of site one are team A plus one: their figures are hidden (and so are the men, the site minus them);
        // at site two the shift is shown in the fairness table as it is in the others.
        var fairness = (await q.FairnessAsync(_w.SiteId, 20)).Rows;
        Assert.True(fairness.Single(f => f.GroupKey == "Insights.Gender.f").Figures.Received.Hidden);
        Assert.True(fairness.Single(f => f.GroupKey == "Insights.Gender.m").Figures.Received.Hidden);
        Assert.False((await q.FairnessAsync(_w.SiteB, 20)).Rows.Single(f => f.GroupKey == "B1").Figures.Received.Hidden);
    }

    [Fact]
    public async Task The_decision_is_reused_while_membership_stays_and_made_again_as_soon_as_it_changes()
    {
        var q = _app.Get<InsightsQueries>();
        var teamA = (await DbProbe.QueryAsync<long>(_app.Db, "SELECT id FROM employees WHERE team_id = @a AND active = 1", new { a = _w.TeamA })).ToList();
        Assert.True(teamA.Count > Suppress.MinGroup);
        var first = await q.DisclosedAsync();
        Assert.Contains(Disclosure.Key(teamA), first.Shown);
        Assert.Same(first.Shown, (await q.DisclosedAsync()).Shown); // nothing changed: the same decision

        // Team A shrinks to four: its figures are hidden on the next load, not after some cache expires.
        var moved = teamA.Skip(Suppress.MinGroup - 1).ToArray();
        await _app.Db.WriteAsync((c, t) => c.ExecuteAsync("UPDATE employees SET team_id = @b WHERE id IN @moved", new { b = _w.TeamB, moved }, t));
        var after = await q.DisclosedAsync();
        Assert.NotSame(first.Shown, after.Shown);
        Assert.DoesNotContain(Disclosure.Key(teamA.Take(Suppress.MinGroup - 1)), after.Shown);
        var row = (await q.ParticipationAsync(new InsightsQueries.Scope(_w.SiteId, null), after)).Teams.Single(r => r.Group is "冲压一线" or "Stamping 1");
        Assert.Equal(Suppress.MinGroup - 1, row.People);
        Assert.True(row.Gave.Hidden);

        // Back as they were: the same groups are shown as at first.
        await _app.Db.WriteAsync((c, t) => c.ExecuteAsync("UPDATE employees SET team_id = @a WHERE id IN @moved", new { a = _w.TeamA, moved }, t));
        Assert.Equal(first.Shown.Order(), (await q.DisclosedAsync()).Shown.Order());
    }

    /// <summary>
    /// A group of 1–4 people that some released figure minus a sum of other released figures (disjoint, inside it) is about;
    /// or, across any two released groups, what one has and the other lacks when the other lies inside it. Null when none.
    /// </summary>
    private static string? Isolated(List<HashSet<long>> released)
    {
        var sets = released.DistinctBy(s => string.Join(',', s.Order())).ToList();
        foreach (var whole in sets)
        {
            var inside = sets.Where(s => s.Count < whole.Count && s.IsSubsetOf(whole)).OrderByDescending(s => s.Count).ToList();
            string? Search(int from, HashSet<long> covered)
            {
                var rest = whole.Count - covered.Count;
                if (covered.Count > 0 && rest is > 0 and < Suppress.MinGroup) return $"{whole.Count} people minus {covered.Count} leaves {rest}";
                for (var i = from; i < inside.Count; i++)
                {
                    if (inside[i].Overlaps(covered)) continue;
                    if (Search(i + 1, [.. covered, .. inside[i]]) is { } found) return found;
                }
                return null;
            }
            if (Search(0, []) is { } leak) return leak;
        }
        return null;
    }
}
