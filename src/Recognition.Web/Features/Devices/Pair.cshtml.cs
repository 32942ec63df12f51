using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Recognition.Web.Infrastructure.Web;

namespace Recognition.Web.Features.Devices;

/// <summary>
/// Opened on the TV or kiosk: entering a fresh pairing code enrolls this browser as that device. Anonymous, so wrong
/// codes are limited per address (10 per 15 minutes, counted before the code is looked up; a good code gives its try back).
/// </summary>
[AllowAnonymous]
[RequestSizeLimit(16 * 1024)]
public sealed class PairModel(DeviceService devices, Infrastructure.Auth.CookieRules cookies, Infrastructure.Auth.AttemptLimiter limiter, IConfiguration config, TimeProvider clock) : FormPage
{
    [BindProperty(SupportsGet = true)] public string? Code { get; set; }

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync()
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var bucket = new Infrastructure.Auth.AttemptBucket($"pair:{HttpContext.Connection.RemoteIpAddress}", config.GetValue("Security:PairFailuresPerAddress", 10), TimeSpan.FromMinutes(15));
        if (await limiter.ReserveAsync([bucket], now) is { } blocked)
        {
            return Refuse(Outcome.Refused("Error.PairThrottled", blocked.Minutes), StatusCodes.Status429TooManyRequests);
        }
        var paired = await devices.PairAsync(Code, now);
        if (paired.Value is not { } device) return Refuse(paired.Refusal);
        var (token, slug, kind) = (device.Token, device.Slug, device.Kind);
        await limiter.GiveBackAsync(bucket.Key);
        Response.Cookies.Append(DeviceClaims.Cookie, token, new CookieOptions
        {
            HttpOnly = true, IsEssential = true, SameSite = SameSiteMode.Lax, Secure = cookies.Secure(Request),
            Expires = DateTimeOffset.UtcNow.AddYears(5), Path = "/",
        });
        return Redirect(kind == "display" ? $"/walls/{slug}" : "/kiosk");
    }
}
