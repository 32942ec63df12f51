using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Recognition.Web.Features.Rollout;
using Recognition.Web.Infrastructure.Web;

namespace Recognition.Web.Features.Admin.People;

/// <summary>
/// /Admin/People: everyone the admin may manage, searched, filtered and paged; how far the rollout has come (who can
/// sign in at the office, at a kiosk, who never has); and welcome letters for a selection, a team, an import batch or
/// everyone without a way to sign in.
/// </summary>
[Authorize(Policy = Policies.Admin)]
public sealed class IndexModel(PeopleSearch search, AdminLookups lookups, RolloutCounts rollout, WelcomeLetters letters) : FormPage
{
    public PeopleFilter Filter { get; private set; } = new(null, null, null, null, null, 1);
    public IReadOnlyList<PersonListRow> Rows { get; private set; } = [];
    public int Total { get; private set; }
    public IReadOnlyList<Option> Sites { get; private set; } = [];
    public IReadOnlyList<Option> Teams { get; private set; } = [];
    public IReadOnlyList<string> Batches { get; private set; } = [];
    public RolloutCounts.Counts Counts { get; private set; } = new();
    public bool Welcome { get; private set; }
    public int Pages => Math.Max(1, (Total + PeopleSearch.PageSize - 1) / PeopleSearch.PageSize);

    [BindProperty] public string? Who { get; set; }
    [BindProperty] public List<long> Selected { get; set; } = [];
    [BindProperty] public long? LetterTeam { get; set; }
    [BindProperty] public string? LetterBatch { get; set; }
    [BindProperty] public bool IncludeAble { get; set; }
    [BindProperty] public bool Cards { get; set; }

    public async Task OnGetAsync(string? q, long? site, long? team, string? role, string? status, string? access, int page = 1, bool welcome = false)
    {
        Filter = new PeopleFilter(q?.Length > 100 ? q[..100] : q, site, team, role, status, Math.Clamp(page, 1, 100_000),
            access is "office" or "sso" or "kiosk" or "never" or "none" ? access : null);
        Welcome = welcome;
        await LoadAsync();
    }

    /// <summary>Generates the letters and answers with the PDF; a refusal shows the page again with the choice kept.</summary>
    public async Task<IActionResult> OnPostLettersAsync(long? site)
    {
        var scope = AdminScope.Of(User);
        var request = new LetterRequest(Who ?? "", Selected.Take(1001).ToList(), LetterTeam, LetterBatch is { Length: <= 40 } b ? b : null, site, IncludeAble, Cards);
        var r = await letters.GenerateAsync(request, scope, PublicUrl.Base(HttpContext), HttpContext.Connection.RemoteIpAddress?.ToString());
        if (r.Value is not { } batch)
        {
            Filter = new PeopleFilter(null, site, null, null, null, 1);
            await LoadAsync();
            return Refuse(r.Refusal, r.Error == "Letters.Busy" ? StatusCodes.Status409Conflict : StatusCodes.Status422UnprocessableEntity);
        }
        Response.Headers.CacheControl = "no-store";
        return File(LettersPdf.Render(batch), "application/pdf", $"welcome-letters-{batch.Now:yyyyMMdd-HHmm}.pdf");
    }

    private async Task LoadAsync()
    {
        var scope = AdminScope.Of(User);
        (Rows, Total) = await search.SearchAsync(Filter, scope);
        Sites = await lookups.SitesAsync(scope);
        Teams = await lookups.TeamsAsync(scope.ListSite(Filter.SiteId), scope);
        Counts = await rollout.ForAsync(scope, Filter.SiteId);
        Batches = await lookups.ImportBatchesAsync(scope);
    }

    public string PageUrl(int page) =>
        $"/Admin/People?q={Uri.EscapeDataString(Filter.Q ?? "")}&site={Filter.SiteId}&team={Filter.TeamId}&role={Filter.Role}&status={Filter.Status}&access={Filter.Access}&page={page}";

    public string AccessUrl(string? access) => $"/Admin/People?site={Filter.SiteId}&access={access}";
}
