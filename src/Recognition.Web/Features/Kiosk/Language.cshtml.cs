using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Recognition.Web.Infrastructure.Localization;

namespace Recognition.Web.Features.Kiosk;

/// <summary>
/// The kiosk's language button, on every kiosk screen. With a person signed in it changes their kiosk session only
/// (the shared screen returns to its own language when they are done); on the idle screen it lasts one idle period.
/// It authenticates as the kiosk (and the person), so its antiforgery token matches the page that showed the button.
/// </summary>
[Authorize(Policy = Policies.KioskAny)]
public sealed class LanguageModel(IConfiguration config, CookieRules cookies) : PageModel
{
    public IActionResult OnGet() => Redirect("/kiosk");

    public async Task<IActionResult> OnPostAsync(string? culture, string? returnUrl)
    {
        var locale = LocalizationSetup.Normalize(culture);
        var back = returnUrl is not null && Url.IsLocalUrl(returnUrl) && returnUrl.StartsWith("/kiosk", StringComparison.Ordinal) ? returnUrl : "/kiosk";
        var person = await HttpContext.AuthenticateAsync(KioskCookies.Scheme);
        if (person.Succeeded && person.Principal!.Identity is ClaimsIdentity identity)
        {
            var claims = identity.Claims.Where(c => c.Type != ClaimNames.Locale).Append(new Claim(ClaimNames.Locale, locale));
            await HttpContext.SignInAsync(KioskCookies.Scheme, new ClaimsPrincipal(new ClaimsIdentity(claims, identity.AuthenticationType)), person.Properties);
            Response.Cookies.Delete(KioskCookies.Language);
        }
        else
        {
            Response.Cookies.Append(KioskCookies.Language, locale, new CookieOptions
            {
                MaxAge = TimeSpan.FromSeconds(config.GetValue("Kiosk:IdleSeconds", 60)), HttpOnly = true, SameSite = SameSiteMode.Strict, IsEssential = true,
                Secure = cookies.Secure(Request),
            });
        }
        return LocalRedirect(back);
    }
}
