using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Recognition.Web.Infrastructure.Web;

namespace Recognition.Web.Features.Account;

/// <summary>
/// Password sign-in. Each attempt is reserved in the database before the password is checked (<see cref="SignInGuard"/>),
/// so 30 parallel guesses check at most the limit. Fields are bounded before anything is read or written: an oversized
/// request is refused whole, an over-long field is neither echoed nor logged.
/// </summary>
[AllowAnonymous]
[RequestSizeLimit(32 * 1024)]
[RequestFormLimits(ValueLengthLimit = 4096, ValueCountLimit = 16)]
public sealed class SignInModel(
    PeopleStore people, SignInGuard guard, SessionValidator sessions, Db db, TimeProvider clock,
    IWebHostEnvironment env, Setup.SetupService setup, Sso.SsoSettingsStore sso, ILogger<SignInModel> log) : FormPage
{
    [BindProperty] public string Login { get; set; } = "";
    [BindProperty] public string Password { get; set; } = "";
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }
    public bool ShowDemo => env.IsDevelopment();

    /// <summary>The provider's name on the "Sign in with …" button, or null when single sign-on is off.</summary>
    public string? SsoName { get; private set; }

    /// <summary>No admin exists yet: nobody can sign in, so the page says where the operator finds the setup link.</summary>
    public bool SetupPending { get; private set; }

    public async Task OnGetAsync()
    {
        if (ReturnUrl is { Length: > 2000 }) ReturnUrl = null;
        SetupPending = !await setup.IsDoneAsync();
        SsoName = sso.Current() is { Usable: true } s ? s.DisplayName : null;
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var ip = HttpContext.Connection.RemoteIpAddress?.ToString();
        var now = clock.GetUtcNow().UtcDateTime;
        if (ReturnUrl is { Length: > 2000 }) ReturnUrl = null;
        var settings = sso.Current();
        SsoName = settings.Usable ? settings.DisplayName : null;
        if (string.IsNullOrWhiteSpace(Login) || string.IsNullOrEmpty(Password)) return Fail("SignIn.Missing", StatusCodes.Status422UnprocessableEntity);
        if (Login.Trim().Length > SignInGuard.LoginMaxLength || Password.Length > PasswordPolicy.MaxLength)
        {
            Login = "";
            ModelState.Remove(nameof(Login)); // not echoed back into the form
            return Fail("SignIn.TooLong", StatusCodes.Status422UnprocessableEntity);
        }
        var login = Login.Trim();
        var person = await people.FindByLoginAsync(login);
        if (await guard.ReserveAsync(HttpContext, person?.Id, login, now) is { } blocked)
        {
            await Audit.WriteAsync(db, null, "signin.throttled", login, blocked.Bucket.Key.Split(':')[0], ip, now);
            log.LogWarning("Sign-in throttled for {Login} from {Ip}", login, ip);
            Response.Headers.RetryAfter = ((int)blocked.RetryAfter.TotalSeconds + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Fail("SignIn.Throttled", StatusCodes.Status429TooManyRequests, blocked.Minutes);
        }
        // An unknown login costs the same hash as a known one, so timing doesn't tell them apart.
        var ok = people.VerifyPasswordOrDummy(person, Password);
        if (person is null || !person.Active || !ok)
        {
            await Audit.WriteAsync(db, person?.Id, "signin.failed", login, person is { Active: false } ? "inactive" : null, ip, now);
            log.LogInformation("Sign-in failed for {Login} from {Ip}", login, ip);
            return Fail("SignIn.Failed", StatusCodes.Status200OK);
        }
        await guard.SucceededAsync(HttpContext, person.Id, login);
        // Told only after the right password, so the answer doesn't reveal who must use the provider.
        if (settings.PasswordOffFor((Roles)person.Roles))
        {
            await Audit.WriteAsync(db, person.Id, "signin.password_off", person.EmployeeNo, null, ip, now);
            return Fail("SignIn.UseSso", StatusCodes.Status403Forbidden, settings.DisplayName);
        }
        await db.WriteAsync((c, t) => c.ExecuteAsync("UPDATE employees SET last_signin_utc = @now WHERE id = @Id", new { now, person.Id }, t));
        await HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme,
            PeopleStore.Principal(person, CookieAuthenticationDefaults.AuthenticationScheme, sessions.AuthTimeClaim()));
        await Audit.WriteAsync(db, person.Id, "signin.ok", person.EmployeeNo, null, ip, now);
        return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/");
    }

    private PageResult Fail(string key, int status, params object[] args)
    {
        Password = "";
        return Refuse(Outcome.Refused(key, args), status);
    }
}
