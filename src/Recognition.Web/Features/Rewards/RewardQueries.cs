using Recognition.Web.Infrastructure;

namespace Recognition.Web.Features.Rewards;

public sealed class OrderView
{
    public long Id { get; init; }
    public long SiteId { get; init; }
    public long RewardId { get; init; }
    public long EmployeeId { get; init; }
    public string RewardZh { get; init; } = "";
    public string RewardEn { get; init; } = "";
    public string Category { get; init; } = "";
    public string? PersonZh { get; init; }
    public string? PersonEn { get; init; }
    public string EmployeeNo { get; init; } = "";
    public string? TeamZh { get; init; }
    public string? TeamEn { get; init; }
    public int Quantity { get; init; }
    public int Points { get; init; }
    public string Status { get; init; } = "";
    public int ApprovalsNeeded { get; init; }
    public long? ApprovedBy { get; init; }
    public long? SecondApprovedBy { get; init; }
    public string? PickupCode { get; init; }
    public string? ClosedReason { get; init; }
    public DateTime CreatedUtc { get; init; }
    public string TimeZone { get; init; } = "";
    public bool HasPhoto { get; init; }
    public string Reward => Bilingual.Pick(RewardZh, RewardEn);
    public string Person => Bilingual.Pick(PersonZh, PersonEn);
    public string? Team => TeamZh is null && TeamEn is null ? null : Bilingual.Pick(TeamZh, TeamEn);
    public string When => SiteTime.Format(CreatedUtc, TimeZone);
    public string? Code => PickupCode is null ? null : ReadableCodes.Format(PickupCode);
    /// <summary>Approvals given so far.</summary>
    public int Approvals => (ApprovedBy is null ? 0 : 1) + (SecondApprovedBy is null ? 0 : 1);
}

/// <summary>One line of a person's points history: what moved their balance and why.</summary>
public sealed class HistoryLine
{
    public long Id { get; init; }
    public int Points { get; init; }
    public string Kind { get; init; } = "";
    public string SourceType { get; init; } = "";
    public string? ReversedKind { get; init; }
    public int LocalDay { get; init; }

    /// <summary>The resource key that names this movement for the reader.</summary>
    public string Label => (Kind, SourceType, ReversedKind) switch
    {
        ("reversal", _, "redemption") => "History.Refund",
        ("reversal", _, _) => "History.Reversal",
        ("adjustment", "expiry", _) => "History.Expired",
        ("adjustment", "writeoff", _) => "History.WriteOff",
        _ => "History." + Kind,
    };
}

public sealed record LiabilityRow(long SiteId, string Site, string? Team, int People, long Points);
public sealed record MonthlyRow(long SiteId, string Site, int Month, string Item, int Orders, int Quantity, long Points);

/// <summary>What the reward pages read. Every list is scoped by the caller's site (organisation admins: the site they pick).</summary>
public sealed class RewardQueries(Db db, TimeProvider clock, SiteList sites)
{
    private const string OrderSelect =
        @"SELECT o.id AS Id, o.site_id AS SiteId, o.reward_id AS RewardId, o.employee_id AS EmployeeId, r.name_zh AS RewardZh, r.name_en AS RewardEn,
                 r.category AS Category, e.name_zh AS PersonZh, e.name_en AS PersonEn, e.employee_no AS EmployeeNo, t.name_zh AS TeamZh, t.name_en AS TeamEn,
                 o.quantity AS Quantity, o.points AS Points, o.status AS Status, o.approvals_needed AS ApprovalsNeeded, o.approved_by AS ApprovedBy,
                 o.second_approved_by AS SecondApprovedBy, o.pickup_code AS PickupCode, o.closed_reason AS ClosedReason, o.created_utc AS CreatedUtc,
                 s.time_zone AS TimeZone, CASE WHEN EXISTS (SELECT 1 FROM reward_photos p WHERE p.reward_id = o.reward_id) THEN 1 ELSE 0 END AS HasPhoto
          FROM reward_orders o JOIN rewards r ON r.id = o.reward_id JOIN employees e ON e.id = o.employee_id JOIN sites s ON s.id = o.site_id
          LEFT JOIN teams t ON t.id = e.team_id";

