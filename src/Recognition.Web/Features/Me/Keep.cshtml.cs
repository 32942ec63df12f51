using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Recognition.Web.Features.Credentials;
using Recognition.Web.Infrastructure.Web;

namespace Recognition.Web.Features.Me;

/// <summary>
/// /Me/Keep: the badges a person can take with them as signed Open Badges 3.0 credentials, the e-mail address their
/// credentials name (optional; else the employee number, always hashed), and their own data to download.
/// </summary>
[Authorize(Policy = Policies.Employee)]
public sealed partial class KeepModel(Db db, TimeProvider clock) : FormPage
{
    public IReadOnlyList<KeepableBadge> Badges { get; private set; } = [];
    [BindProperty] public string? Email { get; set; }
    public bool Saved { get; private set; }

    public async Task OnGetAsync(bool saved = false)
    {
        Saved = saved;
        await LoadAsync();
        Email = await db.ReadAsync(c => c.QueryFirstOrDefaultAsync<string?>("SELECT credential_email FROM employees WHERE id = @id", new { id = User.EmployeeId() }));
    }

    public async Task<IActionResult> OnPostEmailAsync()
    {
        var email = string.IsNullOrWhiteSpace(Email) ? null : Email.Trim();
        if (email is not null && (email.Length > 200 || !EmailShape().IsMatch(email)))
        {
            await LoadAsync();
            return Refuse("Keep.BadEmail");
        }
        var id = User.EmployeeId();
        var now = clock.GetUtcNow().UtcDateTime;
        await db.WriteAsync(async (c, t) =>
        {
            await c.ExecuteAsync("UPDATE employees SET credential_email = @email WHERE id = @id", new { email, id }, t);
            await Audit.WriteAsync(c, t, new AuditEntry(id, "person.credential_email", $"employee:{id}", User.SiteId(), After: new { set = email is not null }), now);
        });
        return Redirect("/Me/Keep?saved=true");
    }

    private async Task LoadAsync() => Badges = await KeepableBadge.ListAsync(db, User.EmployeeId());

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$", RegexOptions.CultureInvariant)]
    private static partial Regex EmailShape();
}
