using Recognition.Web.Features.Feed;

namespace Recognition.Web.Features.Walls;

/// <summary>One leaderboard row; the name is picked in the reader's language when it is read (walls render once per language).</summary>
public sealed record BoardRow(long Id, string? Zh, string? En, int Points)
{
    public string Name => Bilingual.Pick(Zh, En);
}

public sealed class WallBoards
{
    public IReadOnlyList<BoardRow> TeamsWeek { get; init; } = [];
    public IReadOnlyList<BoardRow> TeamsMonth { get; init; } = [];
    public IReadOnlyList<BoardRow> PeopleWeek { get; init; } = [];
    public IReadOnlyList<BoardRow> PeopleMonth { get; init; } = [];
    public int RecognitionsToday { get; init; }
    public int HazardReportsWeek { get; init; }
}

public sealed record CatchUp(IReadOnlyList<FeedCard> Cards, IReadOnlyList<long> Revoked, long LastSeq)
{
    /// <summary>Public cards whose reactions changed in the window (not among <see cref="Cards"/>, which carry theirs): counts now.</summary>
    public IReadOnlyDictionary<long, Dictionary<string, int>> Reacted { get; init; } = new Dictionary<long, Dictionary<string, int>>();
}

/// <summary>
/// What a wall shows: public, active recognitions only (a team wall: those with a recipient in its team),
/// team-first leaderboards without people who opted out, and never a bottom list.
/// </summary>
public sealed class WallQueries(Db db, FeedQueries feed, TimeProvider clock)
{
    public const int FeedSize = 30;

    public Task<long> LastSeqAsync(DbConnection conn, long siteId) =>
        conn.ExecuteScalarAsync<long>("SELECT COALESCE(MAX(id), 0) FROM events WHERE site_id = @siteId", new { siteId });

