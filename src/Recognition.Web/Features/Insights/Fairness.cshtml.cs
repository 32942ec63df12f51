using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Recognition.Web.Infrastructure;
using Recognition.Web.Infrastructure.Web;

namespace Recognition.Web.Features.Insights;

/// <summary>
/// /Insights/Fairness (HR, issue #37): points per recognition and the share of recognitions with points over 90 days, by
/// shift, role, tenure band and gender (where HR records it), beside the site; a group that differs by more than the
/// margin is marked and becomes a clue at the next rebuild. Groups under five, and groups whose difference with another
/// shown group would single out fewer than five, read "&lt;5".
/// </summary>
[Authorize(Policy = Policies.Admin)]
public sealed class FairnessModel(InsightsQueries q, SiteList siteList, IConfiguration config, TimeProvider clock, IStringLocalizer<SharedResource> L) : FormPage
{
    [BindProperty(SupportsGet = true)] public long? Site { get; set; }
    public IReadOnlyList<(long Id, string Name)> Sites { get; private set; } = [];
    public FairnessFigures? SiteFigures { get; private set; }
    public IReadOnlyList<FairnessRow> Rows { get; private set; } = [];
    public int Margin => InsightsQueries.FairnessMargin(config);

    public async Task<IActionResult> OnGetAsync()
    {
        if (!await LoadAsync()) return Refused();
        return Page();
    }

    public async Task<IActionResult> OnGetCsvAsync()
    {
        if (!await LoadAsync()) return Refused();
        string[] header = ["dimension", "group", "people", "received_90d", "points_per_recognition", "with_points_pct", "differs_from_site"];
        var site = SiteFigures!;
        var rows = Rows.Select(r => (IReadOnlyList<string?>)[L[r.DimKey], Label(r.GroupKey), IndexModel.People(r.Figures.People), r.Figures.Received.ToString(),
                r.Figures.PointsPerRecognition, r.Figures.WithPointsPct.ToString(), r.Flagged ? "yes" : "no"])
            .Prepend([L["Insights.Site"], Sites.First(s => s.Id == Site).Name, IndexModel.People(site.People), site.Received.ToString(), site.PointsPerRecognition,
                site.WithPointsPct.ToString(), ""]);
        return File(Csv.Write(header, rows), "text/csv; charset=utf-8", $"insights-fairness-{clock.GetUtcNow():yyyyMMdd}.csv");
    }

    public string Label(string key) => InsightsQueries.GroupLabel(key, k => L[k]);

    /// <summary>A site this admin runs (their own when none is asked for; an organisation admin's first).</summary>
    private async Task<bool> LoadAsync()
    {
        var admin = AdminScope.Of(User);
        Sites = (await siteList.ForAdminAsync(admin)).Select(s => (s.Id, s.Name)).ToList();
        Site ??= Sites.Any(s => s.Id == User.SiteId()) ? User.SiteId() : Sites.FirstOrDefault().Id;
        if (!Sites.Any(s => s.Id == Site))
        {
            Error = L["Insights.BadSite"];
            return false;
        }
        (SiteFigures, Rows) = await q.FairnessAsync(Site!.Value, Margin);
        return true;
    }

    private IActionResult Refused()
    {
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }
}
