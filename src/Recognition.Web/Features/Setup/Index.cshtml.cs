using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Recognition.Web.Infrastructure.Web;

namespace Recognition.Web.Features.Setup;

/// <summary>/setup: open only while no admin exists, and only with the one-time code from the server log.</summary>
[AllowAnonymous]
public sealed class IndexModel(SetupService setup, PeopleStore people, SessionValidator sessions, TimeProvider clock, IStringLocalizer<SharedResource> L) : FormPage
{
    [BindProperty(SupportsGet = true)] public string? Code { get; set; }
    [BindProperty] public string? SiteCode { get; set; } = "SITE1";
    [BindProperty] public string? SiteNameZh { get; set; }
    [BindProperty] public string? SiteNameEn { get; set; }
    [BindProperty] public string? TimeZone { get; set; } = "Asia/Shanghai";
    [BindProperty] public string? Locale { get; set; } = "zh-CN";
    [BindProperty] public string? AdminNo { get; set; }
    [BindProperty] public string? AdminNameZh { get; set; }
    [BindProperty] public string? AdminNameEn { get; set; }
    [BindProperty] public string? Password { get; set; }
    [BindProperty] public string? Confirm { get; set; }
    public string? Closed { get; private set; }

    /// <summary>The refused form's problems by field.</summary>
    public IReadOnlyDictionary<string, string> Problems { get; private set; } = new Dictionary<string, string>();

    public string? ProblemOf(string field) => Problems.GetValueOrDefault(field);

    public async Task<IActionResult> OnGetAsync() => await GuardAsync() ?? Page();

    public async Task<IActionResult> OnPostAsync()
    {
        if (await GuardAsync() is { } closed) return closed;
        var cmd = new SetupCommand(SiteCode, SiteNameZh, SiteNameEn, TimeZone, Locale, AdminNo, AdminNameZh, AdminNameEn, Password);
        // Every problem at once, each beside its field; what was typed stays (the passwords are typed again).
        var problems = SetupService.Problems(cmd).ToList();
        if (Password != Confirm) problems.Add(("Confirm", Outcome.Refused("Password.Mismatch")));
        if (problems.Count > 0)
        {
            Problems = problems.GroupBy(p => p.Field).ToDictionary(g => g.Key, g => (string)L[g.First().Refusal.Error!, g.First().Refusal.Args]);
            (Password, Confirm) = (null, null);
            return Invalid(problems[0].Refusal.Error!, problems[0].Refusal.Args);
        }
        var outcome = await setup.CreateAsync(cmd, clock.GetUtcNow().UtcDateTime);
        if (!outcome.Ok) return Invalid(outcome.Error!, outcome.Args);
        var admin = (await people.FindAsync(outcome.Id!.Value))!;
        await HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme,
            PeopleStore.Principal(admin, CookieAuthenticationDefaults.AuthenticationScheme, sessions.AuthTimeClaim()));
        return Redirect("/Admin/People?welcome=true");
    }

    private async Task<IActionResult?> GuardAsync()
    {
        if (await setup.IsDoneAsync()) return Stop(StatusCodes.Status404NotFound, "Setup.Done");
        if (!setup.CodeMatches(Code)) return Stop(StatusCodes.Status403Forbidden, "Setup.BadCode");
        return null;
    }

    private PageResult Stop(int status, string key)
    {
        Closed = L[key];
        Response.StatusCode = status;
        return Page();
    }

    private PageResult Invalid(string key, params object[] args)
    {
        return Refuse(key, args);
    }
}
