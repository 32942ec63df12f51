using Dapper;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Recognition.Web.Features.Admin.People;
using Recognition.Web.Features.People;
using Recognition.Web.Infrastructure.Auth;
using Recognition.Web.Infrastructure.Data;

namespace Recognition.Web.Features.Me;

/// <summary>/Me/Settings: a person's own choices — off the leaderboards or not, and their password.</summary>
[Authorize(Policy = Policies.Employee)]
public sealed class SettingsModel(Db db, PeopleStore people, IPasswordHasher<Credential> hasher, SignInThrottle throttle, SessionValidator sessions,
    TimeProvider clock, IStringLocalizer<SharedResource> L) : PageModel
{
    public bool OptedOut { get; private set; }
    public string? Message { get; private set; }
    public string? Error { get; private set; }

    public async Task OnGetAsync(string? saved)
    {
        Message = saved switch { "optout" => L["Settings.OptOutSaved"].Value, "password" => L["Settings.PasswordSaved"].Value, _ => null };
        await LoadAsync();
    }

    public async Task<IActionResult> OnPostOptOutAsync(bool optOut)
    {
        var id = User.EmployeeId();
        var now = clock.GetUtcNow().UtcDateTime;
        await db.WriteAsync(async (c, t) =>
        {
            await c.ExecuteAsync("UPDATE employees SET leaderboard_opt_out = @o WHERE id = @id", new { o = optOut ? 1 : 0, id }, t);
            await Audit.WriteAsync(c, t, new AuditEntry(id, "person.leaderboard_opt_out", $"employee:{id}", User.SiteId(), After: new { optOut }), now);
        });
        return Redirect("/Me/Settings?saved=optout");
    }

    public async Task<IActionResult> OnPostPasswordAsync(string? current, string? password, string? confirm)
    {
        var person = (await people.FindAsync(User.EmployeeId()))!;
        var ip = HttpContext.Connection.RemoteIpAddress?.ToString();
        if (throttle.IsBlocked(person.EmployeeNo, ip)) return await FailAsync("SignIn.Throttled", StatusCodes.Status429TooManyRequests);
        if ((current ?? "").Length > PasswordPolicy.MaxLength || !people.VerifyPassword(person, current ?? ""))
        {
            throttle.RecordFailure(person.EmployeeNo, ip);
            return await FailAsync("Settings.WrongPassword");
        }
        if (password != confirm) return await FailAsync("Password.Mismatch");
        if (PasswordPolicy.Check(password, person.EmployeeNo) is { } bad) return await FailAsync(bad);
        var stamp = PeopleAdmin.NewStamp();
        var now = clock.GetUtcNow().UtcDateTime;
        await db.WriteAsync(async (c, t) =>
        {
            await c.ExecuteAsync("UPDATE employees SET password_hash = @h, security_stamp = @stamp WHERE id = @id",
                new { h = hasher.HashPassword(new Credential(), password!), stamp, id = person.Id }, t);
            await Audit.WriteAsync(c, t, new AuditEntry(person.Id, "person.password_changed", $"employee:{person.Id}", person.SiteId, Ip: ip), now);
        });
        // Other sessions of this person end (new stamp); this one continues with the new stamp.
        sessions.Forget(person.Id);
        throttle.Reset(person.EmployeeNo);
        var fresh = (await people.FindAsync(person.Id))!;
        await HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme,
            PeopleStore.Principal(fresh, CookieAuthenticationDefaults.AuthenticationScheme, User.FindFirst(ClaimNames.AuthTime) ?? sessions.AuthTimeClaim()));
        return Redirect("/Me/Settings?saved=password");
    }

    private async Task<IActionResult> FailAsync(string key, int status = StatusCodes.Status422UnprocessableEntity)
    {
        Error = L[key, PasswordPolicy.MinLength];
        Response.StatusCode = status;
        await LoadAsync();
        return Page();
    }

    private async Task LoadAsync() =>
        OptedOut = await db.ReadAsync(c => c.ExecuteScalarAsync<bool>("SELECT leaderboard_opt_out FROM employees WHERE id = @id", new { id = User.EmployeeId() }));
}
