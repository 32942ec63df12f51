using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Recognition.Web.Features.Devices;

/// <summary>Opened on the TV or kiosk: entering a fresh pairing code enrolls this browser as that device.</summary>
[AllowAnonymous]
public sealed class PairModel(DeviceService devices, Infrastructure.Auth.CookieRules cookies, TimeProvider clock, IStringLocalizer<SharedResource> L) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Code { get; set; }
    public string? Error { get; private set; }

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync()
    {
        var (token, slug, kind, error) = await devices.PairAsync(Code, clock.GetUtcNow().UtcDateTime);
        if (token is null)
        {
            Error = L[error!];
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return Page();
        }
        Response.Cookies.Append(DeviceClaims.Cookie, token, new CookieOptions
        {
            HttpOnly = true, IsEssential = true, SameSite = SameSiteMode.Lax, Secure = cookies.Secure(Request),
            Expires = DateTimeOffset.UtcNow.AddYears(5), Path = "/",
        });
        return Redirect(kind == "display" ? $"/walls/{slug}" : "/kiosk");
    }
}
