namespace Recognition.Web.Features.Api;

/// <summary>One page of a BI read: the items, and the cursor to ask after next (null at the end).</summary>
public sealed record ApiPage(IReadOnlyList<object> Items, long? Next);

/// <summary>
/// What the plant's BI may read, scoped to the token's site with the pages' privacy rules: public recognitions only
/// (points left out when a recipient is off the boards, as the walls do), ledger entries of people on the boards, orders.
/// </summary>
public sealed class ApiReads(Db db, Feed.FeedQueries feed)
{
    public async Task<ApiPage> RecognitionsAsync(long site, long after, int limit)
    {
        await using var c = await db.OpenAsync();
        var ids = (await c.QueryAsync<long>(db.Dialect.Page("SELECT id FROM recognitions WHERE site_id = @site AND visibility = 'public' AND id > @after ORDER BY id"),
            new { site, after, skip = 0, take = limit })).ToList();
        var cards = (await feed.ManyAsync(c, ids, reactions: false)).OrderBy(x => x.Id).ToList();
        var people = cards.SelectMany(x => x.RecipientDetails.Select(r => r.Id).Append(x.GiverId)).Distinct().ToList();
        var rows = people.Count == 0 ? [] : (await c.QueryAsync<(long Id, string No, long OptOut)>("SELECT id, employee_no, leaderboard_opt_out FROM employees WHERE id IN @people", new { people })).ToList();
        var no = rows.ToDictionary(r => r.Id, r => r.No);
        var off = rows.Where(r => r.OptOut == 1).Select(r => r.Id).ToHashSet();
        var items = cards.Select(x => (object)new
        {
            id = x.Id, createdUtc = x.CreatedUtc, status = x.Status, source = x.Source,
            giver = x.FromCustomer ? null : new { employeeNo = no.GetValueOrDefault(x.GiverId), nameZh = x.GiverZh, nameEn = x.GiverEn },
            recipients = x.RecipientDetails.Select(r => new { employeeNo = no.GetValueOrDefault(r.Id), nameZh = r.NameZh, nameEn = r.NameEn, teamId = r.TeamId }),
            badge = x.BadgeZh is null ? null : new { nameZh = x.BadgeZh, nameEn = x.BadgeEn },
            value = x.ValueZh is null ? null : new { nameZh = x.ValueZh, nameEn = x.ValueEn },
            message = x.Message,
            pointsEach = x.RecipientDetails.Any(r => off.Contains(r.Id)) ? (int?)null : x.PointsEach,
        }).ToList();
        return new ApiPage(items, ids.Count == limit ? ids[^1] : null);
    }

    public async Task<ApiPage> LedgerAsync(long site, long after, int limit)
    {
        await using var c = await db.OpenAsync();
        var rows = (await c.QueryAsync<(long Id, string No, long Points, string Kind, string? SourceType, long? SourceId, DateTime CreatedUtc)>(db.Dialect.Page(
            @"SELECT l.id, e.employee_no, l.points, l.kind, l.source_type, l.source_id, l.created_utc FROM points_ledger l JOIN employees e ON e.id = l.employee_id
              WHERE l.site_id = @site AND l.id > @after AND e.leaderboard_opt_out = 0 ORDER BY l.id"), new { site, after, skip = 0, take = limit })).ToList();
        return new ApiPage(rows.Select(r => (object)new { id = r.Id, employeeNo = r.No, points = r.Points, kind = r.Kind, sourceType = r.SourceType, sourceId = r.SourceId, createdUtc = r.CreatedUtc }).ToList(),
            rows.Count == limit ? rows[^1].Id : null);
    }

    public async Task<ApiPage> OrdersAsync(long site, long after, int limit)
    {
        await using var c = await db.OpenAsync();
        var rows = (await c.QueryAsync<(long Id, string No, string Zh, string En, long Quantity, long Points, string Status, DateTime CreatedUtc)>(db.Dialect.Page(
            @"SELECT o.id, e.employee_no, w.name_zh, w.name_en, o.quantity, o.points, o.status, o.created_utc FROM reward_orders o
              JOIN employees e ON e.id = o.employee_id JOIN rewards w ON w.id = o.reward_id WHERE o.site_id = @site AND o.id > @after ORDER BY o.id"),
            new { site, after, skip = 0, take = limit })).ToList();
        return new ApiPage(rows.Select(r => (object)new { id = r.Id, employeeNo = r.No, rewardZh = r.Zh, rewardEn = r.En, quantity = r.Quantity, points = r.Points, status = r.Status, createdUtc = r.CreatedUtc }).ToList(),
            rows.Count == limit ? rows[^1].Id : null);
    }
}
