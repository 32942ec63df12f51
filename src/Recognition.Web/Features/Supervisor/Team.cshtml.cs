using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Recognition.Web.Features.Supervisor;

public sealed class MemberRow
{
    public long Id { get; init; }
    public string? NameZh { get; init; }
    public string? NameEn { get; init; }
    public int Received { get; init; }
    public int Given { get; init; }
    public DateTime? LastReceivedUtc { get; init; }
    public string Name => Bilingual.Pick(NameZh, NameEn);
}

/// <summary>
/// A supervisor's team this month: recognitions received and given per member, a gentle nudge list of
/// people not recognised in 30 days (visible to the supervisor only), pending claims and their own giving.
/// </summary>
[Authorize(Policy = Policies.Supervisor)]
public sealed class TeamModel(TeamAccess access, Db db, TimeProvider clock, PolicyStore policies, Praise.PraiseCodes praise, Insights.InsightsQueries insights,
    Rollout.Activation activation, Coaching.Cadence cadence) : PageModel
{
    [BindProperty(SupportsGet = true)] public long? Team { get; set; }
    public IReadOnlyList<(long Id, string NameZh, string NameEn)> Teams { get; private set; } = [];
    public IReadOnlyList<MemberRow> Members { get; private set; } = [];
    public IReadOnlyList<MemberRow> Nudge { get; private set; } = [];
    /// <summary>This supervisor's own last 90 days (recognitions, one-to-ones), and the team's people quiet for 60+ days: both only for those who lead the team.</summary>
    public Coaching.CadenceRow? MyCadence { get; private set; }
    public IReadOnlyList<Coaching.QuietMember> Quiet { get; private set; } = [];
    public IReadOnlyList<string> Health { get; private set; } = [];
    public int Pending { get; private set; }
    public int MyGivenCount { get; private set; }
    public int MyAllowanceLeft { get; private set; }
    /// <summary>The team's public thank-you link and its QR code.</summary>
    public string? PraiseUrl { get; private set; }
    public string PraiseQr { get; private set; } = "";
    /// <summary>The teams this person leads, week by week (from the last insights rebuild), and this team's values radar (null under five people).</summary>
    public (IReadOnlyList<int> Weeks, IReadOnlyList<Insights.HeatRow> Rows) Heat { get; private set; } = ([], []);
    public IReadOnlyList<Insights.RadarAxis>? Radar { get; private set; }

    /// <summary>The team view's charts as CSV: the heatmap of the teams this person leads, or this team's radar.</summary>
    public async Task<IActionResult> OnGetCsvAsync(string? table)
    {
        Teams = await access.TeamsAsync(User);
        Team ??= Teams.FirstOrDefault().Id;
        if (Team is not { } teamId || teamId == 0 || !await access.CanPrintTeamAsync(User, teamId)) return Forbid();
        var siteId = await db.ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT site_id FROM teams WHERE id = @teamId", new { teamId }));
        var stamp = clock.GetUtcNow().ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture);
        if (table == "radar")
        {
            var radar = await insights.TeamRadarAsync(teamId) ?? [];
            return File(Infrastructure.Csv.Write(["value", "received"], radar.Select(a => (IReadOnlyList<string?>)[a.Name, a.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)])),
                "text/csv; charset=utf-8", $"team-radar-{teamId}-{stamp}.csv");
        }
        var heat = await insights.HeatmapAsync(new Insights.InsightsQueries.Scope(siteId, null), Teams.Select(t => t.Id).ToList());
        return File(Infrastructure.Csv.Write(["team", .. heat.Weeks.Select(Insights.Charts.WeekLabel)], heat.Rows.Select(r => (IReadOnlyList<string?>)[r.Team, .. r.Cells.Select(c => c.ToString())])),
            "text/csv; charset=utf-8", $"team-heatmap-{stamp}.csv");
    }

    /// <summary>A fresh kiosk activation code for one member, printed as a slip: a forgotten PIN never needs HR.</summary>
    public async Task<IActionResult> OnPostSlipAsync(long member)
    {
        var r = await activation.IssueForMemberAsync(User, member, HttpContext.Connection.RemoteIpAddress?.ToString(), clock.GetUtcNow().UtcDateTime);
        if (r.Value is not { } slip) return Forbid();
        var site = await db.ReadAsync(c => c.QuerySingleAsync<(string Zh, string En)>("SELECT s.name_zh, s.name_en FROM employees e JOIN sites s ON s.id = e.site_id WHERE e.id = @member", new { member }));
        Response.Headers.CacheControl = "no-store";
        return File(Rollout.LettersPdf.RenderSlip(slip, site.Zh, site.En), "application/pdf", $"kiosk-code-{slip.EmployeeNo}.pdf");
    }

    public async Task<IActionResult> OnGetAsync()
    {
        Teams = await access.TeamsAsync(User);
        Team ??= Teams.FirstOrDefault().Id;
        if (Team is not { } teamId || teamId == 0) return Page();
        if (!await access.CanPrintTeamAsync(User, teamId)) return Forbid();
        var siteId = await db.ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT site_id FROM teams WHERE id = @teamId", new { teamId }));
        Heat = await insights.HeatmapAsync(new Insights.InsightsQueries.Scope(siteId, null), Teams.Select(t => t.Id).ToList());
        Radar = await insights.TeamRadarAsync(teamId);
        MyCadence = await cadence.ForSupervisorAsync(User.EmployeeId(), siteId);
        Quiet = await cadence.QuietAsync(teamId, User.EmployeeId());
        Health = await cadence.TeamHealthAsync(teamId, User.EmployeeId());
        var praiseCode = await praise.EnsureCodeAsync(siteId, "team", teamId, clock.GetUtcNow().UtcDateTime);
        PraiseUrl = $"{Infrastructure.Web.PublicUrl.Base(HttpContext)}/thanks/{praiseCode}";
        PraiseQr = Infrastructure.Qr.Svg(PraiseUrl, PraiseUrl);
        await using var conn = await db.OpenAsync();
        var zone = await conn.ExecuteScalarAsync<string>("SELECT s.time_zone FROM teams t JOIN sites s ON s.id = t.site_id WHERE t.id = @teamId", new { teamId });
        var now = clock.GetUtcNow().UtcDateTime;
        var month = SiteTime.Month(now, zone!);
        var monthStart = SiteTime.MonthStartUtc(month, zone!);
        var args = new { teamId, monthStart, since30 = now.AddDays(-30), me = User.EmployeeId() };
        Members = (await conn.QueryAsync<MemberRow>(
            @"SELECT e.id AS Id, e.name_zh AS NameZh, e.name_en AS NameEn,
                     (SELECT COUNT(*) FROM recognition_recipients x JOIN recognitions r ON r.id = x.recognition_id
                       WHERE x.employee_id = e.id AND r.status = 'active' AND r.created_utc >= @monthStart) AS Received,
                     (SELECT COUNT(*) FROM recognitions r WHERE r.giver_id = e.id AND r.source = 'peer' AND r.status = 'active' AND r.created_utc >= @monthStart) AS Given,
                     (SELECT MAX(r.created_utc) FROM recognition_recipients x JOIN recognitions r ON r.id = x.recognition_id
                       WHERE x.employee_id = e.id AND r.status = 'active') AS LastReceivedUtc
              FROM employees e WHERE e.team_id = @teamId AND e.active = 1 ORDER BY e.employee_no", args)).ToList();
        Nudge = Members.Where(m => m.Id != User.EmployeeId() && (m.LastReceivedUtc is null || m.LastReceivedUtc < args.since30)).ToList();
        Pending = await conn.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM claims WHERE team_id = @teamId AND status = 'pending' AND employee_id <> @me", args);
        MyGivenCount = await conn.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM recognitions WHERE giver_id = @me AND source = 'peer' AND status = 'active' AND created_utc >= @monthStart", args);
        var roles = (Roles)await conn.ExecuteScalarAsync<int>("SELECT roles FROM employees WHERE id = @me", args);
        MyAllowanceLeft = await Allowance.LeftAsync(conn, User.EmployeeId(), roles, month, await policies.ForSiteAsync(User.SiteId()));
        return Page();
    }
}
