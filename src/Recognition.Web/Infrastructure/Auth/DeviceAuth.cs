using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Recognition.Web.Infrastructure.Auth;

public static class DeviceClaims
{
    public const string Scheme = "Device";
    public const string Cookie = "recognition.device";
    public const string Id = "device";
    public const string Kind = "device_kind";
    public const string Slug = "device_slug";
    public const string Team = "device_team";

    public static string Hash(string token) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token))).ToLowerInvariant();

    public static long DeviceId(this ClaimsPrincipal p) => long.Parse(p.FindFirstValue(Id)!, System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>
/// Enrolled kiosks and wall displays authenticate with a long-lived random token in an HttpOnly cookie.
/// Only its SHA-256 is stored, and every request checks it is still enrolled and not revoked, so
/// revoking a device takes effect on its next request.
/// </summary>
public sealed class DeviceAuthHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, Db db)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Cookies.TryGetValue(DeviceClaims.Cookie, out var token) || token.Length is < 20 or > 200) return AuthenticateResult.NoResult();
        var hash = DeviceClaims.Hash(token);
        var d = await db.ReadAsync(c => c.QuerySingleOrDefaultAsync<(long Id, long SiteId, long? TeamId, string Kind, string? Slug, string Locale)?>(
            "SELECT id, site_id, team_id, kind, slug, locale FROM devices WHERE token_hash = @hash AND revoked_utc IS NULL", new { hash }));
        if (d is not { } device) return AuthenticateResult.Fail("Unknown or revoked device.");
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        var claims = new List<Claim>
        {
            new(DeviceClaims.Id, device.Id.ToString(inv)),
            new(DeviceClaims.Kind, device.Kind),
            new(Infrastructure.Auth.ClaimNames.Site, device.SiteId.ToString(inv)),
            new(Infrastructure.Auth.ClaimNames.Locale, device.Locale),
            new(ClaimTypes.Role, device.Kind == "display" ? "Display" : "Kiosk"),
        };
        if (device.Slug is not null) claims.Add(new Claim(DeviceClaims.Slug, device.Slug));
        if (device.TeamId is { } team) claims.Add(new Claim(DeviceClaims.Team, team.ToString(inv)));
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, DeviceClaims.Scheme)), DeviceClaims.Scheme));
    }

    /// <summary>No device here: a browser signed in as a person is refused (403); anyone else is sent to pair.</summary>
    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if ((await Context.AuthenticateAsync(Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationDefaults.AuthenticationScheme)).Succeeded)
        {
            Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }
        Response.Redirect("/pair");
    }
}
