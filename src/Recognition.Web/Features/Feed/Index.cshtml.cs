using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Recognition.Web.Infrastructure.Web;

namespace Recognition.Web.Features.Feed;

/// <summary>Site feed (public) and my team's feed (public + team), newest first, "more" loads the next page with htmx.</summary>
[Authorize(Policy = Policies.Employee)]
public sealed class IndexModel(FeedQueries feed, Db db, Social.Reactions reactions, Celebrations.CelebrationService celebrations, TimeProvider clock) : PageModel
{
    public const int PageSize = 20;
    [BindProperty(SupportsGet = true)] public string Scope { get; set; } = "site";
    [BindProperty(SupportsGet = true)] public long? Before { get; set; }

    /// <summary>The live feed's request: the cards after the page's top one (at most a page, newest first).</summary>
    [BindProperty(SupportsGet = true)] public long? After { get; set; }
    public IReadOnlyList<FeedCard> Cards { get; private set; } = [];
    public long? NextBefore => Cards.Count == PageSize ? Cards[^1].Id : null;

    /// <summary>Today's celebrations at the person's site, on the first page.</summary>
    public IReadOnlyList<Celebrations.CelebrationRow> Celebrations { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync()
    {
        if (Scope == "team")
        {
            var teamId = await db.ReadAsync(c => c.ExecuteScalarAsync<long?>("SELECT team_id FROM employees WHERE id = @id", new { id = User.EmployeeId() }));
            Cards = teamId is { } t ? await feed.TeamAsync(t, Before, PageSize, After ?? 0) : [];
        }
        else
        {
            Scope = "site";
            Cards = await feed.SiteAsync(User.SiteId(), Before, PageSize, After ?? 0);
        }
        if (After is not null) return Cards.Count == 0 ? StatusCode(204) : Partial("_Cards", Cards);
        if (Before is null) Celebrations = await celebrations.TodayAsync(User.SiteId(), clock.GetUtcNow().UtcDateTime);
        return this.PageOrPartial("_Page");
    }

    /// <summary>The live feed's second request: the reaction bars of cards on the page whose reactions changed, only those
    /// the person may see (at most a page's worth; anything else in the list is ignored).</summary>
    public async Task<IActionResult> OnGetReactionsAsync(string? ids)
    {
        var wanted = (ids ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Take(PageSize * 3)
            .Select(x => long.TryParse(x, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var v) ? v : 0)
            .Where(x => x > 0).Distinct().ToList();
        var cards = await db.ReadAsync(async c => await feed.ManyAsync(c, await RecognitionAccess.VisibleAsync(c, wanted, User.EmployeeId(), User.SiteId())));
        if (cards.Count == 0) return StatusCode(204);
        var bars = await reactions.BarsAsync(cards, User.EmployeeId());
        return Partial("/Features/Social/_Bars.cshtml", bars.Values);
    }
}
