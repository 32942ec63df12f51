using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Recognition.Web.Features.Praise;
using Recognition.Web.Features.Rewards;

using Recognition.Web.Infrastructure.Web;

namespace Recognition.Web.Features.Admin.Praise;

/// <summary>/Admin/Praise: every thank-you code of a site (each active team and area has one; opted-in people theirs), rotate, print the sheet.</summary>
[Authorize(Policy = Policies.Admin)]
public sealed class IndexModel(PraiseCodes praise, RewardQueries sites, TimeProvider clock) : FormPage
{
    [BindProperty(SupportsGet = true)] public long? Site { get; set; }
    public long SiteId { get; private set; }
    public IReadOnlyList<(long Id, string Name)> Sites { get; private set; } = [];
    public IReadOnlyList<PraiseCode> Codes { get; private set; } = [];
    public string BaseUrl { get; private set; } = "";
    public string? Message { get; private set; }

    public async Task OnGetAsync() => await LoadAsync();

    public async Task<IActionResult> OnPostRotateAsync(long id)
    {
        Message = Show(await praise.RotateAsync(id, AdminScope.Of(User), clock.GetUtcNow().UtcDateTime), "Praise.Rotated");
        await LoadAsync();
        return Page();
    }

    private async Task LoadAsync()
    {
        Sites = await sites.SitesAsync(AdminScope.Of(User));
        SiteId = Site is { } s && Sites.Any(x => x.Id == s) ? s : User.SiteId();
        Codes = await praise.SiteCodesAsync(SiteId, clock.GetUtcNow().UtcDateTime);
        BaseUrl = Infrastructure.Web.PublicUrl.Base(HttpContext);
    }
}
