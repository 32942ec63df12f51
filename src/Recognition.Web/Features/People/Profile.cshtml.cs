using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Recognition.Web.Features.Feed;
using Recognition.Web.Features.Me;

namespace Recognition.Web.Features.People;

/// <summary>A person's public profile: only what they received publicly.</summary>
[Authorize(Policy = Policies.Employee)]
public sealed class ProfileModel(PeopleStore people, MyQueries me, FeedQueries feed) : PageModel
{
    public PersonRow Person { get; private set; } = null!;
    public IReadOnlyList<BadgeTally> Badges { get; private set; } = [];
    public IReadOnlyList<FeedCard> Received { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(long id)
    {
        var p = await people.FindAsync(id);
        if (p is null || !p.Active || p.SiteId != User.SiteId()) return NotFound(); // people of another site are not listed to this one
        Person = p;
        Badges = await me.BadgesAsync(id, publicOnly: true);
        Received = await feed.ReceivedAsync(id, self: false, beforeId: null, take: 50);
        return Page();
    }
}
