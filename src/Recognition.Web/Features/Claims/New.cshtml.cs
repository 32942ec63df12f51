using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Recognition.Web.Infrastructure.Web;

namespace Recognition.Web.Features.Claims;

[Authorize(Policy = Policies.Employee)]
public sealed class NewModel(ClaimService claims, Db db, TimeProvider clock) : FormPage
{
    [BindProperty] public long RuleId { get; set; }
    [BindProperty] public string? Description { get; set; }
    [BindProperty] public string? Location { get; set; }
    [BindProperty] public IFormFile? Photo { get; set; }
    [BindProperty] public string IdempotencyKey { get; set; } = "";
    public long? DoneId { get; private set; }
    public IReadOnlyList<(long Id, string Name, int Points, string Category, bool RequiresApproval)> Rules { get; private set; } = [];

    public async Task OnGetAsync(long? done, string? rule)
    {
        IdempotencyKey = Idempotency.NewKey();
        DoneId = done;
        await LoadAsync();
        if (rule is not null) RuleId = await db.ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT id FROM behaviour_rules WHERE code = @rule", new { rule }));
    }

    public async Task<IActionResult> OnPostAsync()
    {
        Photo? photo = null;
        if (Photo is { Length: > 0 } file)
        {
            if (file.Length > 8 * 1024 * 1024) return await Fail("Error.PhotoTooLarge", 2);
            using var ms = new MemoryStream();
            await file.CopyToAsync(ms);
            var bytes = ms.ToArray();
            photo = new Photo(bytes, ImageSniffer.ContentType(bytes) ?? "application/octet-stream");
        }
        var outcome = await claims.SubmitAsync(new ClaimCommand(User.EmployeeId(), RuleId, Description, Location, photo, IdempotencyKey), clock.GetUtcNow().UtcDateTime);
        if (outcome.Ok) return RedirectToPage("/Claims/New", new { done = outcome.Id });
        return await Fail(outcome.Error!, outcome.Args);
    }

    private async Task<IActionResult> Fail(string key, params object[] args)
    {
        await LoadAsync();
        return Refuse(key, args);
    }

    private async Task LoadAsync()
    {
        var rows = await db.ReadAsync(c => c.QueryAsync<(long Id, string NameZh, string NameEn, int Points, string Category, bool RequiresApproval)>(
            "SELECT id, name_zh, name_en, points, category, requires_approval FROM behaviour_rules WHERE active = 1 AND claimable = 1 ORDER BY id"));
        Rules = rows.Select(r => (r.Id, Bilingual.Pick(r.NameZh, r.NameEn), r.Points, r.Category, r.RequiresApproval)).ToList();
    }
}
