using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Recognition.Web.Features.People;
using Recognition.Web.Infrastructure.Auth;
using Recognition.Web.Infrastructure.Data;

namespace Recognition.Web.Features.Account;

[AllowAnonymous]
public sealed class SignInModel(
    PeopleStore people, SignInThrottle throttle, SessionValidator sessions, Db db, TimeProvider clock,
    IStringLocalizer<SharedResource> L, IWebHostEnvironment env, ILogger<SignInModel> log) : PageModel
{
    [BindProperty] public string Login { get; set; } = "";
    [BindProperty] public string Password { get; set; } = "";
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }
    public string? Error { get; private set; }
    public bool ShowDemo => env.IsDevelopment();

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync()
    {
        var ip = HttpContext.Connection.RemoteIpAddress?.ToString();
        var now = clock.GetUtcNow().UtcDateTime;
        if (string.IsNullOrWhiteSpace(Login) || string.IsNullOrEmpty(Password))
        {
            Error = L["SignIn.Missing"];
            return Page();
        }
        if (throttle.IsBlocked(Login, ip))
        {
            await Audit.WriteAsync(db, null, "signin.throttled", Login.Trim(), null, ip, now);
            log.LogWarning("Sign-in throttled for {Login} from {Ip}", Login.Trim(), ip);
            Error = L["SignIn.Throttled"];
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            return Page();
        }
        var person = await people.FindByLoginAsync(Login);
        if (person is null || !person.Active || !people.VerifyPassword(person, Password))
        {
            throttle.RecordFailure(Login, ip);
            await Audit.WriteAsync(db, person?.Id, "signin.failed", Login.Trim(), person is { Active: false } ? "inactive" : null, ip, now);
            log.LogInformation("Sign-in failed for {Login} from {Ip}", Login.Trim(), ip);
            Error = L["SignIn.Failed"];
            return Page();
        }
        throttle.Reset(Login);
        await HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme,
            PeopleStore.Principal(person, CookieAuthenticationDefaults.AuthenticationScheme, sessions.AuthTimeClaim()));
        await Audit.WriteAsync(db, person.Id, "signin.ok", person.EmployeeNo, null, ip, now);
        return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/");
    }
}
