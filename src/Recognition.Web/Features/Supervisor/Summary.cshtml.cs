using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Recognition.Web.Features.Printing;
using Recognition.Web.Infrastructure.Web;

namespace Recognition.Web.Features.Supervisor;

/// <summary>The shift-meeting summary: pick team and shift (or dates), read it on screen, print it, or get PDFs.</summary>
[Authorize(Policy = Policies.Supervisor)]
public sealed class SummaryModel(ShiftSummaryQueries summaries, CertificateQueries certificates, TeamAccess access, Db db, TimeProvider clock,
    IStringLocalizer<SharedResource> L) : FormPage
{
    [BindProperty(SupportsGet = true)] public long? Team { get; set; }
    [BindProperty(SupportsGet = true)] public long? Shift { get; set; }
    [BindProperty(SupportsGet = true)] public string? From { get; set; }
    [BindProperty(SupportsGet = true)] public string? To { get; set; }
    public IReadOnlyList<(long Id, string NameZh, string NameEn)> Teams { get; private set; } = [];
    public IReadOnlyList<(long Id, string NameZh, string NameEn)> Shifts { get; private set; } = [];
    public ShiftSummary? Summary { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        var result = await LoadAsync();
        return result ?? Page();
    }

    public async Task<IActionResult> OnGetPdfAsync()
    {
        if (await LoadAsync() is { } problem) return problem;
        if (Summary is null) return BadRequest(Error ?? "");
        return File(SummaryPdf.Render(Summary), "application/pdf", $"summary-{Summary.TeamId}-{Summary.Window.FromUtc:yyyyMMddHHmm}.pdf");
    }

    public async Task<IActionResult> OnGetCertificatesAsync()
    {
        if (await LoadAsync() is { } problem) return problem;
        if (Summary is null) return BadRequest(Error ?? "");
        var certs = await certificates.ForRecognitionsAsync(User, Summary.Recognitions.Select(r => r.Id).ToList(), null, Infrastructure.Web.PublicUrl.Base(HttpContext));
        return File(CertificatePdf.Render(certs), "application/pdf", $"certificates-{Summary.TeamId}.pdf");
    }

    private async Task<IActionResult?> LoadAsync()
    {
        Teams = await access.TeamsAsync(User);
        Team ??= Teams.FirstOrDefault().Id;
        if (Team is not { } teamId || teamId == 0) return null;
        if (!await access.CanPrintTeamAsync(User, teamId)) return Forbid();
        Shifts = (await db.ReadAsync(c => c.QueryAsync<(long, string, string)>(
            "SELECT s.id, s.name_zh, s.name_en FROM shifts s JOIN team_shifts ts ON ts.shift_id = s.id WHERE ts.team_id = @teamId ORDER BY s.start_minute",
            new { teamId }))).ToList();
        var now = clock.GetUtcNow().UtcDateTime;
        DateTime? fromUtc = null, toUtc = null;
        if (!string.IsNullOrWhiteSpace(From) || !string.IsNullOrWhiteSpace(To))
        {
            var zone = await db.ReadAsync(c => c.ExecuteScalarAsync<string>("SELECT s.time_zone FROM teams t JOIN sites s ON s.id = t.site_id WHERE t.id = @teamId", new { teamId }));
            if (!DateTime.TryParseExact(From, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var f) ||
                !DateTime.TryParseExact(To, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var t) || t < f)
            {
                Error = L["Summary.BadDates"];
                return null;
            }
            if ((t - f).TotalDays > 92)
            {
                Error = L["Summary.RangeTooLong", 92];
                return null;
            }
            fromUtc = SiteTime.ToUtc(f, zone!);
            toUtc = SiteTime.ToUtc(t.AddDays(1), zone!);
        }
        if (Shift is { } s && !Shifts.Any(x => x.Id == s)) Shift = null;
        if (Shift is null && Shifts.Count > 0) Shift = Shifts[0].Id;
        Summary = await summaries.LoadAsync(teamId, Shift, fromUtc, toUtc, now);
        return null;
    }
}
