using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Recognition.Web.Features.Admin.People;
using Recognition.Web.Features.Printing;
using Recognition.Web.Infrastructure.Web;

namespace Recognition.Web.Features.Admin.Organisation;

// Rows as the page shows them (classes with settable properties, so Dapper maps columns by alias and 0/1 to bool).
public sealed class SiteRow { public long Id { get; init; } public string Code { get; init; } = ""; public string NameZh { get; init; } = ""; public string NameEn { get; init; } = ""; public string TimeZone { get; init; } = ""; public string DefaultLocale { get; init; } = ""; public bool Active { get; init; } }
public sealed class AreaRow { public long Id { get; init; } public string NameZh { get; init; } = ""; public string NameEn { get; init; } = ""; public bool Active { get; init; } = true; }
public sealed class ShiftRow { public long Id { get; init; } public string Code { get; init; } = ""; public string NameZh { get; init; } = ""; public string NameEn { get; init; } = ""; public int StartMinute { get; init; } = 480; public int EndMinute { get; init; } = 960; public bool Active { get; init; } = true; }
public sealed class TeamRow { public long Id { get; init; } public string Code { get; init; } = ""; public string NameZh { get; init; } = ""; public string NameEn { get; init; } = ""; public string Kind { get; init; } = "standing"; public bool Active { get; init; } = true; public long[] Leaders { get; set; } = []; public long[] Shifts { get; set; } = []; }

/// <summary>/Admin/Organisation: a site, its areas, shift patterns and teams (with leaders and shifts).</summary>
[Authorize(Policy = Policies.Admin)]
public sealed class IndexModel(OrgAdmin org, AdminLookups lookups, CertificateBranding certificates, Db db, TimeProvider clock, IStringLocalizer<SharedResource> L) : FormPage
{
    public IReadOnlyList<SiteRow> Sites { get; private set; } = [];
    public SiteRow? Site { get; private set; }
    public IReadOnlyList<AreaRow> Areas { get; private set; } = [];
    public IReadOnlyList<ShiftRow> Shifts { get; private set; } = [];
    public IReadOnlyList<TeamRow> Teams { get; private set; } = [];
    public IReadOnlyList<Option> Leaders { get; private set; } = [];
    public Branding Branding { get; private set; } = Branding.None;
    public string? Message { get; private set; }

    private AdminScope Scope => AdminScope.Of(User);

    public async Task<IActionResult> OnGetAsync(long? site, bool saved = false)
    {
        if (saved) Message = L["People.Saved"];
        return await LoadAsync(site) ? Page() : NotFound();
    }

    public Task<IActionResult> OnPostSiteAsync(long? id, string? code, string? nameZh, string? nameEn, string? timeZone, string? locale, bool active) =>
        Done(id, org.SaveSiteAsync(new SiteForm(id, code, nameZh, nameEn, timeZone, locale, active), Scope, Now), created => created);

    public Task<IActionResult> OnPostAreaAsync(long site, long? id, string? nameZh, string? nameEn, bool active) =>
        Done(site, org.SaveAreaAsync(new AreaForm(id, site, nameZh, nameEn, active), Scope, Now));

    public Task<IActionResult> OnPostShiftAsync(long site, long? id, string? code, string? nameZh, string? nameEn, string? start, string? end, bool active) =>
        Done(site, org.SaveShiftAsync(new ShiftForm(id, site, code, nameZh, nameEn, start, end, active), Scope, Now));

    public Task<IActionResult> OnPostTeamAsync(long site, long? id, string? code, string? nameZh, string? nameEn, string? kind, bool active, long[]? leaders, long[]? shifts) =>
        Done(site, org.SaveTeamAsync(new TeamForm(id, site, code, nameZh, nameEn, kind, active, leaders ?? [], shifts ?? []), Scope, Now));

    /// <summary>The site's certificate issuer, signatory and logo (PNG or JPEG; an empty file keeps the logo, "remove" drops it).</summary>
    public async Task<IActionResult> OnPostCertificateAsync(long site, string? issuerZh, string? issuerEn, string? signatoryZh, string? signatoryEn, IFormFile? logo, bool removeLogo)
    {
        byte[]? bytes = null;
        if (logo is { Length: > 0 })
        {
            if (logo.Length > CertificateBranding.LogoMaxBytes) return await Done(site, Task.FromResult(Outcome.Refused("Certificate.LogoTooLarge", CertificateBranding.LogoMaxBytes / 1024, CertificateBranding.LogoMaxPixels)));
            using var ms = new MemoryStream();
            await logo.CopyToAsync(ms);
            bytes = ms.ToArray();
        }
        return await Done(site, certificates.SaveAsync(new BrandingForm(site, issuerZh, issuerEn, signatoryZh, signatoryEn, bytes, removeLogo), Scope, Now));
    }

