namespace Recognition.Web.Features.Me;

public sealed record MySummary(int Balance, int Earned, int AllowanceLeft, int ReceivedThisMonth, string TimeZone);

public sealed class BadgeTally
{
    public string NameZh { get; init; } = "";
    public string NameEn { get; init; } = "";
    public string Icon { get; init; } = "";
    public string Color { get; init; } = "";
    public string Kind { get; init; } = "";
    public int Times { get; init; }
    public DateTime LastUtc { get; init; }
    public string Name => Bilingual.Pick(NameZh, NameEn);
    public List<string> Givers { get; } = [];
}

public sealed class MyClaim
{
    public string? QuickPick { get; init; }
    public string? AreaZh { get; init; }
    public string? AreaEn { get; init; }
    public string? Note { get; init; }

    /// <summary>The claim's words in the reader's language (a kiosk quick pick is translated; see <see cref="ClaimText"/>).</summary>
    public string Text => ClaimText.Describe(Description, QuickPick, AreaZh, AreaEn, Note);
    public long Id { get; init; }
    public string RuleZh { get; init; } = "";
    public string RuleEn { get; init; } = "";
    public string Description { get; init; } = "";
    public string Status { get; init; } = "";
    public int PointsAwarded { get; init; }
    public string? DecisionReason { get; init; }
    public DateTime CreatedUtc { get; init; }
    public string Rule => Bilingual.Pick(RuleZh, RuleEn);
}

public sealed class MyQueries(Db db, TimeProvider clock, PolicyStore policies)
{
    public async Task<MySummary> SummaryAsync(long employeeId)
    {
        await using var conn = await db.OpenAsync();
        var me = await PersonContext.LoadAsync(conn, null, employeeId) ?? throw new InvalidOperationException("No such person.");
        var now = clock.GetUtcNow().UtcDateTime;
        var month = SiteTime.Month(now, me.TimeZone);
        var bal = await conn.QuerySingleOrDefaultAsync<(int Earned, int Balance)?>(
            "SELECT earned, balance FROM point_balances WHERE employee_id = @employeeId", new { employeeId });
        var left = await Allowance.LeftAsync(conn, employeeId, (Roles)me.Roles, month, await policies.ForSiteAsync(me.SiteId));
        var monthStartUtc = SiteTime.MonthStartUtc(month, me.TimeZone);
        var received = await conn.ExecuteScalarAsync<int>(
            @"SELECT COUNT(*) FROM recognition_recipients x JOIN recognitions r ON r.id = x.recognition_id
              WHERE x.employee_id = @employeeId AND r.status = 'active' AND r.created_utc >= @monthStartUtc", new { employeeId, monthStartUtc });
        return new MySummary(bal?.Balance ?? 0, bal?.Earned ?? 0, left, received, me.TimeZone);
    }

    /// <summary>Badges received (peer and supervisor badges from recognitions, plus achievement badges), with who gave them.</summary>
    public async Task<IReadOnlyList<BadgeTally>> BadgesAsync(long employeeId, bool publicOnly)
    {
        await using var conn = await db.OpenAsync();
        var tallies = (await conn.QueryAsync<BadgeTally>(
            $@"SELECT b.name_zh AS NameZh, b.name_en AS NameEn, b.icon AS Icon, b.color AS Color, b.kind AS Kind, COUNT(*) AS Times, MAX(r.created_utc) AS LastUtc
              FROM recognition_recipients x JOIN recognitions r ON r.id = x.recognition_id JOIN badges b ON b.id = r.badge_id
              WHERE x.employee_id = @employeeId AND r.status = 'active' {(publicOnly ? "AND r.visibility = 'public'" : "")}
              GROUP BY b.id, b.name_zh, b.name_en, b.icon, b.color, b.kind
              UNION ALL
              SELECT b.name_zh, b.name_en, b.icon, b.color, b.kind, COUNT(*), MAX(eb.created_utc)
              FROM employee_badges eb JOIN badges b ON b.id = eb.badge_id WHERE eb.employee_id = @employeeId
              GROUP BY b.id, b.name_zh, b.name_en, b.icon, b.color, b.kind", new { employeeId })).ToList();
        var givers = await conn.QueryAsync<(string BadgeZh, string? GiverZh, string? GiverEn)>(
            $@"SELECT DISTINCT b.name_zh, g.name_zh, g.name_en FROM recognition_recipients x JOIN recognitions r ON r.id = x.recognition_id
              JOIN badges b ON b.id = r.badge_id JOIN employees g ON g.id = r.giver_id
              WHERE x.employee_id = @employeeId AND r.status = 'active' {(publicOnly ? "AND r.visibility = 'public'" : "")}", new { employeeId });
        foreach (var g in givers)
        {
            tallies.FirstOrDefault(t => t.NameZh == g.BadgeZh && t.Kind != "achievement")?.Givers.Add(Bilingual.Pick(g.GiverZh, g.GiverEn));
        }
        return tallies.OrderByDescending(t => t.LastUtc).ToList();
    }

    public async Task<IReadOnlyList<MyClaim>> ClaimsAsync(long employeeId)
    {
        await using var conn = await db.OpenAsync();
        return (await conn.QueryAsync<MyClaim>(db.Dialect.Page(
            @"SELECT c.id AS Id, r.name_zh AS RuleZh, r.name_en AS RuleEn, c.description AS Description, c.status AS Status, c.quick_pick AS QuickPick, qa.name_zh AS AreaZh, qa.name_en AS AreaEn, c.note AS Note,
                     c.points_awarded AS PointsAwarded, c.decision_reason AS DecisionReason, c.created_utc AS CreatedUtc
              FROM claims c JOIN behaviour_rules r ON r.id = c.rule_id LEFT JOIN site_areas qa ON qa.id = c.area_id WHERE c.employee_id = @employeeId ORDER BY c.id DESC"),
            new { employeeId, skip = 0, take = 50 })).ToList();
    }
}
