namespace Recognition.Web.Features.Social;

/// <summary>A comment as the recognition page and the feed show it.</summary>
public sealed class CommentRow
{
    public long Id { get; init; }
    public long RecognitionId { get; init; }
    public long AuthorId { get; init; }
    public string? AuthorZh { get; init; }
    public string? AuthorEn { get; init; }
    public string Body { get; init; } = "";
    public DateTime CreatedUtc { get; init; }
    public DateTime? EditedUtc { get; init; }
    public string TimeZone { get; init; } = "";
    public string Author => Bilingual.Pick(AuthorZh, AuthorEn);
    public string When => SiteTime.Format(CreatedUtc, TimeZone);
}

/// <summary>
/// Comments on public recognitions: short (at most <see cref="MaxLength"/> characters, cleaned like a recognition's
/// message), from anyone who may see the recognition; the author may change one for <see cref="EditWindow"/>, and the
/// author or an admin of the site may remove one (kept, hidden). Every change is audited with the text before and after.
/// Comments are never shown on walls.
/// </summary>
public sealed class Comments(Db db)
{
    public const int MaxLength = 280;
    public static readonly TimeSpan EditWindow = TimeSpan.FromMinutes(5);

    private static Outcome? Check(string body) =>
        body.Length == 0 ? Outcome.Refused("Error.CommentEmpty")
        : MessageRules.Length(body) > MaxLength ? Outcome.Refused("Error.CommentTooLong", MaxLength)
        : null;

    public async Task<Outcome> AddAsync(long recognitionId, long authorId, long siteId, string? text, string key, DateTime now)
    {
        var body = MessageRules.Clean(text);
        if (Check(body) is { } bad) return bad;
        return await db.RunOnceAsync(authorId, key, "comment", now, async (c, t) =>
        {
            if (await RecognitionAccess.ForAsync(c, t, recognitionId, authorId, siteId) is not { } seen) throw new RuleViolation("Error.RecognitionNotFound");
            if (seen.Visibility != "public") throw new RuleViolation("Error.CommentNotPublic");
            var id = await c.ScalarAsync<long>(t, db.Dialect.InsertReturningId("comments", "recognition_id, author_id, body, created_utc", "@recognitionId, @authorId, @body, @now"),
                new { recognitionId, authorId, body, now });
            await Audit.WriteAsync(c, t, new AuditEntry(authorId, "comment.created", $"comment:{id}", seen.SiteId, After: new { recognition = recognitionId, body }), now);
            return id;
        });
    }

    public async Task<Outcome> EditAsync(long commentId, long authorId, long siteId, string? text, DateTime now)
    {
        var body = MessageRules.Clean(text);
        if (Check(body) is { } bad) return bad;
        return await db.RunAsync(async (c, t) =>
        {
            var row = await FindAsync(c, t, commentId, siteId);
            if (row is null || row.AuthorId != authorId) throw new RuleViolation("Error.CommentNotFound");
            if (now - row.CreatedUtc > EditWindow) throw new RuleViolation("Error.CommentEditClosed", (int)EditWindow.TotalMinutes);
            await c.ExecAsync(t, "UPDATE comments SET body = @body, edited_utc = @now WHERE id = @commentId", new { body, now, commentId });
            await Audit.WriteAsync(c, t, new AuditEntry(authorId, "comment.edited", $"comment:{commentId}", siteId, Before: new { body = row.Body }, After: new { body }), now);
            return row.RecognitionId;
        });
    }

    /// <summary>The author, or an admin of the comment's site (<paramref name="admin"/>), removes a comment.</summary>
    public async Task<Outcome> RemoveAsync(long commentId, long actorId, long siteId, bool admin, DateTime now) =>
        await db.RunAsync(async (c, t) =>
        {
            var row = await FindAsync(c, t, commentId, siteId);
            if (row is null || (row.AuthorId != actorId && !admin)) throw new RuleViolation("Error.CommentNotFound");
            await c.ExecAsync(t, "UPDATE comments SET removed_utc = @now, removed_by = @actorId WHERE id = @commentId", new { now, actorId, commentId });
            await Audit.WriteAsync(c, t, new AuditEntry(actorId, "comment.removed", $"comment:{commentId}", siteId,
                Before: new { author = row.AuthorId, body = row.Body }, Detail: row.AuthorId == actorId ? "author" : "admin"), now);
            return row.RecognitionId;
        });

    private sealed class Found
    {
        public long RecognitionId { get; init; }
        public long AuthorId { get; init; }
        public string Body { get; init; } = "";
        public DateTime CreatedUtc { get; init; }
    }

    /// <summary>A comment that is still shown, on a recognition of <paramref name="siteId"/>.</summary>
    private static Task<Found?> FindAsync(DbConnection c, DbTransaction t, long commentId, long siteId) =>
        c.QuerySingleOrDefaultAsync<Found?>(
            @"SELECT m.recognition_id AS RecognitionId, m.author_id AS AuthorId, m.body AS Body, m.created_utc AS CreatedUtc
              FROM comments m JOIN recognitions r ON r.id = m.recognition_id
              WHERE m.id = @commentId AND m.removed_utc IS NULL AND r.site_id = @siteId", new { commentId, siteId }, t);

    private const string Select =
        @"SELECT m.id AS Id, m.recognition_id AS RecognitionId, m.author_id AS AuthorId, e.name_zh AS AuthorZh, e.name_en AS AuthorEn, m.body AS Body,
                 m.created_utc AS CreatedUtc, m.edited_utc AS EditedUtc, s.time_zone AS TimeZone
          FROM comments m JOIN employees e ON e.id = m.author_id JOIN recognitions r ON r.id = m.recognition_id JOIN sites s ON s.id = r.site_id
          WHERE m.removed_utc IS NULL AND r.visibility = 'public' AND r.status = 'active'";

    /// <summary>One recognition's comments, oldest first (callers have checked the viewer may see it).</summary>
    public async Task<IReadOnlyList<CommentRow>> ForAsync(long recognitionId) =>
        (await db.ReadAsync(c => c.QueryAsync<CommentRow>(Select + " AND m.recognition_id = @recognitionId ORDER BY m.id", new { recognitionId }))).ToList();

    /// <summary>For a feed: each card's comment count and its last two comments (public recognitions only).</summary>
    public async Task<Dictionary<long, (int Count, IReadOnlyList<CommentRow> Last)>> SummaryAsync(IReadOnlyList<long> ids)
    {
        if (ids.Count == 0) return [];
        var rows = (await db.ReadAsync(c => c.QueryAsync<CommentRow>(Select + " AND m.recognition_id IN @ids ORDER BY m.id", new { ids }))).ToList();
        return rows.GroupBy(r => r.RecognitionId).ToDictionary(g => g.Key, g => (g.Count(), (IReadOnlyList<CommentRow>)g.TakeLast(2).ToList()));
    }
}
