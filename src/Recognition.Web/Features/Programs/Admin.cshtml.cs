using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Recognition.Web.Features.Admin.People;
using Recognition.Web.Features.Recognize;
using Recognition.Web.Infrastructure.Web;

namespace Recognition.Web.Features.Programs;

/// <summary>/Admin/Programs: HR defines award programs for a site and follows them (phase, nominations, budget).</summary>
[Authorize(Policy = Policies.Admin)]
public sealed class AdminModel(ProgramService programs, RecognizeQueries catalogue, AdminLookups lookups, Db db, TimeProvider clock) : FormPage
{
    [BindProperty(SupportsGet = true)] public long? Site { get; set; }
    [BindProperty] public string? NameZh { get; set; }
    [BindProperty] public string? NameEn { get; set; }
    [BindProperty] public long BadgeId { get; set; }
    [BindProperty] public string? Criteria { get; set; }
    [BindProperty] public string Nominators { get; set; } = "everyone";
    [BindProperty] public string? Opens { get; set; }
    [BindProperty] public string? Closes { get; set; }
    [BindProperty] public int PrizePoints { get; set; } = 50;
    [BindProperty] public int Budget { get; set; } = 100;
    [BindProperty] public string? Judges { get; set; }
    public IReadOnlyList<Option> Sites { get; private set; } = [];
    public IReadOnlyList<BadgeOption> Badges { get; private set; } = [];
    public IReadOnlyList<ProgramRow> List { get; private set; } = [];
    public int Today { get; private set; }
    public bool Created { get; private set; }

    private AdminScope Scope => AdminScope.Of(User);

    public async Task<IActionResult> OnGetAsync(bool created = false)
    {
        Created = created;
        return await LoadAsync() ? Page() : NotFound();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!await LoadAsync()) return NotFound();
        var outcome = await programs.CreateAsync(Site!.Value, new ProgramForm(NameZh, NameEn, BadgeId, Criteria, Nominators, Opens, Closes, PrizePoints, Budget, Judges),
            Scope, clock.GetUtcNow().UtcDateTime);
        return outcome.Ok ? Redirect($"/Admin/Programs?site={Site}&created=true") : Refuse(outcome);
    }

    private async Task<bool> LoadAsync()
    {
        var scope = Scope;
        Site ??= scope.HomeSite;
        if (Site is not { } s || !scope.Covers(s)) return false;
        Sites = await lookups.SitesAsync(scope);
        Badges = await catalogue.BadgesAsync(includeSupervisor: true);
        List = await programs.ForSiteAsync(s);
        Today = await SiteTime.TodayAsync(db, s, clock.GetUtcNow().UtcDateTime);
        return true;
    }
}
