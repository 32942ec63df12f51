using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Recognition.Web.Features.Feed;
using Recognition.Web.Infrastructure.Web;

namespace Recognition.Web.Features.Kiosk;

/// <summary>
/// The kiosk's idle screen: how to sign in (badge scan at any time, or number + PIN), the site's latest
/// public recognitions (refreshed live). Arriving here always ends any person's session.
/// </summary>
[Authorize(Policy = Policies.Kiosk)]
public sealed class IndexModel(KioskSignIn signIn, FeedQueries feed, Infrastructure.Data.Db db, Microsoft.Extensions.Caching.Memory.IMemoryCache cache,
    TimeProvider clock) : FormPage
{
    /// <summary>The letters and signs the site's employee numbers use (A0001, S-12 …), so every number can be typed on the keypad.</summary>
    public IReadOnlyList<string> KeypadExtras { get; private set; } = [];

    [BindProperty] public string? EmployeeNo { get; set; }
    public bool ShowPin { get; private set; }
    public string? Done { get; private set; }
    public IReadOnlyList<FeedCard> Latest { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string? done)
    {
        Response.Headers.CacheControl = "no-store";
        if (Request.Cookies.ContainsKey(KioskCookies.Person))
        {
            // This request's language was still the person's: sign out, then show the idle screen in the kiosk's own.
            await HttpContext.SignOutAsync(KioskCookies.Scheme);
            return Redirect(Request.Path + Request.QueryString);
        }
        Done = done is "recognized" or "reported" or "pin" or "redeemed" ? done : null;
        await LoadAsync();
        return Page();
    }

    public async Task<IActionResult> OnGetFeedAsync()
    {
        await LoadAsync();
        return Partial("_Feed", this);
    }

    public async Task<IActionResult> OnPostScanAsync(string? code)
    {
        var r = await signIn.ByBadgeAsync(User.SiteId(), User.DeviceId(), code, clock.GetUtcNow().UtcDateTime);
        return await CompleteAsync(r, pin: false);
    }

    public async Task<IActionResult> OnPostPinAsync(string? pin)
    {
        var r = await signIn.ByPinAsync(User.SiteId(), User.DeviceId(), EmployeeNo, pin, clock.GetUtcNow().UtcDateTime);
        return await CompleteAsync(r, pin: true);
    }

    private async Task<IActionResult> CompleteAsync(Outcome<PersonRowBase> r, bool pin)
    {
        if (r.Value is null)
        {
            ShowPin = pin;
            await LoadAsync();
            return Refuse(r.Refusal);
        }
        await HttpContext.SignInAsync(KioskCookies.Scheme, KioskSignIn.Principal(r.Value, User.DeviceId()));
        return Redirect("/kiosk/home");
    }

    private async Task LoadAsync()
    {
        Latest = await feed.SiteAsync(User.SiteId(), null, 6);
        KeypadExtras = await KioskKeypad.ExtrasAsync(db, cache, User.SiteId());
    }
}
