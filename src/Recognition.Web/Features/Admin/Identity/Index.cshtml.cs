using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Recognition.Web.Features.Admin.People;
using Recognition.Web.Features.Scim;
using Recognition.Web.Features.Sso;
using Recognition.Web.Infrastructure.Web;

namespace Recognition.Web.Features.Admin.Identity;

/// <summary>
/// /Admin/Identity: the organisation's identity provider (organisation admins edit it; the client secret is never shown
/// back, an empty field keeps it) and the directory's SCIM tokens per site (shown once when created, revocable).
/// </summary>
[Authorize(Policy = Policies.Admin)]
public sealed class IndexModel(SsoSettingsStore sso, ScimTokens tokens, AdminLookups lookups, TimeProvider clock) : FormPage
{
    public SsoSettings Settings { get; private set; } = SsoSettings.Off;
    public bool FromEnvironment => sso.FromEnvironment;
    public IReadOnlyList<ScimTokens.TokenRow> Tokens { get; private set; } = [];
    public IReadOnlyList<Option> Sites { get; private set; } = [];
    public IReadOnlyList<Option> Teams { get; private set; } = [];
    public string? Saved { get; private set; }
    public string? NewToken { get; private set; }
    public string ScimUrl => PublicUrl.Base(HttpContext) + "/scim/v2";
    public string CallbackUrl => PublicUrl.Base(HttpContext) + SsoDefaults.CallbackPath;
    public string BackchannelUrl => PublicUrl.Base(HttpContext) + SsoLogout.BackchannelPath;
    public string FrontchannelUrl => PublicUrl.Base(HttpContext) + SsoDefaults.FrontchannelPath;

    [BindProperty] public bool Enabled { get; set; }
    [BindProperty] public string? DisplayName { get; set; }
    [BindProperty] public string? Issuer { get; set; }
    [BindProperty] public string? ClientId { get; set; }
    [BindProperty] public string? ClientSecret { get; set; }
    [BindProperty] public string? EmployeeClaim { get; set; }
    [BindProperty] public string? EmailDomains { get; set; }
    [BindProperty] public List<Roles> PasswordOff { get; set; } = [];
    [BindProperty] public bool Jit { get; set; }
    [BindProperty] public long? JitSiteId { get; set; }
    [BindProperty] public long? JitTeamId { get; set; }
    [BindProperty] public string? SiteClaim { get; set; }
    [BindProperty] public string? TeamClaim { get; set; }
    [BindProperty] public long TokenSite { get; set; }
    [BindProperty] public string? TokenName { get; set; }

    public async Task OnGetAsync()
    {
        await LoadAsync();
        FillForm();
    }

    public async Task<IActionResult> OnPostSsoAsync()
    {
        var form = new SsoForm(Enabled, DisplayName, Issuer, ClientId, ClientSecret, EmployeeClaim, EmailDomains,
            PasswordOff.Aggregate(Roles.None, (a, r) => a | r), Jit, JitSiteId is > 0 ? JitSiteId : null, JitTeamId is > 0 ? JitTeamId : null, SiteClaim, TeamClaim);
        var outcome = await sso.SaveAsync(form, AdminScope.Of(User), HttpContext.Connection.RemoteIpAddress?.ToString(), clock.GetUtcNow().UtcDateTime);
        ClientSecret = null;
        await LoadAsync();
        if (!outcome.Ok) return Refuse(outcome);
        Saved = HttpContext.RequestServices.GetRequiredService<Microsoft.Extensions.Localization.IStringLocalizer<SharedResource>>()["Sso.Saved"];
        FillForm();
        return Page();
    }

    public async Task<IActionResult> OnPostTokenAsync()
    {
        var (outcome, token) = await tokens.CreateAsync(TokenSite, TokenName, AdminScope.Of(User), HttpContext.Connection.RemoteIpAddress?.ToString(), clock.GetUtcNow().UtcDateTime);
        await LoadAsync();
        FillForm();
        if (!outcome.Ok) return Refuse(outcome);
        NewToken = token;
        TokenName = null;
        Response.Headers.CacheControl = "no-store";
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeAsync(long id)
    {
        var outcome = await tokens.RevokeAsync(id, AdminScope.Of(User), HttpContext.Connection.RemoteIpAddress?.ToString(), clock.GetUtcNow().UtcDateTime);
        await LoadAsync();
        FillForm();
        if (!outcome.Ok) return Refuse(outcome);
        return Page();
    }

    private async Task LoadAsync()
    {
        sso.Forget();
        Settings = sso.Current();
        var scope = AdminScope.Of(User);
        Tokens = await tokens.ListAsync(scope);
        Sites = await lookups.SitesAsync(scope);
        Teams = await lookups.TeamsAsync(Settings.JitSiteId ?? scope.HomeSite, scope);
        if (TokenSite == 0) TokenSite = scope.HomeSite;
    }

    private void FillForm()
    {
        if (Request.Method == "POST" && Error is not null) return;
        var s = Settings;
        Enabled = s.Enabled;
        DisplayName = s.DisplayName;
        Issuer = s.Issuer;
        ClientId = s.ClientId;
        EmployeeClaim = s.EmployeeClaim;
        EmailDomains = string.Join(' ', s.EmailDomains);
        PasswordOff = Enum.GetValues<Roles>().Where(r => r is Roles.Employee or Roles.Supervisor or Roles.Admin or Roles.RewardsKeeper && s.PasswordOffRoles.HasFlag(r)).ToList();
        Jit = s.Jit;
        JitSiteId = s.JitSiteId;
        JitTeamId = s.JitTeamId;
        SiteClaim = s.SiteClaim;
        TeamClaim = s.TeamClaim;
    }
}
