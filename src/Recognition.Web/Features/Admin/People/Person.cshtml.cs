using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Recognition.Web.Infrastructure.Web;

namespace Recognition.Web.Features.Admin.People;

/// <summary>/Admin/Person: create or edit one person; deactivate, reactivate, reset the password.</summary>
[Authorize(Policy = Policies.Admin)]
public sealed class PersonModel(PeopleAdmin admin, AdminLookups lookups, TimeProvider clock, IStringLocalizer<SharedResource> L) : FormPage
{
    [BindProperty] public long? Id { get; set; }
    [BindProperty] public int Version { get; set; }
    [BindProperty] public long SiteId { get; set; }
    [BindProperty] public long? TeamId { get; set; }
    [BindProperty] public long? ManagerId { get; set; }
    [BindProperty] public string? EmployeeNo { get; set; }
    [BindProperty] public string? NameZh { get; set; }
    [BindProperty] public string? NameEn { get; set; }
    [BindProperty] public string? Email { get; set; }
    [BindProperty] public string? ChatUserId { get; set; }
    /// <summary>The hire date (yyyy-mm-dd): service anniversaries and the first day are celebrated from it.</summary>
    [BindProperty] public string? HireDate { get; set; }
    /// <summary>Optional, where HR records it: f, m or x (another or not said).</summary>
    [BindProperty] public string? Gender { get; set; }
    [BindProperty] public string? BadgeCode { get; set; }
    [BindProperty] public bool GenerateBadge { get; set; }
    [BindProperty] public string? Locale { get; set; } = "zh-CN";
    [BindProperty] public bool Supervisor { get; set; }
    [BindProperty] public bool Admin { get; set; }
    [BindProperty] public bool OrgAdmin { get; set; }
    [BindProperty] public bool RewardsKeeper { get; set; }
    [BindProperty] public bool LeaderboardOptOut { get; set; }
    public bool Active { get; private set; } = true;
    public string? Message { get; private set; }
    public string? ResetLink { get; private set; }
    public IReadOnlyList<Option> Sites { get; private set; } = [];
    public IReadOnlyList<Option> Teams { get; private set; } = [];
    public IReadOnlyList<Option> Managers { get; private set; } = [];

    private AdminScope Scope => AdminScope.Of(User);

    public async Task<IActionResult> OnGetAsync(long? id, long? site, bool saved = false)
    {
        SiteId = site is { } s && Scope.Covers(s) ? s : Scope.HomeSite;
        if (id is { } existing && !await LoadAsync(existing)) return NotFound();
        if (saved) Message = L["People.Saved"];
        await LookupsAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostSaveAsync()
    {
        if (GenerateBadge) BadgeCode = PeopleAdmin.NewBadgeCode();
        var roles = Roles.Employee | (Supervisor ? Roles.Supervisor : 0) | (Admin ? Roles.Admin : 0) | (OrgAdmin ? Roles.OrgAdmin : 0) | (RewardsKeeper ? Roles.RewardsKeeper : 0);
        int? hire = null;
        if (!string.IsNullOrWhiteSpace(HireDate))
        {
            if (Programs.ProgramService.ParseDay(HireDate) is not { } day) return await FailAsync("Import.BadHireDate", [HireDate]);
            hire = day;
        }
        var outcome = await admin.SaveAsync(new PersonForm(Id, Version, SiteId, TeamId, ManagerId, EmployeeNo, NameZh, NameEn, Email, BadgeCode, Locale,
            roles, LeaderboardOptOut, ChatUserId, hire, string.IsNullOrWhiteSpace(Gender) ? null : Gender.Trim()), Scope, Ip, clock.GetUtcNow().UtcDateTime);
        if (!outcome.Ok) return await FailAsync(outcome.Error!, outcome.Args);
        return Redirect($"/Admin/Person?id={outcome.Id}&saved=true");
    }

    public async Task<IActionResult> OnPostActiveAsync(bool active)
    {
        var outcome = await admin.SetActiveAsync(Id ?? 0, active, Scope, Ip, clock.GetUtcNow().UtcDateTime);
        if (!outcome.Ok) return await FailAsync(outcome.Error!, outcome.Args);
        return Redirect($"/Admin/Person?id={Id}&saved=true");
    }

    public async Task<IActionResult> OnPostResetAsync()
    {
        var (outcome, token) = await admin.ResetPasswordAsync(Id ?? 0, Scope, Ip, clock.GetUtcNow().UtcDateTime);
        if (!outcome.Ok) return await FailAsync(outcome.Error!, outcome.Args);
        await LoadAsync(Id!.Value);
        await LookupsAsync();
        ResetLink = $"{Request.Scheme}://{Request.Host}/Account/Reset?token={token}";
        return Page();
    }

    private string? Ip => HttpContext.Connection.RemoteIpAddress?.ToString();

    private async Task<bool> LoadAsync(long id)
    {
        var p = await admin.FindAsync(id, Scope);
        if (p is null) return false;
        (Id, Version, SiteId, TeamId, ManagerId, EmployeeNo, NameZh, NameEn) = (p.Id, p.Version, p.SiteId, p.TeamId, p.ManagerId, p.EmployeeNo, p.NameZh, p.NameEn);
        (Email, BadgeCode, Locale, LeaderboardOptOut, Active, ChatUserId) = (p.Email, p.BadgeCode, p.Locale, p.LeaderboardOptOut, p.Active, p.ChatUserId);
        (HireDate, Gender) = (People.PeopleImport.HireText(p.HireDay), p.Gender);
        var roles = (Roles)p.Roles;
        (Supervisor, Admin, OrgAdmin, RewardsKeeper) = (roles.HasFlag(Roles.Supervisor), roles.HasFlag(Roles.Admin), roles.HasFlag(Roles.OrgAdmin), roles.HasFlag(Roles.RewardsKeeper));
        return true;
    }

    private async Task LookupsAsync()
    {
        Sites = await lookups.SitesAsync(Scope);
        Teams = await lookups.TeamsAsync(SiteId, Scope);
        Managers = (await lookups.ManagersAsync(SiteId, Scope)).Where(m => m.Id != Id).ToList();
    }

    private async Task<IActionResult> FailAsync(string key, object[] args)
    {
        if (Id is { } id && await admin.FindAsync(id, Scope) is { } current) Active = current.Active;
        await LookupsAsync();
        return Refuse(key, args);
    }
}
