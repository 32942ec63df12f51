using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Recognition.Web.Features.Rewards;
using Recognition.Web.Infrastructure;

namespace Recognition.Web.Features.Admin.Rewards;

/// <summary>
/// /Admin/Rewards/Report: points outstanding (the liability) by site and team in points and money, and redemptions per
/// month by item over the last twelve months; both as CSV. A site admin sees their site; an organisation admin every site.
/// </summary>
[Authorize(Policy = Policies.Admin)]
public sealed class ReportModel(RewardQueries queries, TimeProvider clock) : PageModel
{
    [BindProperty(SupportsGet = true)] public long? Site { get; set; }
    public IReadOnlyList<(long Id, string Name)> Sites { get; private set; } = [];
    public IReadOnlyList<LiabilityRow> Liability { get; private set; } = [];
    public IReadOnlyList<MonthlyRow> Monthly { get; private set; } = [];
    public Dictionary<long, RewardSettings> Settings { get; private set; } = [];

    private AdminScope Scope => AdminScope.Of(User);

    public async Task OnGetAsync() => await LoadAsync();

    public async Task<IActionResult> OnGetCsvAsync(string? kind)
    {
        await LoadAsync();
        var stamp = clock.GetUtcNow().ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        if (kind == "monthly")
        {
            return File(Csv.Write(["site", "month", "item", "orders", "quantity", "points", "money", "currency"],
                Monthly.Select(m => (IReadOnlyList<string?>)[m.Site, $"{m.Month / 100}-{m.Month % 100:00}", m.Item, N(m.Orders), N(m.Quantity), N(m.Points),
                    MoneyValue(m.SiteId, m.Points), Settings[m.SiteId].Currency])), "text/csv; charset=utf-8", $"redemptions-{stamp}.csv");
        }
        return File(Csv.Write(["site", "team", "people", "points", "money", "currency"],
            Liability.Select(r => (IReadOnlyList<string?>)[r.Site, r.Team ?? "", N(r.People), N(r.Points), MoneyValue(r.SiteId, r.Points), Settings[r.SiteId].Currency])),
            "text/csv; charset=utf-8", $"liability-{stamp}.csv");
    }

    public string Money(long siteId, long points) => Settings[siteId].Money(points);

    private string MoneyValue(long siteId, long points) =>
        Settings[siteId].PointValueE4 == 0 ? "" : (points * Settings[siteId].PointValue).ToString("0.00", CultureInfo.InvariantCulture);

    private static string N(long n) => n.ToString(CultureInfo.InvariantCulture);

    private async Task LoadAsync()
    {
        Sites = await queries.SitesAsync(Scope);
        var site = Scope.Org ? (Site is { } s && Sites.Any(x => x.Id == s) ? s : (long?)null) : User.SiteId();
        Liability = await queries.LiabilityAsync(site);
        var local = SiteTime.ToLocal(clock.GetUtcNow().UtcDateTime, "UTC");
        Monthly = await queries.MonthlyAsync(site, SiteTime.Day(SiteTime.MonthStart(local).AddMonths(-11)));
        Settings = (await queries.SettingsAsync(Sites.Select(x => x.Id))).ToDictionary(x => x.SiteId);
    }
}
