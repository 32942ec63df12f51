namespace Recognition.Web.Features.Insights;

/// <summary>The groups behind participation and equity, for one filter combination and for all of them (what <see cref="Disclosure"/> decides over).</summary>
public sealed partial class InsightsQueries
{
    private const string SiteDim = "Insights.Site", ShiftDim = "Insights.Shift", TeamDim = "Insights.Team", RoleDim = "Insights.Role",
        TenureDim = "Insights.Tenure", GenderDim = "Insights.Gender";

    /// <summary>Tenure bands by whole years since the hire date: under 1, 1–3, 3–10, 10 and more (no hire date: in none).</summary>
    internal static readonly (string Key, int From, int To)[] TenureBands =
        [("Insights.TenureUnder1", 0, 1), ("Insights.Tenure1to3", 1, 3), ("Insights.Tenure3to10", 3, 10), ("Insights.Tenure10Plus", 10, int.MaxValue)];

    internal static readonly string[] Genders = ["f", "m", "x"];

    /// <summary>Whole years between a hire day and today (both yyyymmdd).</summary>
    internal static int Years(int hireDay, int today) => (today - hireDay) / 10000;

    /// <summary>Everything the group figures are made of, for every site: active people, teams, shifts and sites.</summary>
    internal sealed record Universe(List<PersonRow> People, List<(long Id, string Name, long SiteId)> Teams,
        List<(long Id, string Name, long SiteId, HashSet<long> Teams)> Shifts, IReadOnlyList<(long Id, string Name)> Sites, int Today);

    /// <summary>The people and groups, and which groups may be shown: decided once for a page that shows several tables.</summary>
    public sealed class Disclosed
    {
        internal Disclosed(Universe u, HashSet<string> shown) => (U, Shown) = (u, shown);

        internal Universe U { get; }
        internal HashSet<string> Shown { get; }

        internal void Deconstruct(out Universe u, out HashSet<string> shown) => (u, shown) = (U, Shown);
    }

    private readonly Disclosure.Memo _decisions = new();

    /// <summary>
    /// The people and the groups that may be shown. The decision depends only on who belongs to which site, team, shift,
    /// role, tenure band and gender, so it is made again only when that membership changed since the last one.
    /// </summary>
    public async Task<Disclosed> DisclosedAsync()
    {
        var u = await UniverseAsync();
        return new Disclosed(u, _decisions.Get(0, Membership(u), () => Released(u)));
    }

    /// <summary>
    /// A digest of everything <see cref="Released"/> reads: people's site, team, roles, tenure band and gender; which teams,
    /// shifts and sites there are. Names are left out: they only order the groups, and they differ by the viewer's language.
    /// </summary>
    private static byte[] Membership(Universe u)
    {
        using var buffer = new MemoryStream();
        using var w = new BinaryWriter(buffer);
        foreach (var p in u.People.OrderBy(p => p.Id))
        {
            w.Write(p.Id);
            w.Write(p.SiteId);
            w.Write(p.TeamId ?? 0);
            w.Write(p.Roles);
            w.Write(p.HireDay is { } h ? Array.FindIndex(TenureBands, b => Years(h, u.Today) >= b.From && Years(h, u.Today) < b.To) : -2);
            w.Write(p.Gender ?? "");
        }
        foreach (var t in u.Teams.OrderBy(t => t.Id)) { w.Write(t.Id); w.Write(t.SiteId); }
        foreach (var sh in u.Shifts)
        {
            w.Write(sh.Id);
            w.Write(sh.SiteId);
            foreach (var team in sh.Teams.Order()) w.Write(team);
            w.Write(-1L);
        }
        foreach (var site in u.Sites) w.Write(site.Id);
        w.Flush();
        return System.Security.Cryptography.SHA256.HashData(buffer.ToArray());
    }

    private async Task<Universe> UniverseAsync()
    {
        var all = new Scope(null, null);
        var teams = (await db.ReadAsync(c => c.QueryAsync<(long Id, string Zh, string En, long SiteId)>(Teams, all))).Select(t => (t.Id, Bilingual.Pick(t.Zh, t.En), t.SiteId)).ToList();
        var shifts = (await db.ReadAsync(c => c.QueryAsync<(long Id, string Zh, string En, long SiteId, long TeamId)>(
                "SELECT sh.id, sh.name_zh, sh.name_en, sh.site_id, ts.team_id FROM shifts sh JOIN team_shifts ts ON ts.shift_id = sh.id")))
            .GroupBy(x => (x.Id, x.Zh, x.En, x.SiteId)).OrderBy(g => g.Key.Id)
            .Select(g => (g.Key.Id, Bilingual.Pick(g.Key.Zh, g.Key.En), g.Key.SiteId, g.Select(x => x.TeamId).ToHashSet())).ToList();
        return new Universe(await PeopleAsync(all), teams, shifts, await SitesAsync(null), SiteTime.Day(clock.GetUtcNow().UtcDateTime));
    }

