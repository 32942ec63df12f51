using Recognition.Web.Features.Feed;

namespace Recognition.Web.Features.Printing;

public sealed record SummaryWindow(DateTime FromUtc, DateTime ToUtc);

public sealed class ShiftSummary
{
    public long TeamId { get; init; }
    public string TeamZh { get; init; } = "";
    public string TeamEn { get; init; } = "";
    public string SiteZh { get; init; } = "";
    public string SiteEn { get; init; } = "";
    public string TimeZone { get; init; } = "";
    public string? ShiftZh { get; init; }
    public string? ShiftEn { get; init; }
    public SummaryWindow Window { get; init; } = null!;
    public IReadOnlyList<FeedCard> Recognitions { get; init; } = [];
    public IReadOnlyList<SafetyReport> SafetyReports { get; init; } = [];
    public IReadOnlyList<EarnedBadge> Achievements { get; init; } = [];
    public IReadOnlyList<(string Name, int HireDay)> NewJoiners { get; init; } = [];
    public IReadOnlyList<(string Name, int Years)> Anniversaries { get; init; } = [];
    public IReadOnlyList<(string ValueZh, string ValueEn, int Count)> ByValue { get; init; } = [];
    /// <summary>The team's values radar (null for a team under five) and its last 12 weeks (recognitions received), from the insights rollups.</summary>
    public IReadOnlyList<Insights.RadarAxis>? Radar { get; init; }
    public IReadOnlyList<int> HeatWeeks { get; init; } = [];
    public Insights.HeatRow? Heat { get; init; }
    public string From => SiteTime.Format(Window.FromUtc, TimeZone);
    public string To => SiteTime.Format(Window.ToUtc, TimeZone);
}

public sealed class SafetyReport
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
    public string RuleZh { get; init; } = "";
    public string RuleEn { get; init; } = "";
    public string Description { get; init; } = "";
    public string? Location { get; init; }
    public string Name => Bilingual.Pick(NameZh, NameEn);
}

public sealed class EarnedBadge
{
    public long Id { get; init; }
    public long EmployeeId { get; init; }
    public string? NameZh { get; init; }
    public string? NameEn { get; init; }
    public string BadgeZh { get; init; } = "";
    public string BadgeEn { get; init; } = "";
    public DateTime CreatedUtc { get; init; }
    public string Name => Bilingual.Pick(NameZh, NameEn);
}

/// <summary>
/// What a supervisor reads out at the shift meeting. Only public and team recognitions of the team's
/// members; private ones never appear in printouts.
/// </summary>
public sealed class ShiftSummaryQueries(Db db, FeedQueries feed, Insights.InsightsQueries insights)
{
    /// <summary>
    /// Default window for a team and shift: from the end of that shift's previous occurrence to now.
    /// The meeting may be up to an hour before the shift starts. Without a shift: the last 24 hours.
    /// </summary>
    public static SummaryWindow DefaultWindow(DateTime nowUtc, string zone, int? startMinute, int? endMinute)
    {
        if (startMinute is not { } start || endMinute is not { } end) return new(nowUtc.AddHours(-24), nowUtc);
        var local = SiteTime.ToLocal(nowUtc, zone);
        var shiftStart = Latest(local.AddMinutes(60), start);
        var previousEnd = Latest(shiftStart, end);
        return new(SiteTime.ToUtc(previousEnd, zone), nowUtc);
    }

    /// <summary>The latest local time at <paramref name="minuteOfDay"/> that is not after <paramref name="notAfter"/>.</summary>
    private static DateTime Latest(DateTime notAfter, int minuteOfDay)
    {
        var candidate = notAfter.Date.AddMinutes(minuteOfDay);
        return candidate <= notAfter ? candidate : candidate.AddDays(-1);
    }

