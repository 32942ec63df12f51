namespace Recognition.Web.Features.Feed;

/// <summary>Paged feeds, newest first, keyed by id (no OFFSET scans).</summary>
public sealed class FeedQueries(Db db)
{
    private const string CardSelect =
        @"SELECT r.id AS Id, r.created_utc AS CreatedUtc, s.time_zone AS TimeZone, r.giver_id AS GiverId, g.name_zh AS GiverZh, g.name_en AS GiverEn,
                 b.name_zh AS BadgeZh, b.name_en AS BadgeEn, b.icon AS BadgeIcon, b.color AS BadgeColor, v.name_zh AS ValueZh, v.name_en AS ValueEn,
                 r.message AS Message, r.visibility AS Visibility, r.points_each AS PointsEach, r.status AS Status, r.verify_code AS VerifyCode,
                 r.source AS Source, r.external_from AS ExternalFrom
          FROM recognitions r
          JOIN sites s ON s.id = r.site_id
          JOIN employees g ON g.id = r.giver_id
          LEFT JOIN badges b ON b.id = r.badge_id
          LEFT JOIN core_values v ON v.id = r.value_id";

    /// <summary>The site's public feed between two ids (exclusive): older pages by <paramref name="beforeId"/>, what is new
    /// since the page's top card by <paramref name="afterId"/> (the live feed's catch-up).</summary>
    public Task<IReadOnlyList<FeedCard>> SiteAsync(long siteId, long? beforeId, int take, long afterId = 0) =>
        Cards(CardSelect + " WHERE r.site_id = @siteId AND r.visibility = 'public' AND r.status = 'active' AND r.id < @before AND r.id > @after ORDER BY r.id DESC",
            new { siteId, before = beforeId ?? long.MaxValue, after = afterId, skip = 0, take });

    public Task<IReadOnlyList<FeedCard>> TeamAsync(long teamId, long? beforeId, int take, long afterId = 0) =>
        Cards(CardSelect + @" WHERE r.status = 'active' AND r.visibility IN ('public', 'team') AND r.id < @before AND r.id > @after
              AND EXISTS (SELECT 1 FROM recognition_recipients x WHERE x.recognition_id = r.id AND x.team_id = @teamId) ORDER BY r.id DESC",
            new { teamId, before = beforeId ?? long.MaxValue, after = afterId, skip = 0, take });

    /// <summary>What a person received. Others see only public, active ones; the person sees everything, revoked included.</summary>
    public Task<IReadOnlyList<FeedCard>> ReceivedAsync(long employeeId, bool self, long? beforeId, int take) =>
        Cards(CardSelect + $@" WHERE r.id < @before AND EXISTS (SELECT 1 FROM recognition_recipients x WHERE x.recognition_id = r.id AND x.employee_id = @employeeId)
              {(self ? "" : "AND r.visibility = 'public' AND r.status = 'active'")} ORDER BY r.id DESC",
            new { employeeId, before = beforeId ?? long.MaxValue, skip = 0, take });

    public Task<IReadOnlyList<FeedCard>> GivenAsync(long employeeId, long? beforeId, int take) =>
        Cards(CardSelect + " WHERE r.giver_id = @employeeId AND r.source = 'peer' AND r.id < @before ORDER BY r.id DESC",
            new { employeeId, before = beforeId ?? long.MaxValue, skip = 0, take });

    /// <summary>For admins: every recognition at the site whatever its visibility.</summary>
    public Task<IReadOnlyList<FeedCard>> GivenOrReceivedAtSiteAsync(long siteId, int take) =>
        Cards(CardSelect + " WHERE r.site_id = @siteId ORDER BY r.id DESC", new { siteId, skip = 0, take });

    public async Task<FeedCard?> OneAsync(long id) => (await Cards(CardSelect + " WHERE r.id = @id ORDER BY r.id", new { id, skip = 0, take = 1 })).FirstOrDefault();

    /// <summary>
    /// Cards by id, whatever their visibility: callers decide who may see them. <paramref name="reactions"/>: with their
    /// reaction counts (walls and kiosks show them; printouts, clues, messages and just-created cards need no read for them).
    /// </summary>
    public async Task<IReadOnlyList<FeedCard>> ManyAsync(DbConnection conn, IReadOnlyList<long> ids, bool reactions = true)
    {
        if (ids.Count == 0) return [];
        var cards = (await conn.QueryAsync<FeedCard>(CardSelect + " WHERE r.id IN @ids", new { ids })).ToList();
        await AttachRecipients(conn, cards, reactions);
        return cards;
    }

    private async Task<IReadOnlyList<FeedCard>> Cards(string sql, object args)
    {
        await using var conn = await db.OpenAsync();
        var cards = (await conn.QueryAsync<FeedCard>(db.Dialect.Page(sql), args)).ToList();
        await AttachRecipients(conn, cards);
        return cards;
    }

    internal static async Task AttachRecipients(DbConnection conn, List<FeedCard> cards, bool reactions = true)
    {
        if (cards.Count == 0) return;
        var ids = cards.Select(c => c.Id).ToList();
        var rows = await conn.QueryAsync<(long RecognitionId, long Id, string? NameZh, string? NameEn, long? TeamId)>(
            @"SELECT x.recognition_id, e.id, e.name_zh, e.name_en, x.team_id FROM recognition_recipients x JOIN employees e ON e.id = x.employee_id
              WHERE x.recognition_id IN @ids ORDER BY e.id", new { ids });
        var byId = cards.ToDictionary(c => c.Id);
        foreach (var r in rows)
        {
            byId[r.RecognitionId].Recipients.Add((r.Id, Bilingual.Pick(r.NameZh, r.NameEn)));
            byId[r.RecognitionId].RecipientDetails.Add((r.Id, r.NameZh, r.NameEn, r.TeamId));
        }
        if (!reactions) return;
        foreach (var (id, counts) in await Social.Reactions.CountsAsync(conn, ids)) byId[id].ReactionCounts = counts;
    }
}
