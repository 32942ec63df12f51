using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Recognition.Web.Infrastructure.Web;

namespace Recognition.Web.Features.Feed;

/// <summary>Site feed (public) and my team's feed (public + team), newest first, "more" loads the next page with htmx.</summary>
[Authorize(Policy = Policies.Employee)]
public sealed class IndexModel(FeedQueries feed, Db db) : PageModel
{
    public const int PageSize = 20;
    [BindProperty(SupportsGet = true)] public string Scope { get; set; } = "site";
    [BindProperty(SupportsGet = true)] public long? Before { get; set; }
    public IReadOnlyList<FeedCard> Cards { get; private set; } = [];
    public long? NextBefore => Cards.Count == PageSize ? Cards[^1].Id : null;

    public async Task<IActionResult> OnGetAsync()
    {
        if (Scope == "team")
        {
            var teamId = await db.ReadAsync(c => c.ExecuteScalarAsync<long?>("SELECT team_id FROM employees WHERE id = @id", new { id = User.EmployeeId() }));
            Cards = teamId is { } t ? await feed.TeamAsync(t, Before, PageSize) : [];
        }
        else
        {
            Scope = "site";
            Cards = await feed.SiteAsync(User.SiteId(), Before, PageSize);
        }
        return this.PageOrPartial("_Page");
    }
}
