using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Recognition.Web.Features.Me;

namespace Recognition.Web.Features.Kiosk;

/// <summary>My points, allowance left and latest badges; and changing my PIN.</summary>
[Authorize(Policy = Policies.KioskSession)]
public sealed class MeModel(MyQueries me, Feed.FeedQueries feed, KioskSignIn signIn, TimeProvider clock, Credentials.PickupTokens pickup) : KioskPage
{
    public MySummary Summary { get; private set; } = null!;
    public IReadOnlyList<BadgeTally> Badges { get; private set; } = [];

    /// <summary>The last few recognitions the person received, with their words (private ones too: it is their own screen).</summary>
    public IReadOnlyList<FeedCard> Received { get; private set; } = [];

    /// <summary>The QR code's link: the person's badges as credentials on their own phone, for ten minutes.</summary>
    public string PickupUrl { get; private set; } = "";

    public async Task OnGetAsync() => await LoadAsync();

    public async Task<IActionResult> OnPostPinAsync(string? current, string? next, string? repeat)
    {
        var changed = await signIn.ChangePinAsync(PersonId, current, next, repeat, clock.GetUtcNow().UtcDateTime);
        if (changed.Ok) return await FinishAsync("pin");
        await LoadAsync();
        return Refuse(changed);
    }

    private async Task LoadAsync()
    {
        Summary = await me.SummaryAsync(PersonId);
        PickupUrl = $"{Infrastructure.Web.PublicUrl.Base(HttpContext)}/pickup/{pickup.Make(PersonId)}";
        Badges = (await me.BadgesAsync(PersonId, publicOnly: false)).Take(6).ToList();
        Received = (await feed.ReceivedAsync(PersonId, self: true, null, 10)).Where(c => c.Status == "active").Take(3).ToList();
    }
}