    public async Task<ShiftSummary?> LoadAsync(long teamId, long? shiftId, DateTime? fromUtc, DateTime? toUtc, DateTime nowUtc)
    {
        await using var conn = await db.OpenAsync();
        var team = await conn.QuerySingleOrDefaultAsync<(long Id, string NameZh, string NameEn, string SiteZh, string SiteEn, string TimeZone)?>(
            "SELECT t.id, t.name_zh, t.name_en, s.name_zh, s.name_en, s.time_zone FROM teams t JOIN sites s ON s.id = t.site_id WHERE t.id = @teamId", new { teamId });
        if (team is not { } t) return null;
        var shift = shiftId is { } sid
            ? await conn.QuerySingleOrDefaultAsync<(string NameZh, string NameEn, int Start, int End)?>(
                "SELECT s.name_zh, s.name_en, s.start_minute, s.end_minute FROM shifts s JOIN team_shifts ts ON ts.shift_id = s.id WHERE s.id = @sid AND ts.team_id = @teamId",
                new { sid, teamId })
            : null;
        var window = fromUtc is { } f && toUtc is { } to ? new SummaryWindow(f, to) : DefaultWindow(nowUtc, t.TimeZone, shift?.Start, shift?.End);
        var args = new { teamId, from = window.FromUtc, to = window.ToUtc };

        var ids = (await conn.QueryAsync<long>(
            @"SELECT DISTINCT r.id FROM recognitions r JOIN recognition_recipients x ON x.recognition_id = r.id
              WHERE x.team_id = @teamId AND r.status = 'active' AND r.visibility IN ('public', 'team')
                AND r.created_utc >= @from AND r.created_utc < @to", args)).ToList();
        var cards = new List<FeedCard>();
        foreach (var chunk in ids.Chunk(500)) cards.AddRange(await feed.ManyAsync(conn, chunk, reactions: false));
        cards.Sort((a, b) => a.Id.CompareTo(b.Id));

        var safety = (await conn.QueryAsync<SafetyReport>(
            @"SELECT c.id AS Id, e.name_zh AS NameZh, e.name_en AS NameEn, r.name_zh AS RuleZh, r.name_en AS RuleEn, c.description AS Description, c.location AS Location, c.quick_pick AS QuickPick, qa.name_zh AS AreaZh, qa.name_en AS AreaEn, c.note AS Note
              FROM claims c JOIN employees e ON e.id = c.employee_id JOIN behaviour_rules r ON r.id = c.rule_id LEFT JOIN site_areas qa ON qa.id = c.area_id
              WHERE c.team_id = @teamId AND c.status = 'approved' AND r.category = 'safety' AND c.decided_utc >= @from AND c.decided_utc < @to
              ORDER BY c.id", args)).ToList();
        var earned = (await conn.QueryAsync<EarnedBadge>(
            @"SELECT eb.id AS Id, e.id AS EmployeeId, e.name_zh AS NameZh, e.name_en AS NameEn, b.name_zh AS BadgeZh, b.name_en AS BadgeEn, eb.created_utc AS CreatedUtc
              FROM employee_badges eb JOIN employees e ON e.id = eb.employee_id JOIN badges b ON b.id = eb.badge_id
              WHERE e.team_id = @teamId AND eb.created_utc >= @from AND eb.created_utc < @to ORDER BY eb.id", args)).ToList();
        var members = (await conn.QueryAsync<(string? NameZh, string? NameEn, int? HireDay)>(
            "SELECT name_zh, name_en, hire_day FROM employees WHERE team_id = @teamId AND active = 1", args)).ToList();
        var fromLocal = SiteTime.ToLocal(window.FromUtc, t.TimeZone).Date;
        var toLocal = SiteTime.ToLocal(window.ToUtc, t.TimeZone).Date;
        var joiners = members.Where(m => m.HireDay is { } d && SiteTime.FromDay(d) >= toLocal.AddDays(-30) && SiteTime.FromDay(d) <= toLocal)
            .Select(m => (Bilingual.Pick(m.NameZh, m.NameEn), m.HireDay!.Value)).ToList();
        var anniversaries = new List<(string, int)>();
        foreach (var m in members.Where(m => m.HireDay is not null))
        {
            var hired = SiteTime.FromDay(m.HireDay!.Value);
            for (var d = fromLocal; d <= toLocal; d = d.AddDays(1))
            {
                if (d.Month == hired.Month && d.Day == hired.Day && d.Year > hired.Year)
                {
                    anniversaries.Add((Bilingual.Pick(m.NameZh, m.NameEn), d.Year - hired.Year));
                }
            }
        }
        var byValue = cards.Where(c => c.ValueZh is not null).GroupBy(c => (c.ValueZh!, c.ValueEn!))
            .Select(g => (g.Key.Item1, g.Key.Item2, g.Count())).OrderByDescending(v => v.Item3).ToList();
        var heat = await insights.HeatmapAsync(new Insights.InsightsQueries.Scope(null, null), [t.Id]);
        var last12 = heat.Weeks.Count - 12;
        return new ShiftSummary
        {
            Radar = await insights.TeamRadarAsync(t.Id), HeatWeeks = heat.Weeks.Skip(last12).ToList(),
            Heat = heat.Rows.FirstOrDefault() is { } row ? row with { Cells = row.Cells.Skip(last12).ToList() } : null,
            TeamId = t.Id, TeamZh = t.NameZh, TeamEn = t.NameEn, SiteZh = t.SiteZh, SiteEn = t.SiteEn, TimeZone = t.TimeZone,
            ShiftZh = shift?.NameZh, ShiftEn = shift?.NameEn, Window = window, Recognitions = cards, SafetyReports = safety,
            Achievements = earned, NewJoiners = joiners, Anniversaries = anniversaries, ByValue = byValue,
        };
    }
}
