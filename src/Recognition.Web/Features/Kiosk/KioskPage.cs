using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Recognition.Web.Features.Kiosk;

/// <summary>
/// Base for pages a person uses at a kiosk: the session must have been started on this very kiosk,
/// nothing is cached (the next person must not see it), and the person's name is in the top bar.
/// </summary>
public abstract class KioskPage : Infrastructure.Web.FormPage
{
    public long PersonId => long.Parse(User.FindFirstValue(ClaimTypes.NameIdentifier)!, System.Globalization.CultureInfo.InvariantCulture);
    public long KioskId => User.DeviceId();
    public long SiteId => long.Parse(User.FindFirstValue(Infrastructure.Auth.ClaimNames.Site)!, System.Globalization.CultureInfo.InvariantCulture);

    [NonHandler] // a filter, not a handler: without this, Razor Pages would route the HTTP method "PAGE" to it
    public override async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        Response.Headers.CacheControl = "no-store";
        if (User.FindFirstValue("kiosk_device") != User.FindFirstValue(DeviceClaims.Id))
        {
            await HttpContext.SignOutAsync(KioskCookies.Scheme);
            context.Result = Redirect("/kiosk");
            return;
        }
        ViewData["KioskPerson"] = Bilingual.Pick(User.FindFirstValue(ClaimTypes.Name), User.FindFirstValue("name_en"));
        await next();
    }

    /// <summary>Each completed action ends the session and returns to the idle screen with a thank-you.</summary>
    protected async Task<IActionResult> FinishAsync(string done)
    {
        await HttpContext.SignOutAsync(KioskCookies.Scheme);
        return Redirect($"/kiosk?done={done}");
    }
}
