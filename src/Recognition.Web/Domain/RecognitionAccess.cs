namespace Recognition.Web.Domain;

/// <summary>
/// Who may see (and so react to, comment on or add to) one recognition: it is active and at the person's own site, and
/// public; or for the team, and the person gave it, received it, or is in a recipient's team; or private, and the person
/// is the giver or a recipient ("the two people"). An admin sees more in admin screens, but reacts as a person.
/// </summary>
public static class RecognitionAccess
{
    public sealed record Seen(long Id, long SiteId, string Visibility, long GiverId, bool Involved);

    /// <summary>The rule, as SQL over <c>recognitions r</c> with @personId and @siteId: the one place it is written for the database.</summary>
    private const string VisibleSql =
        @"r.site_id = @siteId AND r.status = 'active' AND (
            r.visibility = 'public' OR r.giver_id = @personId
            OR EXISTS (SELECT 1 FROM recognition_recipients x WHERE x.recognition_id = r.id AND x.employee_id = @personId)
            OR (r.visibility = 'team' AND EXISTS (SELECT 1 FROM recognition_recipients x JOIN employees e ON e.id = @personId
                                                  WHERE x.recognition_id = r.id AND x.team_id = e.team_id)))";

    private sealed class Row
    {
        public long Id { get; init; }
        public long SiteId { get; init; }
        public string Visibility { get; init; } = "";
        public long GiverId { get; init; }
        public int Involved { get; init; }
    }

    /// <summary>The recognition as <paramref name="personId"/> may see it, or null (no such recognition and not allowed look the same).</summary>
    public static async Task<Seen?> ForAsync(DbConnection conn, DbTransaction? tx, long recognitionId, long personId, long siteId)
    {
        var r = await conn.QuerySingleOrDefaultAsync<Row>(
            @"SELECT r.id AS Id, r.site_id AS SiteId, r.visibility AS Visibility, r.giver_id AS GiverId,
                     CASE WHEN r.giver_id = @personId OR EXISTS (SELECT 1 FROM recognition_recipients x WHERE x.recognition_id = r.id AND x.employee_id = @personId)
                          THEN 1 ELSE 0 END AS Involved
              FROM recognitions r WHERE r.id = @recognitionId AND " + VisibleSql, new { recognitionId, personId, siteId }, tx);
        return r is null ? null : new Seen(r.Id, r.SiteId, r.Visibility, r.GiverId, r.Involved == 1);
    }

    /// <summary>Of <paramref name="ids"/>, those <paramref name="personId"/> may see, in one read (the same rule as <see cref="ForAsync"/>).</summary>
    public static async Task<List<long>> VisibleAsync(DbConnection conn, IReadOnlyCollection<long> ids, long personId, long siteId) =>
        ids.Count == 0 ? [] : (await conn.QueryAsync<long>("SELECT r.id FROM recognitions r WHERE r.id IN @ids AND " + VisibleSql,
            new { ids, personId, siteId })).ToList();

    /// <summary>The same rule for a card already loaded (no read): whether the viewer may react to it.</summary>
    public static bool MayReact(FeedCard card, long personId, long? personTeamId) =>
        card.Status == "active" && card.Visibility switch
        {
            "public" => true,
            "team" => card.GiverId == personId || card.RecipientDetails.Any(p => p.Id == personId || (personTeamId is { } t && p.TeamId == t)),
            _ => card.GiverId == personId || card.RecipientDetails.Any(p => p.Id == personId),
        };
}
