using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Caching.Memory;

namespace Recognition.Web.Infrastructure.Auth;

/// <summary>
/// Checked on every request that carries a person's cookie (office or kiosk): the person is still active and
/// their security stamp is the one the session was issued with, so a role change, deactivation or password
/// reset ends open sessions within <see cref="CacheFor"/>; and an office session ends after its absolute
/// lifetime (Security:SessionHours, 12 by default) however active it was. A privileged write — any request but a read
/// from an admin, supervisor or rewards keeper — waits for no cache: it checks the stamp against the database, so a
/// deactivated or demoted admin's next change is refused on every instance at once.
/// </summary>
public sealed class SessionValidator(Db db, IMemoryCache cache, TimeProvider clock, IConfiguration config)
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(30);

    private sealed record Current(bool Active, string Stamp);

    public TimeSpan Lifetime => TimeSpan.FromHours(config.GetValue("Security:SessionHours", 12.0));

    public Claim AuthTimeClaim() => new(ClaimNames.AuthTime, clock.GetUtcNow().ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));

    public async Task ValidateAsync(CookieValidatePrincipalContext context, bool absoluteLifetime)
    {
        var user = context.Principal;
        if (user?.FindFirstValue(ClaimTypes.NameIdentifier) is not { } idText || !long.TryParse(idText, out var id)) return;
        var now = clock.GetUtcNow();
        // Sliding renewal re-issues the cookie, so the sign-in time travels in a claim of its own.
        if (absoluteLifetime && (!long.TryParse(user.FindFirstValue(ClaimNames.AuthTime), out var signedIn) || now.ToUnixTimeSeconds() - signedIn > Lifetime.TotalSeconds))
        {
            await RejectAsync(context);
            return;
        }
        var method = context.HttpContext.Request.Method;
        var privilegedWrite = !(HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method))
            && (user.IsInRole(nameof(Roles.Admin)) || user.IsInRole(nameof(Roles.Supervisor)) || user.IsInRole(nameof(Roles.RewardsKeeper)));
        var current = privilegedWrite
            ? cache.Set(Key(id), await ReadAsync(id), CacheFor)
            : await cache.GetOrCreateAsync(Key(id), async entry =>
            {
                entry.AbsoluteExpirationRelativeToNow = CacheFor;
                return await ReadAsync(id);
            });
        if (current is not { Active: true } || current.Stamp != (user.FindFirstValue(ClaimNames.Stamp) ?? "")) await RejectAsync(context);
    }

    private async Task<Current> ReadAsync(long id)
    {
        await using var conn = await db.OpenAsync();
        var row = await conn.QuerySingleOrDefaultAsync<(long Active, string Stamp)?>("SELECT active, security_stamp FROM employees WHERE id = @id", new { id });
        return row is { } r ? new Current(r.Active == 1, r.Stamp) : new Current(false, "");
    }

    /// <summary>This instance forgets what it cached for the person at once (other instances within <see cref="CacheFor"/>).</summary>
    public void Forget(long employeeId) => cache.Remove(Key(employeeId));

    private static string Key(long id) => $"session-stamp:{id}";

    private static async Task RejectAsync(CookieValidatePrincipalContext context)
    {
        context.RejectPrincipal();
        await context.HttpContext.SignOutAsync(context.Scheme.Name);
    }
}