    public async Task<IActionResult> OnGetLogoAsync(long site)
    {
        if (!Scope.Covers(site) || await certificates.LogoAsync(site) is not { } logo) return NotFound();
        return File(logo.Bytes, logo.Type);
    }

    /// <summary>A sample certificate with the site's settings, to see them before a real one is printed.</summary>
    public async Task<IActionResult> OnGetSampleAsync(long site)
    {
        if (!Scope.Covers(site)) return NotFound();
        await using var c = await db.OpenAsync();
        var s = await c.QuerySingleOrDefaultAsync<(string Zh, string En, string Tz)>("SELECT name_zh, name_en, time_zone FROM sites WHERE id = @site", new { site });
        var badge = await c.QueryFirstOrDefaultAsync<(string Zh, string En, string Icon, string Color)>(
            "SELECT name_zh, name_en, icon, color FROM badges WHERE active = 1 AND kind = 'peer' ORDER BY id");
        var sample = new Certificate(L["Certificate.SampleName"], L["Certificate.SampleName"], badge.Zh, badge.En, null, null, L["Certificate.SampleMessage"],
            User.Identity?.Name, User.Identity?.Name, SiteTime.ToLocal(Now, s.Tz).ToString("yyyy-MM-dd"), s.Zh, s.En, $"{PublicUrl.Base(HttpContext)}/verify/sample")
        {
            Icon = badge.Icon, Color = badge.Color, Branding = await certificates.ForSiteAsync(site),
        };
        return File(CertificatePdf.Render([sample]), "application/pdf", "certificate-sample.pdf");
    }

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    private async Task<IActionResult> Done(long? site, Task<Outcome> save, Func<long, long>? siteOfNew = null)
    {
        var outcome = await save;
        if (outcome.Ok) return Redirect($"/Admin/Organisation?site={site ?? siteOfNew?.Invoke(outcome.Id!.Value)}&saved=true");
        await LoadAsync(site is { } s && Scope.Covers(s) ? s : null);
        return Refuse(outcome);
    }

    private async Task<bool> LoadAsync(long? site)
    {
        var scope = Scope;
        var id = site ?? scope.HomeSite;
        if (!scope.Covers(id)) return false;
        await using var c = await db.OpenAsync();
        Sites = (await c.QueryAsync<SiteRow>(
            "SELECT id AS Id, code AS Code, name_zh AS NameZh, name_en AS NameEn, time_zone AS TimeZone, default_locale AS DefaultLocale, active AS Active FROM sites WHERE @org = 1 OR id = @home ORDER BY code",
            new { org = scope.Org ? 1 : 0, home = scope.HomeSite })).ToList();
        Site = Sites.FirstOrDefault(s => s.Id == id);
        if (Site is null) return false;
        Areas = (await c.QueryAsync<AreaRow>("SELECT id AS Id, name_zh AS NameZh, name_en AS NameEn, active AS Active FROM site_areas WHERE site_id = @id ORDER BY active DESC, id", new { id })).ToList();
        Shifts = (await c.QueryAsync<ShiftRow>("SELECT id AS Id, code AS Code, name_zh AS NameZh, name_en AS NameEn, start_minute AS StartMinute, end_minute AS EndMinute, active AS Active FROM shifts WHERE site_id = @id ORDER BY active DESC, start_minute", new { id })).ToList();
        var leaders = (await c.QueryAsync<(long Team, long Person)>("SELECT tl.team_id, tl.employee_id FROM team_leaders tl JOIN teams t ON t.id = tl.team_id WHERE t.site_id = @id", new { id })).ToLookup(x => x.Team, x => x.Person);
        var shifts = (await c.QueryAsync<(long Team, long Shift)>("SELECT ts.team_id, ts.shift_id FROM team_shifts ts JOIN teams t ON t.id = ts.team_id WHERE t.site_id = @id", new { id })).ToLookup(x => x.Team, x => x.Shift);
        Teams = (await c.QueryAsync<TeamRow>(
                "SELECT id AS Id, code AS Code, name_zh AS NameZh, name_en AS NameEn, kind AS Kind, active AS Active FROM teams WHERE site_id = @id ORDER BY active DESC, code", new { id })).ToList();
        foreach (var t in Teams) (t.Leaders, t.Shifts) = ([.. leaders[t.Id]], [.. shifts[t.Id]]);
        Leaders = await lookups.ManagersAsync(id, scope);
        Branding = (await CertificateBranding.ForSitesAsync(c, [id])).GetValueOrDefault(id, Branding.None);
        return true;
    }
}
