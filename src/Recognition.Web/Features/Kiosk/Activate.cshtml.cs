using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Recognition.Web.Features.Rollout;
using Recognition.Web.Infrastructure.Web;

namespace Recognition.Web.Features.Kiosk;

/// <summary>
/// "First time here": a person with the activation code from their welcome letter (or a supervisor's slip) scans their
/// badge or types their employee number, types the code, and chooses their own PIN twice; then they are signed in.
/// </summary>
[Authorize(Policy = Policies.Kiosk)]
public sealed class ActivateModel(Activation activation, Infrastructure.Data.Db db, Microsoft.Extensions.Caching.Memory.IMemoryCache cache, TimeProvider clock) : FormPage
{
    /// <summary>The on-screen keyboard's letters: those of activation codes and of the site's employee numbers.</summary>
    public IReadOnlyList<string> Letters { get; private set; } = [];

    [BindProperty] public string? EmployeeNo { get; set; }
    [BindProperty] public string? Badge { get; set; }
    [BindProperty] public string? Code { get; set; }

    public async Task OnGetAsync()
    {
        Response.Headers.CacheControl = "no-store";
        Letters = await KioskKeypad.LettersAsync(db, cache, User.SiteId());
    }

    public async Task<IActionResult> OnPostAsync(string? pin, string? repeat)
    {
        Response.Headers.CacheControl = "no-store";
        var r = await activation.ActivateAsync(User.SiteId(), User.DeviceId(), EmployeeNo, Badge, Code, pin, repeat, clock.GetUtcNow().UtcDateTime);
        if (r.Value is not { } person)
        {
            Badge = null; // a scanned badge code is not shown back on a shared screen
            Letters = await KioskKeypad.LettersAsync(db, cache, User.SiteId());
            return Refuse(r.Refusal, r.Error == "Activation.Locked" ? StatusCodes.Status429TooManyRequests : StatusCodes.Status422UnprocessableEntity);
        }
        await HttpContext.SignInAsync(KioskCookies.Scheme, KioskSignIn.Principal(person, User.DeviceId()));
        return Redirect("/kiosk/home?activated=1");
    }
}
