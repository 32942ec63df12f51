using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Recognition.Web.Features.Admin.People;
using Recognition.Web.Infrastructure.Web;

namespace Recognition.Web.Features.Me;

/// <summary>/Me/Settings: a person's own choices — off the leaderboards or not, and their password.</summary>
[Authorize(Policy = Policies.Employee)]
public sealed class SettingsModel(Db db, PeopleStore people, IPasswordHasher<Credential> hasher, SignInGuard guard, SessionValidator sessions,
    TimeProvider clock, IStringLocalizer<SharedResource> L, Praise.PraiseCodes praise) : FormPage
{
    public bool OptedOut { get; private set; }
    public string? Email { get; private set; }
    public bool EmailOn { get; private set; }
    public bool WeeklyOn { get; private set; }
    public bool ChatOn { get; private set; }
    public bool Listed { get; private set; }
    public string? ChatUserId { get; private set; }
    public int? QuietFrom { get; private set; }
    public int? QuietTo { get; private set; }
    /// <summary>My own thank-you link, when I chose to have one.</summary>
    public string? PraiseUrl { get; private set; }
    public string? Message { get; private set; }
    /// <summary>My birthday (month and day only) and whether it is celebrated; whether I want no celebrations at all.</summary>
    public int? BirthMonth { get; private set; }
    public int? BirthDay { get; private set; }
    public bool BirthdayPublic { get; private set; }
    public bool NoCelebrations { get; private set; }

    public async Task OnGetAsync(string? saved)
    {
        Message = saved switch
        {
            "optout" => L["Settings.OptOutSaved"].Value,
            "password" => L["Settings.PasswordSaved"].Value,
            "praise" => L["Settings.PraiseSaved"].Value,
            "messages" => L["Settings.MessagesSaved"].Value,
            "celebrations" => L["Settings.CelebrationsSaved"].Value,
            _ => null,
        };
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

    /// <summary>
    /// My messages: e-mail on or off, the weekly summary by e-mail, being @mentioned in my team's chat, and quiet hours
    /// (local hours; none when both are empty or equal).
    /// </summary>
    public async Task<IActionResult> OnPostMessagesAsync(bool email, bool weekly, bool chat, int? quietFrom, int? quietTo)
    {
        if (quietFrom is < 0 or > 23 || quietTo is < 0 or > 23 || (quietFrom is null) != (quietTo is null))
        {
            await LoadAsync();
            return Refuse(Outcome.Refused("Settings.QuietInvalid"));
        }
        var id = User.EmployeeId();
        var now = clock.GetUtcNow().UtcDateTime;
        await db.WriteAsync(async (c, t) =>
        {
            await c.ExecuteAsync("UPDATE employees SET notify_email = @e, notify_weekly = @w, notify_chat = @ch, quiet_from = @quietFrom, quiet_to = @quietTo WHERE id = @id",
                new { e = email ? 1 : 0, w = weekly ? 1 : 0, ch = chat ? 1 : 0, quietFrom, quietTo, id }, t);
            await Audit.WriteAsync(c, t, new AuditEntry(id, "person.messages", $"employee:{id}", User.SiteId(), After: new { email, weekly, chat, quietFrom, quietTo }), now);
        });
        return Redirect("/Me/Settings?saved=messages");
    }

    /// <summary>
    /// My celebrations: a birthday is month and day only, kept only if I give it, and celebrated only if I say so (a
    /// day that does not exist is refused); "no celebrations" turns off birthday, service anniversaries and first day.
    /// </summary>
    public async Task<IActionResult> OnPostCelebrationsAsync(int? month, int? day, bool birthdayPublic, bool none)
    {
        if ((month is null) != (day is null) || (month is { } m && day is { } d && (m is < 1 or > 12 || d < 1 || d > DateTime.DaysInMonth(2024, m))))
        {
            await LoadAsync();
            (BirthMonth, BirthDay, BirthdayPublic, NoCelebrations) = (month, day, birthdayPublic, none); // what was typed stays
            return Refuse(Outcome.Refused("Settings.BirthdayInvalid"));
        }
        var id = User.EmployeeId();
        var now = clock.GetUtcNow().UtcDateTime;
        int? mmdd = month is { } mm ? mm * 100 + day!.Value : null;
        await db.WriteAsync(async (c, t) =>
        {
            await c.ExecuteAsync("UPDATE employees SET birth_mmdd = @mmdd, birthday_public = @p, celebrate_opt_out = @none WHERE id = @id",
                new { mmdd, p = birthdayPublic && mmdd is not null ? 1 : 0, none = none ? 1 : 0, id }, t);
            // The audit keeps that it changed, not the date.
            await Audit.WriteAsync(c, t, new AuditEntry(id, "person.celebrations", $"employee:{id}", User.SiteId(),
                After: new { birthdayGiven = mmdd is not null, birthdayPublic, none }), now);
        });
        return Redirect("/Me/Settings?saved=celebrations");
    }

    /// <summary>Whether my team's public thank-you page lists me (as my given name and initial).</summary>
    public async Task<IActionResult> OnPostListedAsync(bool listed)
    {
        var id = User.EmployeeId();
        var now = clock.GetUtcNow().UtcDateTime;
        await db.WriteAsync(async (c, t) =>
        {
            await c.ExecuteAsync("UPDATE employees SET praise_listed = @l WHERE id = @id", new { l = listed ? 1 : 0, id }, t);
            await Audit.WriteAsync(c, t, new AuditEntry(id, "person.praise_listed", $"employee:{id}", User.SiteId(), After: new { listed }), now);
        });
        return Redirect("/Me/Settings?saved=praise");
    }

    /// <summary>Opting in gives me my own thank-you code (customers then see my name on it); opting out retires it.</summary>
    public async Task<IActionResult> OnPostPraiseAsync(bool optIn)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await praise.SetOptInAsync(User.EmployeeId(), optIn, now);
        await Audit.WriteAsync(db, new AuditEntry(User.EmployeeId(), "person.praise_opt_in", $"employee:{User.EmployeeId()}", User.SiteId(), After: new { optIn }), now);
        return Redirect("/Me/Settings?saved=praise");
    }

    public async Task<IActionResult> OnPostPasswordAsync(string? current, string? password, string? confirm)
    {
        var person = (await people.FindAsync(User.EmployeeId()))!;
        var ip = HttpContext.Connection.RemoteIpAddress?.ToString();
        // The new password is checked first: a mistake there costs no guess of the current one.
        if (password != confirm) return await FailAsync("Password.Mismatch");
        if (PasswordPolicy.Check(password, person.EmployeeNo) is { } bad) return await FailAsync(bad);
        if ((current ?? "").Length > PasswordPolicy.MaxLength) return await FailAsync("Settings.WrongPassword");
        if (await guard.ReserveAccountAsync(person.Id, clock.GetUtcNow().UtcDateTime) is { } blocked)
        {
            return await FailAsync("SignIn.Throttled", StatusCodes.Status429TooManyRequests, blocked.Minutes);
        }
        if (!people.VerifyPassword(person, current ?? "")) return await FailAsync("Settings.WrongPassword");
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
        await guard.ClearAccountAsync(person.Id);
        var fresh = (await people.FindAsync(person.Id))!;
        await HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme,
            PeopleStore.Principal(fresh, CookieAuthenticationDefaults.AuthenticationScheme, User.FindFirst(ClaimNames.AuthTime) ?? sessions.AuthTimeClaim()));
        return Redirect("/Me/Settings?saved=password");
    }

    private async Task<IActionResult> FailAsync(string key, int status = StatusCodes.Status422UnprocessableEntity, int? minutes = null)
    {
        await LoadAsync();
        return Refuse(Outcome.Refused(key, minutes ?? PasswordPolicy.MinLength), status);
    }

    private async Task LoadAsync()
    {
        OptedOut = await db.ReadAsync(c => c.ExecuteScalarAsync<bool>("SELECT leaderboard_opt_out FROM employees WHERE id = @id", new { id = User.EmployeeId() }));
        var m = await db.ReadAsync(c => c.QuerySingleAsync<(string? Email, long Notify, int? From, int? To, long Weekly, long Chat, string? ChatId)>(
            "SELECT email, notify_email, quiet_from, quiet_to, notify_weekly, notify_chat, chat_user_id FROM employees WHERE id = @id", new { id = User.EmployeeId() }));
        (Email, EmailOn, QuietFrom, QuietTo) = (m.Email, m.Notify == 1, m.From, m.To);
        (WeeklyOn, ChatOn, ChatUserId) = (m.Weekly == 1, m.Chat == 1, m.ChatId);
        Listed = await db.ReadAsync(c => c.ExecuteScalarAsync<bool>("SELECT praise_listed FROM employees WHERE id = @id", new { id = User.EmployeeId() }));
        var cel = await db.ReadAsync(c => c.QuerySingleAsync<(int? Mmdd, long Public, long None)>(
            "SELECT birth_mmdd, birthday_public, celebrate_opt_out FROM employees WHERE id = @id", new { id = User.EmployeeId() }));
        (BirthMonth, BirthDay, BirthdayPublic, NoCelebrations) = (cel.Mmdd / 100, cel.Mmdd % 100, cel.Public == 1, cel.None == 1);
        var code = await db.ReadAsync(c => c.ExecuteScalarAsync<string?>(
            "SELECT c.code FROM praise_codes c JOIN employees e ON e.id = c.employee_id WHERE c.employee_id = @id AND c.active = 1 AND e.praise_opt_in = 1", new { id = User.EmployeeId() }));
        PraiseUrl = code is null ? null : $"{Infrastructure.Web.PublicUrl.Base(HttpContext)}/thanks/{code}";
    }
}
