using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Recognition.Web.Features.Feed;
using Recognition.Web.Features.Me;
using Recognition.Web.Features.Social;

namespace Recognition.Web.Features.Kiosk;

[Authorize(Policy = Policies.KioskSession)]
public sealed class HomeModel(MyQueries me, FeedQueries feed, Reactions reactions, TimeProvider clock) : KioskPage
{
    public const int LatestCount = 3;
    public MySummary Summary { get; private set; } = null!;

    /// <summary>The site's latest public recognitions, each with the person's reactions: a tap sets or clears one.</summary>
    public IReadOnlyList<FeedCard> Latest { get; private set; } = [];
    public Dictionary<long, ReactionBar> Bars { get; private set; } = [];

    public async Task OnGetAsync()
    {
        Summary = await me.SummaryAsync(PersonId);
        Latest = await feed.SiteAsync(SiteId, null, LatestCount);
        Bars = await reactions.BarsAsync(Latest, PersonId);
    }

    /// <summary>A tap on a reaction: "kind:on" or "kind:off" (what the button shows it will do), for one of the cards shown.</summary>
    public async Task<IActionResult> OnPostReactAsync(long id, string? pick)
    {
        var parts = (pick ?? "").Split(':');
        var outcome = parts.Length == 2
            ? await reactions.SetAsync(id, PersonId, SiteId, parts[0], parts[1] == "on", clock.GetUtcNow().UtcDateTime)
            : Outcome.Refused("Error.UnknownReaction");
        // A card the person may not see is as if it did not exist; anything else (a kind outside the set) is said on the screen.
        if (outcome.Error == "Error.RecognitionNotFound") return NotFound();
        if (!outcome.Ok)
        {
            await OnGetAsync();
            return Refuse(outcome);
        }
        return Redirect($"/kiosk/home#k-{id}");
    }

    /// <summary>
    /// The kiosk page says "still here" when the person touches it; the session cookie is renewed on every request
    /// and lives exactly the idle time, so the server ends it when the screen does.
    /// </summary>
    public IActionResult OnPostAlive() => new NoContentResult();
}
