using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Recognition.Web.Infrastructure;
using Recognition.Web.Infrastructure.Web;

namespace Recognition.Web.Features.Insights;

/// <summary>
/// /Insights (HR): participation, the team × week heatmap, islands, silent managers, drop alerts and equity for a site
/// (an organisation admin: any site or all), optionally one shift. Clues for a conversation, never verdicts; groups
/// under five people are shown as "&lt;5".
/// </summary>
[Authorize(Policy = Policies.Admin)]
public sealed class IndexModel(InsightsQueries q, SiteList siteList, InsightsBuilder builder, TimeProvider clock, IStringLocalizer<SharedResource> L, Coaching.Cadence cadence) : FormPage
{
    [BindProperty(SupportsGet = true)] public long? Site { get; set; }
    [BindProperty(SupportsGet = true)] public long? Shift { get; set; }
    [BindProperty(SupportsGet = true)] public int IslandWeeks { get; set; } = 8;
    public IReadOnlyList<(long Id, string Name)> Sites { get; private set; } = [];
    public IReadOnlyList<(long Id, string Name)> Shifts { get; private set; } = [];
    public (DateTime BuiltUtc, int TookMs, int Recognitions)? Build { get; private set; }
    public (IReadOnlyList<GroupRow> Teams, IReadOnlyList<GroupRow> Shifts, IReadOnlyList<GroupRow> Sites) Participation { get; private set; }
    public (IReadOnlyList<int> Weeks, IReadOnlyList<HeatRow> Rows) Heat { get; private set; }
    public IReadOnlyList<IslandRow> Islands { get; private set; } = [];
    public IReadOnlyList<ManagerRow> Managers { get; private set; } = [];
    /// <summary>Supervisors' recognitions and one-to-ones in 90 days (issue #37), the share of their people talked to under the k ≥ 5 rule.</summary>
    public IReadOnlyList<Coaching.CadenceRow> Cadence { get; private set; } = [];
    public IReadOnlyList<DropRow> Drops { get; private set; } = [];
    public IReadOnlyList<EquityRow> Equity { get; private set; } = [];

    private AdminScope Admin => AdminScope.Of(User);

    public async Task<IActionResult> OnGetAsync()
    {
        if (await ScopeAsync() is not { } scope) return BadRequestPage();
        await LoadAsync(scope);
        return Page();
    }

    /// <summary>Rebuilds the rollups of the sites this admin sees, now.</summary>
    public async Task<IActionResult> OnPostRebuildAsync()
    {
        var now = clock.GetUtcNow().UtcDateTime;
        foreach (var (id, _) in await AllowedSitesAsync()) await builder.RebuildAsync(id, now);
        return Redirect($"/Insights?site={Site}&shift={Shift}");
    }

