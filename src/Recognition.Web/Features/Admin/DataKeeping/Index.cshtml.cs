using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Recognition.Web.Features.Admin.People;
using Recognition.Web.Features.Credentials;
using Recognition.Web.Features.Me;
using Recognition.Web.Infrastructure.Web;

namespace Recognition.Web.Features.Admin.DataKeeping;

/// <summary>
/// /Admin/DataKeeping: a site's retention of leavers' free text (with a dry-run count before anything is removed), and
/// the organisation's credential signing keys (organisation admins rotate them).
/// </summary>
[Authorize(Policy = Policies.Admin)]
public sealed class IndexModel(RetentionService retention, IssuerKeys keys, AdminLookups lookups) : FormPage
{
    [BindProperty(SupportsGet = true)] public long? Site { get; set; }
    public IReadOnlyList<Option> Sites { get; private set; } = [];
    public int? Years { get; private set; }
    /// <summary>What the admin typed when it was refused: shown back in the box, not the saved value.</summary>
    public string? Typed { get; private set; }
    public IReadOnlyList<RetentionCount>? Counts { get; private set; }
    public bool Applied { get; private set; }
    public bool Saved { get; private set; }
    public IReadOnlyList<IssuerKey> Keys { get; private set; } = [];
    public bool MayRotate => User.IsOrgAdmin();

    private AdminScope Scope => AdminScope.Of(User);
    private string? Ip => HttpContext.Connection.RemoteIpAddress?.ToString();

    public async Task<IActionResult> OnGetAsync(bool saved = false)
    {
        Saved = saved;
        return await LoadAsync() ? Page() : NotFound();
    }

    public async Task<IActionResult> OnPostSaveAsync(string? years)
    {
        if (!await LoadAsync()) return NotFound();
        int? value = null;
        if (!string.IsNullOrWhiteSpace(years))
        {
            if (!int.TryParse(years, out var y) || y is < 1 or > 50)
            {
                Typed = years.Trim();
                return Refuse("Retention.BadYears");
            }
            value = y;
        }
        await retention.SaveAsync(Site!.Value, value, Scope.ActorId, Ip);
        return Redirect($"/Admin/DataKeeping?site={Site}&saved=true");
    }

    public async Task<IActionResult> OnPostDryRunAsync()
    {
        if (!await LoadAsync()) return NotFound();
        if (Years is null) return Refuse("Retention.NoPolicy");
        Counts = await retention.DryRunAsync(Site!.Value);
        return Page();
    }

    public async Task<IActionResult> OnPostApplyAsync()
    {
        if (!await LoadAsync()) return NotFound();
        if (Years is null) return Refuse("Retention.NoPolicy");
        Counts = await retention.ApplyAsync(Site!.Value, Scope.ActorId, Ip);
        Applied = true;
        return Page();
    }

    public async Task<IActionResult> OnPostRotateAsync()
    {
        if (!await LoadAsync()) return NotFound();
        if (!MayRotate) return Refuse("Keys.OrgOnly");
        await keys.RotateAsync(Scope.ActorId, Ip);
        return Redirect($"/Admin/DataKeeping?site={Site}&saved=true#keys");
    }

    private async Task<bool> LoadAsync()
    {
        Site ??= Scope.HomeSite;
        if (Site is not { } s || !Scope.Covers(s)) return false;
        Sites = await lookups.SitesAsync(Scope);
        Years = await retention.YearsAsync(s);
        Keys = await keys.AllAsync();
        return true;
    }
}
