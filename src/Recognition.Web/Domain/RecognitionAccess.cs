namespace Recognition.Web.Domain;

/// <summary>
/// Who may see (and so react to, comment on or add to) one recognition: it is active and at the person's own site, and
/// public; or for the team, and the person gave it, received it, or is in a recipient's team; or private, and the person
/// is the giver or a recipient ("the two people"). An admin sees more in admin screens, but reacts as a person.
/// </summary>
public static class RecognitionAccess
{
    public sealed record Seen(long Id, long SiteId, string Visibility, long GiverId, bool Involved);

    private sealed class Row
    {
        public long Id { get; init; }
        public long SiteId { get; init; }
        public string Visibility { get; init; } = "";
        public string Status { get; init; } = "";
        public long GiverId { get; init; }
        public int Recipient { get; init; }
        public int SameTeam { get; init; }
    }

    /// <summary>The recognition as <paramref name="personId"/> may see it, or null (no such recognition and not allowed look the same).</summary>
    public static async Task<Seen?> ForAsync(DbConnection conn, DbTransaction? tx, long recognitionId, long personId, long siteId)
    {
        var r = await conn.QuerySingleOrDefaultAsync<Row>(
            @"SELECT r.id AS Id, r.site_id AS SiteId, r.visibility AS Visibility, r.status AS Status, r.giver_id AS GiverId,
                     CASE WHEN EXISTS (SELECT 1 FROM recognition_recipients x WHERE x.recognition_id = r.id AND x.employee_id = @personId) THEN 1 ELSE 0 END AS Recipient,
                     CASE WHEN EXISTS (SELECT 1 FROM recognition_recipients x JOIN employees e ON e.id = @personId
                                       WHERE x.recognition_id = r.id AND x.team_id = e.team_id) THEN 1 ELSE 0 END AS SameTeam
              FROM recognitions r WHERE r.id = @recognitionId", new { recognitionId, personId }, tx);
        if (r is null || r.Status != "active" || r.SiteId != siteId) return null;
        var involved = r.GiverId == personId || r.Recipient == 1;
        var allowed = r.Visibility switch
        {
            "public" => true,
            "team" => involved || r.SameTeam == 1,
            _ => involved,
        };
        return allowed ? new Seen(r.Id, r.SiteId, r.Visibility, r.GiverId, involved) : null;
    }

    /// <summary>Of <paramref name="ids"/>, those <paramref name="personId"/> may see, in one read (the same rule as <see cref="ForAsync"/>).</summary>
    public static async Task<List<long>> VisibleAsync(DbConnection conn, IReadOnlyCollection<long> ids, long personId, long siteId) =>
        ids.Count == 0 ? [] : (await conn.QueryAsync<long>(
            @"SELECT r.id FROM recognitions r WHERE r.id IN @ids AND r.site_id = @siteId AND r.status = 'active' AND (
                r.visibility = 'public' OR r.giver_id = @personId
                OR EXISTS (SELECT 1 FROM recognition_recipients x WHERE x.recognition_id = r.id AND x.employee_id = @personId)
                OR (r.visibility = 'team' AND EXISTS (SELECT 1 FROM recognition_recipients x JOIN employees e ON e.id = @personId
                                                      WHERE x.recognition_id = r.id AND x.team_id = e.team_id)))",
            new { ids, personId, siteId })).ToList();

    /// <summary>The same rule for a card already loaded: whether the viewer may react to it.</summary>
    public static bool MayReact(FeedCard card, long personId, long? personTeamId) =>
        card.Status == "active" && card.Visibility switch
        {
            "public" => true,
            "team" => card.GiverId == personId || card.RecipientDetails.Any(p => p.Id == personId || (personTeamId is { } t && p.TeamId == t)),
            _ => card.GiverId == personId || card.RecipientDetails.Any(p => p.Id == personId),
        };
}