    /// <summary>The items a person may redeem today at their own site, with how many they have taken in each item's limit period.</summary>
    public async Task<(IReadOnlyList<RewardRow> Items, Dictionary<long, int> Taken, int Balance)> ShopAsync(long employeeId)
    {
        await using var conn = await db.OpenAsync();
        var me = await PersonContext.LoadAsync(conn, null, employeeId) ?? throw new InvalidOperationException("No such person.");
        var local = SiteTime.ToLocal(clock.GetUtcNow().UtcDateTime, me.TimeZone);
        var day = SiteTime.Day(local);
        var items = (await conn.QueryAsync<RewardRow>(RewardRow.Select +
                " WHERE r.site_id = @SiteId AND r.active = 1 AND (r.active_from IS NULL OR r.active_from <= @day) AND (r.active_to IS NULL OR r.active_to >= @day) ORDER BY r.cost, r.id",
                new { me.SiteId, day })).ToList();
        var periods = new[] { SiteTime.PeriodKey(local, "month"), SiteTime.PeriodKey(local, "quarter") };
        var taken = (await conn.QueryAsync<(long RewardId, string Period, int Taken)>(
                "SELECT reward_id, period, taken FROM reward_takes WHERE employee_id = @employeeId AND period IN @periods", new { employeeId, periods }))
            .Where(t => items.Any(i => i.Id == t.RewardId && i.LimitPeriod is { } p && SiteTime.PeriodKey(local, p) == t.Period))
            .ToDictionary(t => t.RewardId, t => t.Taken);
        var balance = await conn.ExecuteScalarAsync<int?>("SELECT balance FROM point_balances WHERE employee_id = @employeeId", new { employeeId }) ?? 0;
        return (items, taken, balance);
    }

    public async Task<IReadOnlyList<RewardRow>> SiteCatalogueAsync(long siteId) =>
        await db.ReadAsync(async c => (await c.QueryAsync<RewardRow>(RewardRow.Select + " WHERE r.site_id = @siteId ORDER BY r.active DESC, r.cost, r.id", new { siteId })).ToList());

    public Task<RewardRow?> ItemAsync(long id) =>
        db.ReadAsync(c => c.QuerySingleOrDefaultAsync<RewardRow>(RewardRow.Select + " WHERE r.id = @id", new { id }));

    public Task<(long SiteId, string ContentType, byte[] Bytes)?> PhotoAsync(long rewardId) =>
        db.ReadAsync(c => c.QuerySingleOrDefaultAsync<(long SiteId, string ContentType, byte[] Bytes)?>(
            "SELECT r.site_id, p.content_type, p.bytes FROM reward_photos p JOIN rewards r ON r.id = p.reward_id WHERE p.reward_id = @rewardId", new { rewardId }));

    public async Task<IReadOnlyList<OrderView>> MyOrdersAsync(long employeeId, int take = 50) =>
        await db.ReadAsync(async c => (await c.QueryAsync<OrderView>(db.Dialect.Page(OrderSelect + " WHERE o.employee_id = @employeeId ORDER BY o.id DESC"),
            new { employeeId, skip = 0, take })).ToList());

