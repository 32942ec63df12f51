using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Recognition.Web.Features.Praise;

using Recognition.Web.Infrastructure.Web;

namespace Recognition.Web.Features.Supervisor;

public sealed class PraiseItem
{
    public long Id { get; init; }
    public string Message { get; init; } = "";
    public string? AuthorName { get; init; }
    public string? Company { get; init; }
    public string? Contact { get; init; }
    public string? PersonZh { get; init; }
    public string? PersonEn { get; init; }
    public string? TeamZh { get; init; }
    public string? TeamEn { get; init; }
    public string? ValueZh { get; init; }
    public string? ValueEn { get; init; }
    public string Kind { get; init; } = "";
    public DateTime CreatedUtc { get; init; }
    public string TimeZone { get; init; } = "";
    public string When => SiteTime.Format(CreatedUtc, TimeZone);
    public string? Person => PersonZh is null && PersonEn is null ? null : Bilingual.Pick(PersonZh, PersonEn);
    public string? Team => TeamZh is null && TeamEn is null ? null : Bilingual.Pick(TeamZh, TeamEn);
    public string? Value => ValueZh is null ? null : Bilingual.Pick(ValueZh, ValueEn);
}

/// <summary>
/// /Supervisor/Praise: what customers sent about the teams a supervisor leads (an admin: the whole site), waiting for a
/// decision; and customer praise per team per month.
/// </summary>
[Authorize(Policy = Policies.Supervisor)]
public sealed class PraiseModel(PraiseService praise, Db db, TimeProvider clock) : FormPage
{
    public IReadOnlyList<PraiseItem> Pending { get; private set; } = [];
    public IReadOnlyList<(string Team, int Month, int Count)> Monthly { get; private set; } = [];
    public string? Message { get; private set; }

    public async Task OnGetAsync() => await LoadAsync();

    public Task<IActionResult> OnPostApproveAsync(long id) => Respond(praise.ApproveAsync(id, User.EmployeeId(), Admin, clock.GetUtcNow().UtcDateTime), "Praise.Approved");

    public Task<IActionResult> OnPostRejectAsync(long id) => Respond(praise.RejectAsync(id, User.EmployeeId(), Admin, clock.GetUtcNow().UtcDateTime), "Praise.Rejected");

    private AdminScope? Admin => User.IsAdmin() ? AdminScope.Of(User) : null;

    private async Task<IActionResult> Respond(Task<Outcome> work, string okKey)
    {
        Message = Show(await work, okKey);
        await LoadAsync();
        return Page();
    }

    private async Task LoadAsync()
    {
        var args = Access.Parameters(User);
        args.AddDynamicParams(new { skip = 0, take = 100, since = clock.GetUtcNow().UtcDateTime.AddMonths(-6) });
        var scope = Access.LeadsOrAdministers("p.team_id", "p.site_id");
        await using var conn = await db.OpenAsync();
        Pending = (await conn.QueryAsync<PraiseItem>(db.Dialect.Page(
            $@"SELECT p.id AS Id, p.message AS Message, p.author_name AS AuthorName, p.company AS Company, p.contact AS Contact, e.name_zh AS PersonZh, e.name_en AS PersonEn,
                      t.name_zh AS TeamZh, t.name_en AS TeamEn, v.name_zh AS ValueZh, v.name_en AS ValueEn, c.kind AS Kind, p.created_utc AS CreatedUtc, s.time_zone AS TimeZone
               FROM praise_submissions p JOIN praise_codes c ON c.id = p.code_id JOIN sites s ON s.id = p.site_id LEFT JOIN employees e ON e.id = p.employee_id
               LEFT JOIN teams t ON t.id = p.team_id LEFT JOIN core_values v ON v.id = p.value_id
               WHERE p.status = 'pending' AND {scope} AND (p.employee_id IS NULL OR p.employee_id <> @me) ORDER BY p.id"), args)).ToList();
        // Customer praise per team per month (approved, by the site-local month it was decided; the last six months).
        Monthly = (await conn.QueryAsync<(string? Zh, string? En, DateTime Decided, string Zone)>(
                $@"SELECT t.name_zh, t.name_en, p.decided_utc, s.time_zone FROM praise_submissions p JOIN sites s ON s.id = p.site_id
                   LEFT JOIN teams t ON t.id = p.team_id WHERE p.status = 'approved' AND p.decided_utc >= @since AND {scope}", args))
            .GroupBy(r => (Team: Bilingual.Pick(r.Zh, r.En), Month: SiteTime.Month(r.Decided, r.Zone)))
            .Select(g => (g.Key.Team, g.Key.Month, g.Count())).OrderByDescending(r => r.Month).ThenBy(r => r.Team).ToList();
    }
}