    public async Task<(IReadOnlyList<FeedCard> Cards, long LastSeq)> SnapshotAsync(long siteId, long? teamId)
    {
        await using var conn = await db.OpenAsync();
        // Read the sequence first: anything committed after it arrives live or by catch-up, and cards are keyed by id.
        var last = await LastSeqAsync(conn, siteId);
        var ids = (await conn.QueryAsync<long>(db.Dialect.Page(
            @"SELECT r.id FROM recognitions r WHERE r.site_id = @siteId AND r.visibility = 'public' AND r.status = 'active'
                AND (@teamId IS NULL OR EXISTS (SELECT 1 FROM recognition_recipients x WHERE x.recognition_id = r.id AND x.team_id = @teamId))
              ORDER BY r.id DESC"), new { siteId, teamId, skip = 0, take = FeedSize })).ToList();
        var cards = (await feed.ManyAsync(conn, ids)).OrderByDescending(c => c.Id).ToList();
        return (cards, last);
    }

    /// <summary>Everything a wall must apply after <paramref name="after"/>: new public cards and revocations.</summary>
    public async Task<CatchUp> SinceAsync(long siteId, long? teamId, long after)
    {
        await using var conn = await db.OpenAsync();
        var last = await LastSeqAsync(conn, siteId);
        var events = (await conn.QueryAsync<(long Id, string Kind, long SubjectId)>(
            "SELECT id, kind, subject_id FROM events WHERE site_id = @siteId AND id > @after AND id <= @last AND kind IN ('recognition.created', 'recognition.revoked', 'reaction.changed') ORDER BY id",
            new { siteId, after, last })).ToList();
        var revoked = events.Where(e => e.Kind == "recognition.revoked").Select(e => e.SubjectId).ToHashSet();
        var created = events.Where(e => e.Kind == "recognition.created" && !revoked.Contains(e.SubjectId)).Select(e => e.SubjectId).ToList();
        var cards = (await feed.ManyAsync(conn, created))
            .Where(c => c.Visibility == "public" && c.Status == "active" && (teamId is null || c.RecipientDetails.Any(p => p.TeamId == teamId)))
            .OrderBy(c => c.Id).ToList();
        var reactedIds = events.Where(e => e.Kind == "reaction.changed" && !revoked.Contains(e.SubjectId) && !created.Contains(e.SubjectId))
            .Select(e => e.SubjectId).Distinct().Take(500).ToList();
        var shown = reactedIds.Count == 0 ? [] : (await conn.QueryAsync<long>(
            "SELECT id FROM recognitions WHERE id IN @reactedIds AND site_id = @siteId AND visibility = 'public' AND status = 'active'", new { reactedIds, siteId })).ToList();
        var counts = await Social.Reactions.CountsAsync(conn, shown);
        return new CatchUp(cards, revoked.ToList(), last) { Reacted = shown.ToDictionary(id => id, id => counts.GetValueOrDefault(id) ?? []) };
    }

    public async Task<WallBoards> BoardsAsync(long siteId, long? teamId, int take = 10)
    {
        await using var conn = await db.OpenAsync();
        var zone = await conn.ExecuteScalarAsync<string>("SELECT time_zone FROM sites WHERE id = @siteId", new { siteId }) ?? "UTC";
        var now = clock.GetUtcNow().UtcDateTime;
        var today = SiteTime.ToLocal(now, zone).Date;
        var weekStart = SiteTime.WeekStart(today);
        var monthStart = SiteTime.MonthStart(today);
        var (tDay, wDay, mDay) = (SiteTime.Day(today), SiteTime.Day(weekStart), SiteTime.Day(monthStart));
        return new WallBoards
        {
            TeamsWeek = await TeamsAsync(conn, siteId, wDay, tDay, take),
            TeamsMonth = await TeamsAsync(conn, siteId, mDay, tDay, take),
            PeopleWeek = await PeopleAsync(conn, siteId, teamId, "person_week_points", "week", SiteTime.Week(tDay), take),
            PeopleMonth = await PeopleAsync(conn, siteId, teamId, "person_month_points", "month", tDay / 100, take),
            RecognitionsToday = await conn.ExecuteScalarAsync<int>(
                "SELECT COUNT(*) FROM recognitions WHERE site_id = @siteId AND status = 'active' AND created_utc >= @from",
                new { siteId, from = SiteTime.ToUtc(today, zone) }),
            HazardReportsWeek = await conn.ExecuteScalarAsync<int>(
                @"SELECT COUNT(*) FROM claims c JOIN behaviour_rules r ON r.id = c.rule_id
                  WHERE c.site_id = @siteId AND r.category = 'safety' AND c.status <> 'rejected' AND c.created_utc >= @from",
                new { siteId, from = SiteTime.ToUtc(weekStart, zone) }),
        };
    }

    public async Task<IReadOnlyList<BoardRow>> TeamsAsync(DbConnection conn, long siteId, int fromDay, int toDay, int take) =>
        (await conn.QueryAsync<(long Id, string? Zh, string? En, int Points)>(db.Dialect.Page(
            @"SELECT t.id, t.name_zh, t.name_en, SUM(b.points) AS points FROM team_day_points b JOIN teams t ON t.id = b.team_id
              WHERE b.day BETWEEN @fromDay AND @toDay AND t.site_id = @siteId
              GROUP BY t.id, t.name_zh, t.name_en HAVING SUM(b.points) > 0 ORDER BY points DESC, t.id"),
            new { siteId, fromDay, toDay, skip = 0, take })).Select(r => new BoardRow(r.Id, r.Zh, r.En, r.Points)).ToList();

    /// <summary>Top people of one week or month, walking the bucket's (period, points) index from the top.</summary>
    public async Task<IReadOnlyList<BoardRow>> PeopleAsync(DbConnection conn, long siteId, long? teamId, string table, string column, int period, int take) =>
        (await conn.QueryAsync<(long Id, string? Zh, string? En, int Points)>(db.Dialect.Page(
            $@"SELECT e.id, e.name_zh, e.name_en, b.points FROM {table} b JOIN employees e ON e.id = b.employee_id
              WHERE b.{column} = @period AND b.points > 0 AND e.site_id = @siteId AND e.active = 1 AND e.leaderboard_opt_out = 0
                AND (@teamId IS NULL OR e.team_id = @teamId)
              ORDER BY b.points DESC, e.id"),
            new { siteId, teamId, period, skip = 0, take })).Select(r => new BoardRow(r.Id, r.Zh, r.En, r.Points)).ToList();
}
