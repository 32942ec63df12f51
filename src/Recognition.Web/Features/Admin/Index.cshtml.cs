using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Recognition.Web.Features.Feed;
using Recognition.Web.Infrastructure.Web;

namespace Recognition.Web.Features.Admin;

/// <summary>HR admin: recent recognitions across the site, each revocable with a reason (audited).</summary>
[Authorize(Policy = Policies.Admin)]
public sealed class IndexModel(FeedQueries feed, RevokeService revoke, Infrastructure.Data.Db db, Infrastructure.Auth.PinHasher pins, TimeProvider clock, IStringLocalizer<SharedResource> L) : FormPage
{
    public IReadOnlyList<FeedCard> Recent { get; private set; } = [];
    public string? Message { get; private set; }

    public async Task OnGetAsync() => Recent = await feed.GivenOrReceivedAtSiteAsync(User.SiteId(), 50);

    /// <summary>Issues a new system-generated PIN (shown once), clearing any lockout. Audited.</summary>
    public async Task<IActionResult> OnPostResetPinAsync(string? employeeNo)
    {
        var no = (employeeNo ?? "").Trim();
        var id = await db.ReadAsync(c => Dapper.SqlMapper.ExecuteScalarAsync<long?>(c,
            "SELECT id FROM employees WHERE UPPER(employee_no) = UPPER(@no) AND site_id = @site AND active = 1", new { no = EmployeeNumbers.Normalize(no), site = User.SiteId() }));
        if (id is null)
        {
            await OnGetAsync();
            return Refuse("Error.UnknownRecipient");
        }
        {
            string pin;
            do { pin = System.Security.Cryptography.RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("000000", System.Globalization.CultureInfo.InvariantCulture); }
            while (pin.Distinct().Count() == 1 || "0123456789".Contains(pin) || "9876543210".Contains(pin));
            var now = clock.GetUtcNow().UtcDateTime;
            await db.WriteAsync(async (c, t) =>
            {
                await Dapper.SqlMapper.ExecuteAsync(c, "UPDATE employees SET pin_hash = @h, pin_failures = 0, pin_locked_until_utc = NULL WHERE id = @id", new { h = pins.Hash(pin), id }, t);
                await Infrastructure.Data.Audit.WriteAsync(c, t, User.EmployeeId(), "kiosk.pin_reset", $"employee:{id}", null, HttpContext.Connection.RemoteIpAddress?.ToString(), now);
            });
            Message = L["Admin.PinReset", no, pin];
        }
        await OnGetAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeAsync(long id, string? reason)
    {
        var outcome = await revoke.RevokeAsync(id, AdminScope.Of(User), reason, HttpContext.Connection.RemoteIpAddress?.ToString(), clock.GetUtcNow().UtcDateTime);
        Message = Show(outcome, "Admin.Revoked");
        await OnGetAsync();
        return Page();
    }
}
