using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Recognition.Web.Infrastructure.Web;

namespace Recognition.Web.Features.Programs;

/// <summary>/Programs: a site's award programs — nominate in an open one, judge where one is a judge, the winners.</summary>
[Authorize(Policy = Policies.Employee)]
public sealed class IndexModel(ProgramService programs, TimeProvider clock, Db db) : FormPage
{
    [BindProperty] public string? NomineeNo { get; set; }
    [BindProperty] public string? Reason { get; set; }
    [BindProperty] public string Key { get; set; } = Idempotency.NewKey();
    [BindProperty] public long ProgramId { get; set; }
    public IReadOnlyList<ProgramRow> List { get; private set; } = [];
    public IReadOnlySet<long> Judging { get; private set; } = new HashSet<long>();
    public IReadOnlyList<(long ProgramId, string Nominee, DateTime When)> Mine { get; private set; } = [];
    public IReadOnlyList<(long ProgramId, long RecognitionId, string Winner)> Winners { get; private set; } = [];
    public int Today { get; private set; }
    public bool Sent { get; private set; }
    public bool IsSupervisor => User.IsSupervisor();

    public async Task OnGetAsync(bool sent = false)
    {
        Sent = sent;
        await LoadAsync();
    }

    public async Task<IActionResult> OnPostNominateAsync()
    {
        var outcome = await programs.NominateAsync(ProgramId, User.EmployeeId(), User.SiteId(), NomineeNo, Reason, Key, clock.GetUtcNow().UtcDateTime);
        if (outcome.Ok) return Redirect("/Programs?sent=true");
        await LoadAsync();
        return Refuse(outcome);
    }

    private async Task LoadAsync()
    {
        List = (await programs.ForSiteAsync(User.SiteId())).Where(p => p.Status != "cancelled").ToList();
        Judging = await programs.JudgingAsync(User.EmployeeId());
        Mine = await programs.MineAsync(User.EmployeeId());
        Winners = await programs.WinnersAsync(User.SiteId());
        Today = await SiteTime.TodayAsync(db, User.SiteId(), clock.GetUtcNow().UtcDateTime);
    }
}
