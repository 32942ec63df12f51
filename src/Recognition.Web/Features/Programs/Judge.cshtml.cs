using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Recognition.Web.Infrastructure.Web;

namespace Recognition.Web.Features.Programs;

/// <summary>/Programs/{id}/Judge: a judge's view — nominations by nominee, only the judge's own scores, shortlist, decide.</summary>
[Authorize(Policy = Policies.Employee)]
public sealed class JudgeModel(ProgramService programs, TimeProvider clock, Db db) : FormPage
{
    public ProgramRow Program { get; private set; } = null!;
    public IReadOnlyList<IGrouping<long, NominationRow>> Nominees { get; private set; } = [];
    public int Today { get; private set; }

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    private async Task<bool> LoadAsync(long id)
    {
        if (await programs.ForJudgeAsync(id, User.EmployeeId(), User.SiteId()) is not { } view) return false;
        Program = view.Program;
        Nominees = view.Nominations.GroupBy(n => n.NomineeId).ToList();
        Today = await SiteTime.TodayAsync(db, User.SiteId(), Now);
        return true;
    }

    public async Task<IActionResult> OnGetAsync(long id) => await LoadAsync(id) ? Page() : NotFound();

    public Task<IActionResult> OnPostScoreAsync(long id, long nominationId, int score) =>
        ActAsync(id, () => programs.ScoreAsync(nominationId, User.EmployeeId(), User.SiteId(), score, Now));

    public Task<IActionResult> OnPostShortlistAsync(long id, long nominationId, bool on) =>
        ActAsync(id, () => programs.ShortlistAsync(nominationId, User.EmployeeId(), User.SiteId(), on, Now));

    public Task<IActionResult> OnPostDecideAsync(long id, List<long> winners) =>
        ActAsync(id, () => programs.DecideAsync(id, User.EmployeeId(), User.SiteId(), winners, Now));

    private async Task<IActionResult> ActAsync(long id, Func<Task<Outcome>> act)
    {
        var outcome = await act();
        if (outcome.Error == "Program.NotFound" || !await LoadAsync(id)) return NotFound();
        return outcome.Ok ? Redirect($"/Programs/{id}/Judge") : Refuse(outcome);
    }
}