    public async Task<IActionResult> OnGetCsvAsync(string? table)
    {
        if (await ScopeAsync() is not { } scope) return BadRequestPage();
        IEnumerable<IReadOnlyList<string?>> rows;
        string[] header;
        switch (table)
        {
            case "participation":
                var p = await q.ParticipationAsync(scope);
                header = ["dimension", "group", "people", "gave_30d", "received_30d", "gave_pct", "received_pct"];
                rows = p.Sites.Select(r => Row("site", r)).Concat(p.Shifts.Select(r => Row("shift", r))).Concat(p.Teams.Select(r => Row("team", r)));
                break;
            case "heatmap":
                var h = await q.HeatmapAsync(scope);
                header = ["team", "people", .. h.Weeks.Select(Charts.WeekLabel)];
                rows = h.Rows.Select(r => (IReadOnlyList<string?>)[r.Team, People(r.People), .. r.Cells.Select(c => c.ToString())]);
                break;
            case "islands":
                header = ["team", "people", "team_without_outside_thanks", "people_without_outside_thanks"];
                rows = (await q.IslandsAsync(scope, Weeks)).Select(r => (IReadOnlyList<string?>)[r.Team, People(r.People), r.TeamIsland ? "yes" : "no", r.IslandPeople.ToString()]);
                break;
            case "managers":
                header = ["manager", "direct_reports", "gave_reports_30d", "gave_reports_60d"];
                rows = (await q.SilentManagersAsync(scope)).Select(r => (IReadOnlyList<string?>)[r.Name, r.Reports.ToString(), N(r.Gave30), N(r.Gave60)]);
                break;
            case "drops":
                header = ["team", "people", "per_week_last_2", "per_week_8_before"];
                rows = (await q.DropsAsync(scope)).Select(r => (IReadOnlyList<string?>)[r.Team, People(r.People), r.Recent.ToString(), r.Baseline.ToString()]);
                break;
            case "equity":
                header = ["dimension", "group", "people", "received_per_10_people_90d"];
                rows = (await q.EquityAsync(scope, k => L[k])).Select(r => (IReadOnlyList<string?>)[r.Dimension, r.Group, People(r.People), r.PerHead10.ToString()]);
                break;
            default:
                Error = L["Insights.BadTable"];
                return BadRequestPage();
        }
        return File(Csv.Write(header, rows), "text/csv; charset=utf-8", $"insights-{table}-{clock.GetUtcNow():yyyyMMdd}.csv");
    }

    private static IReadOnlyList<string?> Row(string dim, GroupRow r) =>
        [dim, r.Group, People(r.People), r.Gave.ToString(), r.Received.ToString(), r.GavePct.ToString(), r.ReceivedPct.ToString()];

    /// <summary>A group's size is itself a figure: under five it reads "&lt;5".</summary>
    public static string People(int n) => n < Suppress.MinGroup ? "<5" : N(n);

    private static string N(int n) => n.ToString(CultureInfo.InvariantCulture);

    private int Weeks => Math.Clamp(IslandWeeks, 2, 52);

    private async Task<IReadOnlyList<(long Id, string Name)>> AllowedSitesAsync() =>
        (await siteList.ForAdminAsync(Admin)).Select(s => (s.Id, s.Name)).ToList();

    /// <summary>The filters, checked: a site this admin runs (organisation admins may leave it empty for all), a shift of that site.</summary>
    /// <summary>The time zone times on this page are shown in: the chosen site's, or the viewer's own.</summary>
    public string Zone { get; private set; } = "UTC";

    private async Task<InsightsQueries.Scope?> ScopeAsync()
    {
        Sites = await AllowedSitesAsync();
        if (Site is { } s && !Sites.Any(x => x.Id == s)) return Fail("Insights.BadSite");
        var site = Site ?? (Admin.Org ? null : User.SiteId());
        Shifts = await q.ShiftsAsync(site);
        if (Shift is { } sh && !Shifts.Any(x => x.Id == sh)) return Fail("Insights.BadShift");
        return new InsightsQueries.Scope(site, Shift);
    }

    private InsightsQueries.Scope? Fail(string key)
    {
        Error = L[key];
        return null;
    }

    private IActionResult BadRequestPage()
    {
        Error ??= L["Insights.BadSite"];
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }

    private async Task LoadAsync(InsightsQueries.Scope scope)
    {
        Build = await q.BuildAsync(scope.SiteId);
        Zone = await q.ZoneAsync(scope.SiteId ?? User.SiteId());
        var disclosed = await q.DisclosedAsync(); // one decision for every table on the page
        Participation = await q.ParticipationAsync(scope, disclosed);
        Heat = await q.HeatmapAsync(scope);
        Islands = await q.IslandsAsync(scope, Weeks);
        Managers = await q.SilentManagersAsync(scope, disclosed);
        Cadence = await cadence.ForSiteAsync(scope.SiteId);
        Drops = await q.DropsAsync(scope);
        Equity = await q.EquityAsync(scope, k => L[k], disclosed);
    }
}