    /// <summary>
    /// The groups one filter combination shows: sites, shifts and teams (each with the people the filter leaves), and
    /// with <paramref name="roles"/> the role breakdown (admins, supervisors, everyone else), and with <paramref name="fairness"/>
    /// tenure bands and (where HR records it) gender, each its own family: these are shown without a shift filter only.
    /// </summary>
    private static IEnumerable<(string Dim, string Name, int Family, long? SiteId, int Cost, List<PersonRow> Members)> Groups(Universe u, Scope s, bool roles,
        bool fairness = false)
    {
        var shift = s.ShiftId is { } sid ? u.Shifts.FirstOrDefault(x => x.Id == sid) : default;
        if (s.ShiftId is not null && shift.Teams is null) yield break;
        var people = InScope(u, s);
        var byTeam = people.Where(p => p.TeamId is not null).ToLookup(p => p.TeamId!.Value);
        var bySite = people.ToLookup(p => p.SiteId);
        foreach (var site in u.Sites.Where(x => s.SiteId is null || x.Id == s.SiteId))
            yield return (SiteDim, site.Name, 0, site.Id, 4, bySite[site.Id].ToList());
        foreach (var sh in u.Shifts.Where(x => (s.SiteId is null || x.SiteId == s.SiteId) && (s.ShiftId is null || x.Id == s.ShiftId)))
            yield return (ShiftDim, sh.Name, 0, sh.SiteId, 2, sh.Teams.SelectMany(t => byTeam[t]).ToList());
        foreach (var t in u.Teams.Where(x => (s.SiteId is null || x.SiteId == s.SiteId) && (shift.Teams is null || shift.Teams.Contains(x.Id))).OrderBy(x => x.Name))
            yield return (TeamDim, t.Name, 0, t.SiteId, 1, byTeam[t.Id].ToList());
        if (!roles || s.ShiftId is not null) yield break;
        yield return (RoleDim, "Role." + Roles.Admin, 1, s.SiteId, 1, people.Where(p => ((Roles)p.Roles).HasFlag(Roles.Admin)).ToList());
        yield return (RoleDim, "Role." + Roles.Supervisor, 1, s.SiteId, 1,
            people.Where(p => ((Roles)p.Roles & (Roles.Admin | Roles.Supervisor)) == Roles.Supervisor).ToList());
        yield return (RoleDim, "Insights.RoleEmployee", 1, s.SiteId, 1, people.Where(p => ((Roles)p.Roles & (Roles.Admin | Roles.Supervisor)) == 0).ToList());
        if (!fairness) yield break;
        foreach (var (key, from, to) in TenureBands)
            yield return (TenureDim, key, 2, s.SiteId, 1, people.Where(p => p.HireDay is { } h && Years(h, u.Today) is var y && y >= from && y < to).ToList());
        foreach (var g in Genders)
            yield return (GenderDim, "Insights.Gender." + g, 3, s.SiteId, 1, people.Where(p => p.Gender == g).ToList());
    }

    /// <summary>The active people a filter leaves: of the site (or all), in a team of the shift (when one is chosen).</summary>
    private static List<PersonRow> InScope(Universe u, Scope s)
    {
        var shift = s.ShiftId is { } sid ? u.Shifts.FirstOrDefault(x => x.Id == sid) : default;
        if (s.ShiftId is not null && shift.Teams is null) return [];
        return u.People.Where(p => (s.SiteId is null || p.SiteId == s.SiteId) && (shift.Teams is null || shift.Teams.Contains(p.TeamId ?? 0))).ToList();
    }

    /// <summary>Every filter combination an admin can ask for: all sites or one, no shift or one of that site's shifts.</summary>
    private static IEnumerable<Scope> AllScopes(Universe u) =>
        new[] { new Scope(null, null) }
            .Concat(u.Shifts.Select(sh => new Scope(null, sh.Id)))
            .Concat(u.Sites.SelectMany(site => u.Shifts.Where(sh => sh.SiteId == site.Id).Select(sh => (long?)sh.Id).Prepend(null).Select(sh => new Scope(site.Id, sh))));

    /// <summary>The member sets whose participation, equity and fairness figures may be shown (<see cref="Disclosure"/>): the same for every admin.</summary>
    private static HashSet<string> Released(Universe u) =>
        Disclosure.Released(AllScopes(u).SelectMany(s => Groups(u, s, roles: true, fairness: true))
            .Select(g => new Disclosure.Candidate(g.Family, g.SiteId, g.Cost, g.Members.Select(p => p.Id).ToList())));
}
