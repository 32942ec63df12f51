using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Recognition.Web.Features.Admin.People;
using Recognition.Web.Infrastructure.Web;

namespace Recognition.Web.Features.Admin.Policy;

/// <summary>/Admin/Policy: the allowance and message policy of a site (or the organisation default), and when a change takes effect.</summary>
[Authorize(Policy = Policies.Admin)]
public sealed class IndexModel(PolicyAdmin admin, AdminLookups lookups, Db db, TimeProvider clock, IStringLocalizer<SharedResource> L) : FormPage
{
    [BindProperty(SupportsGet = true)] public long? Site { get; set; }
    public PolicyStore.PolicyRow Current { get; private set; } = new();
    public bool OwnPolicy { get; private set; }
    public IReadOnlyList<Option> Sites { get; private set; } = [];
    public string? Message { get; private set; }
    public string NextMonth { get; private set; } = "";

    private AdminScope Scope => AdminScope.Of(User);

    public async Task<IActionResult> OnGetAsync(bool saved = false, int people = -1, int difference = 0)
    {
        if (!await LoadAsync()) return NotFound();
        if (saved) Message = people >= 0 ? L["Policy.SavedApplied", people, difference] : L["Policy.Saved", NextMonth];
        return Page();
    }

    public async Task<IActionResult> OnPostSaveAsync(int monthlyAllowance, int perReport, int sharePct, int dailyCap, int maxRecipients, string? pointSteps,
        int messageMin, int messageMax, bool applyNow)
    {
        var outcome = await admin.SaveAsync(Site, new PolicyForm(monthlyAllowance, perReport, sharePct, dailyCap, maxRecipients, pointSteps, messageMin, messageMax),
            applyNow, Scope, clock.GetUtcNow().UtcDateTime);
        if (!outcome.Ok)
        {
            await LoadAsync();
            return Refuse(outcome.Refusal);
        }
        return Redirect($"/Admin/Policy?site={Site}&saved=true" + (outcome.Value is { } a ? $"&people={a.People}&difference={a.PointsDifference}" : ""));
    }

    public async Task<IActionResult> OnPostDefaultAsync()
    {
        if (Site is { } s) await admin.UseDefaultAsync(s, Scope, clock.GetUtcNow().UtcDateTime);
        return Redirect($"/Admin/Policy?site={Site}&saved=true");
    }

    private async Task<bool> LoadAsync()
    {
        var scope = Scope;
        if (!scope.Org) Site ??= scope.HomeSite;
        if (Site is { } s && !scope.Covers(s)) return false;
        Sites = await lookups.SitesAsync(scope);
        await using var c = await db.OpenAsync();
        var rows = (await c.QueryAsync<PolicyStore.PolicyRow>($"SELECT {PolicyStore.Columns} FROM policies WHERE site_id IS NULL OR site_id = @Site", new { Site })).ToList();
        var own = rows.FirstOrDefault(r => r.SiteId is not null && r.SiteId == Site);
        OwnPolicy = Site is null || own is not null;
        Current = own ?? rows.FirstOrDefault(r => r.SiteId is null) ?? new PolicyStore.PolicyRow
        {
            MonthlyAllowance = 100, PerReport = 20, SharePct = 40, DailyCap = 10, MaxRecipients = 10, PointSteps = "0,5,10,20,50", MessageMin = 20, MessageMax = 500,
        };
        var zone = Site is { } id ? await c.ExecuteScalarAsync<string>("SELECT time_zone FROM sites WHERE id = @id", new { id }) ?? "UTC" : "UTC";
        var local = SiteTime.ToLocal(clock.GetUtcNow().UtcDateTime, zone);
        NextMonth = SiteTime.MonthStart(local).AddMonths(1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        return true;
    }
}
