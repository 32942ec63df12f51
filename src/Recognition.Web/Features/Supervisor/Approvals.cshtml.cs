using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Recognition.Web.Features.Claims;

using Recognition.Web.Infrastructure.Web;

namespace Recognition.Web.Features.Supervisor;

public sealed class QueueItem
{
    public string? QuickPick { get; init; }
    public string? AreaZh { get; init; }
    public string? AreaEn { get; init; }
    public string? Note { get; init; }

    /// <summary>The claim's words in the reader's language (a kiosk quick pick is translated; see <see cref="ClaimText"/>).</summary>
    public string Text => ClaimText.Describe(Description, QuickPick, AreaZh, AreaEn, Note);
    public long Id { get; init; }
    public string? NameZh { get; init; }
    public string? NameEn { get; init; }
    public string RuleCode { get; init; } = "";
    public string? SystemKey { get; init; }
    public int RulePoints { get; init; }
    public string RuleZh { get; init; } = "";
    public string RuleEn { get; init; } = "";
    public string Description { get; init; } = "";
    public string? Location { get; init; }
    public string Status { get; init; } = "";
    public int PointsAwarded { get; init; }
    public bool HasPhoto { get; init; }
    public DateTime CreatedUtc { get; init; }
    public string TimeZone { get; init; } = "";
    public string When => Recognition.Web.Domain.SiteTime.Format(CreatedUtc, TimeZone);
    public string Name => Bilingual.Pick(NameZh, NameEn);
    public string Rule => Bilingual.Pick(RuleZh, RuleEn);
}

/// <summary>The approval queue: pending claims of the teams a supervisor leads (all teams for admins), and recent decisions.</summary>
[Authorize(Policy = Policies.Supervisor)]
public sealed class ApprovalsModel(ClaimService claims, Db db, TimeProvider clock) : FormPage
{
    public IReadOnlyList<QueueItem> Pending { get; private set; } = [];
    public IReadOnlyList<QueueItem> Approved { get; private set; } = [];
    public IReadOnlyList<(long Id, string Name)> Members { get; private set; } = [];
    public string? Message { get; private set; }
    [BindProperty] public string IdempotencyKey { get; set; } = "";

    public async Task OnGetAsync() => await LoadAsync();

    public Task<IActionResult> OnPostApproveAsync(long id, bool adopted) =>
        Respond(claims.ApproveAsync(id, User.EmployeeId(), User.IsAdmin() ? AdminScope.Of(User) : null, adopted, clock.GetUtcNow().UtcDateTime), "Approvals.Approved");

    public Task<IActionResult> OnPostRejectAsync(long id, string? reason) =>
        Respond(claims.RejectAsync(id, User.EmployeeId(), User.IsAdmin() ? AdminScope.Of(User) : null, reason, clock.GetUtcNow().UtcDateTime), "Approvals.Rejected");

    public Task<IActionResult> OnPostPraiseAsync(long employeeId, string? description) =>
        Respond(claims.RecordPraiseAsync(User.EmployeeId(), User.IsAdmin() ? AdminScope.Of(User) : null, employeeId, description, IdempotencyKey, clock.GetUtcNow().UtcDateTime), "Approvals.PraiseRecorded");

    public async Task<IActionResult> OnGetPhotoAsync(long id)
    {
        var item = await db.ReadAsync(c => c.QuerySingleOrDefaultAsync<(string ContentType, byte[] Bytes, long? TeamId, long SiteId)?>(
            "SELECT p.content_type, p.bytes, c.team_id, c.site_id FROM claim_photos p JOIN claims c ON c.id = p.claim_id WHERE p.claim_id = @id", new { id }));
        if (item is not { } photo) return NotFound();
        if (!await db.ReadAsync(c => Access.LeadsOrAdministersAsync(c, User, photo.TeamId, photo.SiteId))) return Forbid();
        return File(photo.Bytes, photo.ContentType);
    }

    private async Task<IActionResult> Respond(Task<Domain.Outcome> work, string okKey)
    {
        Message = Show(await work, okKey);
        await LoadAsync();
        return Page();
    }

    private async Task LoadAsync()
    {
        IdempotencyKey = Idempotency.NewKey();
        // Leaders see their teams' claims; admins those of their own site (organisation admins every site).
        var args = Access.Parameters(User);
        args.Add("skip", 0);
        var select =
            @"SELECT c.id AS Id, e.name_zh AS NameZh, e.name_en AS NameEn, r.code AS RuleCode, r.system_key AS SystemKey, r.points AS RulePoints, r.name_zh AS RuleZh, r.name_en AS RuleEn,
                     c.description AS Description, c.location AS Location, c.status AS Status, c.points_awarded AS PointsAwarded, c.quick_pick AS QuickPick, qa.name_zh AS AreaZh, qa.name_en AS AreaEn, c.note AS Note,
                     CASE WHEN p.claim_id IS NULL THEN 0 ELSE 1 END AS HasPhoto, c.created_utc AS CreatedUtc, s.time_zone AS TimeZone
              FROM claims c JOIN sites s ON s.id = c.site_id JOIN employees e ON e.id = c.employee_id JOIN behaviour_rules r ON r.id = c.rule_id
              LEFT JOIN claim_photos p ON p.claim_id = c.id LEFT JOIN teams t ON t.id = c.team_id LEFT JOIN site_areas qa ON qa.id = c.area_id
              WHERE " + Access.LeadsOrAdministers("t.id", "c.site_id") + " AND c.employee_id <> @me";
        await using var conn = await db.OpenAsync();
        args.Add("take", 100);
        Pending = (await conn.QueryAsync<QueueItem>(db.Dialect.Page(select + " AND c.status = 'pending' ORDER BY c.id"), args)).ToList();
        args.Add("take", 20);
        Approved = (await conn.QueryAsync<QueueItem>(db.Dialect.Page(select + " AND c.status = 'approved' ORDER BY c.id DESC"), args)).ToList();
        // Namesakes are told apart by their employee number; the list starts with no one chosen.
        Members = (await conn.QueryAsync<(long Id, string? NameZh, string? NameEn, string No)>(
                @"SELECT e.id, e.name_zh, e.name_en, e.employee_no FROM employees e JOIN teams t ON t.id = e.team_id
                  WHERE " + Access.LeadsOrAdministers("t.id", "e.site_id") + @" AND e.active = 1 AND e.id <> @me ORDER BY e.employee_no", args))
            .Select(m => (m.Id, $"{Bilingual.Pick(m.NameZh, m.NameEn)} ({m.No})")).ToList();
    }
}
