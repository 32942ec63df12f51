using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Recognition.Web.Features.Admin.People;
using Recognition.Web.Infrastructure.Web;

namespace Recognition.Web.Features.Account;

/// <summary>/Account/Reset?token=…: the one-time link an admin handed over; the person chooses a new password.</summary>
[AllowAnonymous]
public sealed class ResetModel(Db db, IPasswordHasher<Credential> hasher, TimeProvider clock) : FormPage
{
    [BindProperty(SupportsGet = true)] public string? Token { get; set; }
    [BindProperty] public string? Password { get; set; }
    [BindProperty] public string? Confirm { get; set; }
    public bool Invalid { get; private set; }
    public bool Done { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        if (await FindAsync() is null) return Gone();
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (await FindAsync() is not { } person) return Gone();
        if (Password != Confirm) return Fail("Password.Mismatch");
        if (PasswordPolicy.Check(Password, person.No) is { } bad) return Fail(bad, PasswordPolicy.MinLength);
        var now = clock.GetUtcNow().UtcDateTime;
        // The token is spent in the same statement that checks it: a second use (or a race) changes nothing.
        var used = await db.WriteAsync(async (c, t) =>
        {
            var n = await c.ExecuteAsync(
                @"UPDATE employees SET password_hash = @hash, password_reset_hash = NULL, password_reset_expires_utc = NULL, security_stamp = @stamp
                  WHERE id = @Id AND password_reset_hash = @token AND password_reset_expires_utc > @now AND active = 1",
                new { hash = hasher.HashPassword(new Credential(), Password!), stamp = PeopleAdmin.NewStamp(), person.Id, token = PasswordReset.Hash(Token!), now }, t);
            if (n == 1) await Audit.WriteAsync(c, t, new AuditEntry(person.Id, "person.password_set", $"employee:{person.Id}", person.SiteId), now);
            return n == 1;
        });
        if (!used) return Gone();
        Done = true;
        return Page();
    }

    private async Task<(long Id, string No, long SiteId)?> FindAsync()
    {
        if (string.IsNullOrEmpty(Token) || Token.Length > 100) return null;
        await using var c = await db.OpenAsync();
        return await c.QuerySingleOrDefaultAsync<(long, string, long)?>(
            "SELECT id, employee_no, site_id FROM employees WHERE password_reset_hash = @token AND password_reset_expires_utc > @now AND active = 1",
            new { token = PasswordReset.Hash(Token), now = clock.GetUtcNow().UtcDateTime });
    }

    private PageResult Gone()
    {
        Invalid = true;
        Response.StatusCode = StatusCodes.Status410Gone;
        return Page();
    }

    private PageResult Fail(string key, params object[] args)
    {
        return Refuse(key, args);
    }
}
