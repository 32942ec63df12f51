using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Recognition.Web.Infrastructure.Localization;

namespace Recognition.Web.Features.Account;

/// <summary>The language switcher. For a signed-in person the choice is saved as their locale.</summary>
[AllowAnonymous]
public sealed class LanguageModel(Db db, PeopleStore people, CookieRules cookies) : PageModel
{
    public IActionResult OnGet() => Redirect("/");

    public async Task<IActionResult> OnPostAsync(string? culture, string? returnUrl)
    {
        var locale = LocalizationSetup.Normalize(culture);
        Response.Cookies.Append(CookieRequestCultureProvider.DefaultCookieName,
            CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(locale)),
            new CookieOptions { Expires = DateTimeOffset.UtcNow.AddYears(1), HttpOnly = true, SameSite = SameSiteMode.Lax, IsEssential = true, Secure = cookies.Secure(Request) });
        if (User.Identity?.IsAuthenticated == true && User.FindFirstValue(ClaimTypes.NameIdentifier) is not null
            && User.Identity.AuthenticationType == CookieAuthenticationDefaults.AuthenticationScheme)
        {
            var id = User.EmployeeId();
            await db.WriteAsync((c, t) => c.ExecuteAsync("UPDATE employees SET locale = @locale WHERE id = @id", new { locale, id }, t));
            var person = await people.FindAsync(id);
            if (person is not null)
            {
                await HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme,
                    PeopleStore.Principal(person, CookieAuthenticationDefaults.AuthenticationScheme,
                        User.FindFirst(ClaimNames.AuthTime) ?? new Claim(ClaimNames.AuthTime, "0"))); // the session keeps its sign-in time
            }
        }
        return LocalRedirect(Url.IsLocalUrl(returnUrl) ? returnUrl! : "/");
    }
}
