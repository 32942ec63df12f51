using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Recognition.Web.Features.Admin.People;

/// <summary>/Admin/People: everyone the admin may manage, searched, filtered and paged.</summary>
[Authorize(Policy = Policies.Admin)]
public sealed class IndexModel(PeopleSearch search, AdminLookups lookups) : PageModel
{
    public PeopleFilter Filter { get; private set; } = new(null, null, null, null, null, 1);
    public IReadOnlyList<PersonListRow> Rows { get; private set; } = [];
    public int Total { get; private set; }
    public IReadOnlyList<Option> Sites { get; private set; } = [];
    public IReadOnlyList<Option> Teams { get; private set; } = [];
    public bool Welcome { get; private set; }
    public int Pages => Math.Max(1, (Total + PeopleSearch.PageSize - 1) / PeopleSearch.PageSize);

    public async Task OnGetAsync(string? q, long? site, long? team, string? role, string? status, int page = 1, bool welcome = false)
    {
        var scope = AdminScope.Of(User);
        Filter = new PeopleFilter(q?.Length > 100 ? q[..100] : q, site, team, role, status, Math.Clamp(page, 1, 100_000));
        (Rows, Total) = await search.SearchAsync(Filter, scope);
        Sites = await lookups.SitesAsync(scope);
        Teams = await lookups.TeamsAsync(scope.ListSite(site), scope);
        Welcome = welcome;
    }

    public string PageUrl(int page) =>
        $"/Admin/People?q={Uri.EscapeDataString(Filter.Q ?? "")}&site={Filter.SiteId}&team={Filter.TeamId}&role={Filter.Role}&status={Filter.Status}&page={page}";
}