    /// <summary>The latest movements of one person's balance, newest first.</summary>
    public async Task<IReadOnlyList<HistoryLine>> HistoryAsync(long employeeId, int take = 30) =>
        await db.ReadAsync(async c => (await c.QueryAsync<HistoryLine>(db.Dialect.Page(
                @"SELECT l.id AS Id, l.points AS Points, l.kind AS Kind, l.source_type AS SourceType, o.kind AS ReversedKind, l.local_day AS LocalDay
                  FROM points_ledger l LEFT JOIN points_ledger o ON o.id = l.reverses_id WHERE l.employee_id = @employeeId ORDER BY l.id DESC"),
            new { employeeId, skip = 0, take })).ToList());

    public Task<OrderView?> OrderAsync(long id) =>
        db.ReadAsync(c => c.QuerySingleOrDefaultAsync<OrderView>(OrderSelect + " WHERE o.id = @id", new { id }));

    /// <summary>The keeper's queue: open orders of one site, oldest first, then the latest closed ones.</summary>
    public async Task<(IReadOnlyList<OrderView> Open, IReadOnlyList<OrderView> Closed)> QueueAsync(long siteId)
    {
        await using var conn = await db.OpenAsync();
        var open = (await conn.QueryAsync<OrderView>(db.Dialect.Page(OrderSelect + " WHERE o.site_id = @siteId AND o.status IN ('pending', 'approved', 'ready') ORDER BY o.id"),
            new { siteId, skip = 0, take = 300 })).ToList();
        var closed = (await conn.QueryAsync<OrderView>(db.Dialect.Page(OrderSelect + " WHERE o.site_id = @siteId AND o.status IN ('handed_over', 'declined', 'cancelled') ORDER BY o.id DESC"),
            new { siteId, skip = 0, take = 30 })).ToList();
        return (open, closed);
    }

    /// <summary>Points outstanding (the company's liability) per site and team; people without a team count under no team.</summary>
    public async Task<IReadOnlyList<LiabilityRow>> LiabilityAsync(long? siteId) =>
        await db.ReadAsync(async c => (await c.QueryAsync<(long SiteId, string SiteZh, string SiteEn, string? TeamZh, string? TeamEn, int People, long Points)>(
                @"SELECT s.id, s.name_zh, s.name_en, t.name_zh, t.name_en, COUNT(*), SUM(b.balance)
                  FROM point_balances b JOIN employees e ON e.id = b.employee_id JOIN sites s ON s.id = e.site_id LEFT JOIN teams t ON t.id = e.team_id
                  WHERE b.balance > 0 AND (@siteId IS NULL OR e.site_id = @siteId)
                  GROUP BY s.id, s.name_zh, s.name_en, t.id, t.name_zh, t.name_en ORDER BY s.id, t.name_en", new { siteId }))
            .Select(r => new LiabilityRow(r.SiteId, Bilingual.Pick(r.SiteZh, r.SiteEn), r.TeamZh is null && r.TeamEn is null ? null : Bilingual.Pick(r.TeamZh, r.TeamEn), r.People, r.Points))
            .ToList());

    /// <summary>Redemptions per site-local month and item (declined and cancelled orders are not redemptions).</summary>
    public async Task<IReadOnlyList<MonthlyRow>> MonthlyAsync(long? siteId, int fromDay) =>
        await db.ReadAsync(async c => (await c.QueryAsync<(long SiteId, string SiteZh, string SiteEn, int Month, string ItemZh, string ItemEn, int Orders, int Quantity, long Points)>(
                @"SELECT s.id, s.name_zh, s.name_en, o.local_day / 100, r.name_zh, r.name_en, COUNT(*), SUM(o.quantity), SUM(o.points)
                  FROM reward_orders o JOIN rewards r ON r.id = o.reward_id JOIN sites s ON s.id = o.site_id
                  WHERE o.status NOT IN ('declined', 'cancelled') AND o.local_day >= @fromDay AND (@siteId IS NULL OR o.site_id = @siteId)
                  GROUP BY s.id, s.name_zh, s.name_en, o.local_day / 100, r.id, r.name_zh, r.name_en ORDER BY s.id, o.local_day / 100 DESC, r.name_en",
                new { siteId, fromDay }))
            .Select(r => new MonthlyRow(r.SiteId, Bilingual.Pick(r.SiteZh, r.SiteEn), r.Month, Bilingual.Pick(r.ItemZh, r.ItemEn), r.Orders, r.Quantity, r.Points))
            .ToList());

    public async Task<IReadOnlyList<RewardSettings>> SettingsAsync(IEnumerable<long> siteIds)
    {
        await using var conn = await db.OpenAsync();
        var list = new List<RewardSettings>();
        foreach (var id in siteIds) list.Add(await RewardSettings.LoadAsync(conn, null, id));
        return list;
    }

    public async Task<RewardSettings> SettingsAsync(long siteId) => await db.ReadAsync(c => RewardSettings.LoadAsync(c, null, siteId));

    /// <summary>The sites an admin may pick: their own, or every site for an organisation admin.</summary>
    public async Task<IReadOnlyList<(long Id, string Name)>> SitesAsync(AdminScope scope) =>
        (await sites.ForAdminAsync(scope)).Select(s => (s.Id, s.Name)).ToList();
}
