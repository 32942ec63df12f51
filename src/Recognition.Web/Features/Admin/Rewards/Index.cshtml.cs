using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Recognition.Web.Features.Rewards;
using Recognition.Web.Infrastructure.Web;

namespace Recognition.Web.Features.Admin.Rewards;

/// <summary>/Admin/Rewards: a site's catalogue and its reward settings (points-to-money rate, second approval, expiry).</summary>
[Authorize(Policy = Policies.Admin)]
public sealed class IndexModel(RewardCatalogue catalogue, RewardQueries queries, TimeProvider clock, IStringLocalizer<SharedResource> L) : FormPage
{
    [BindProperty(SupportsGet = true)] public long? Site { get; set; }
    public long SiteId { get; private set; }
    public IReadOnlyList<(long Id, string Name)> Sites { get; private set; } = [];
    public IReadOnlyList<RewardRow> Items { get; private set; } = [];
    public RewardSettings Settings { get; private set; } = RewardSettings.Default(0);
    public string? Message { get; private set; }

    private AdminScope Scope => AdminScope.Of(User);

    public async Task OnGetAsync(bool saved = false)
    {
        if (saved) Message = L["Rewards.SettingsSaved"];
        await LoadAsync();
    }

    public async Task<IActionResult> OnPostSettingsAsync(string? pointValue, string? currency, int? secondApproval, int? expiryMonths)
    {
        await LoadAsync();
        var outcome = await catalogue.SaveSettingsAsync(new SettingsForm(SiteId, pointValue, currency, secondApproval, expiryMonths), Scope, clock.GetUtcNow().UtcDateTime);
        if (outcome.Ok) return Redirect($"/Admin/Rewards?site={SiteId}&saved=true");
        return Refuse(outcome);
    }

    private async Task LoadAsync()
    {
        Sites = await queries.SitesAsync(Scope);
        SiteId = Site is { } s && Sites.Any(x => x.Id == s) ? s : User.SiteId();
        Items = await queries.SiteCatalogueAsync(SiteId);
        Settings = await queries.SettingsAsync(SiteId);
    }
}
