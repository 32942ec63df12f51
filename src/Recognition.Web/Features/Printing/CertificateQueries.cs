using System.Security.Claims;
using Recognition.Web.Features.Feed;

namespace Recognition.Web.Features.Printing;

/// <summary>
/// Builds certificates a person may print: their own (any visibility), or — for the supervisor of the
/// recipient's team and for admins — public and team recognitions. Revoked ones are never printed.
/// </summary>
public sealed class CertificateQueries(Db db, FeedQueries feed)
{
    public async Task<IReadOnlyList<Certificate>> ForRecognitionsAsync(ClaimsPrincipal user, IReadOnlyList<long> ids, long? onlyRecipient, string baseUrl)
    {
        await using var conn = await db.OpenAsync();
        var me = user.EmployeeId();
        var led = (await conn.QueryAsync<long>("SELECT id FROM teams WHERE id IN " + Access.TeamsLedBy("@me"), new { me })).ToHashSet();
        var sites = (await conn.QueryAsync<(long Id, string Zh, string En)>("SELECT id, name_zh, name_en FROM sites")).ToDictionary(s => s.Id);
        var siteOf = (await conn.QueryAsync<(long Id, long SiteId)>("SELECT id, site_id FROM recognitions WHERE id IN @ids", new { ids })).ToDictionary(r => r.Id, r => r.SiteId);
        var branding = await CertificateBranding.ForSitesAsync(conn, siteOf.Values);
        var list = new List<Certificate>();
        foreach (var chunk in ids.Chunk(500))
        {
            foreach (var card in (await feed.ManyAsync(conn, chunk, reactions: false)).OrderBy(c => c.Id))
            {
                if (card.Status != "active") continue;
                var site = sites[siteOf[card.Id]];
                foreach (var p in card.RecipientDetails.Where(p => onlyRecipient is null || p.Id == onlyRecipient))
                {
                    var allowed = p.Id == me || (card.Visibility != "private" && (user.AdministersSite(siteOf[card.Id]) || (user.IsSupervisor() && p.TeamId is { } t && led.Contains(t))));
                    if (!allowed) continue;
                    list.Add(new Certificate(p.NameZh, p.NameEn, card.BadgeZh, card.BadgeEn, card.ValueZh, card.ValueEn, card.Message,
                        card.GiverZh, card.GiverEn, SiteTime.ToLocal(card.CreatedUtc, card.TimeZone).ToString("yyyy-MM-dd"), site.Zh, site.En,
                        $"{baseUrl}/verify/{card.VerifyCode}")
                    {
                        Icon = card.BadgeIcon, Color = card.BadgeColor, Branding = branding.GetValueOrDefault(siteOf[card.Id], Branding.None),
                    });
                }
            }
        }
        return list;
    }

    public async Task<Certificate?> ForBadgeAsync(ClaimsPrincipal user, long awardId, string baseUrl)
    {
        await using var conn = await db.OpenAsync();
        var row = await conn.QuerySingleOrDefaultAsync<BadgeRow>(
            @"SELECT e.id AS EmployeeId, e.team_id AS TeamId, e.site_id AS SiteId, e.name_zh AS NameZh, e.name_en AS NameEn, b.name_zh AS BadgeZh, b.name_en AS BadgeEn,
                     b.description_zh AS DescriptionZh, b.description_en AS DescriptionEn, b.icon AS Icon, b.color AS Color, eb.verify_code AS VerifyCode, eb.created_utc AS CreatedUtc,
                     s.name_zh AS SiteZh, s.name_en AS SiteEn, s.time_zone AS TimeZone
              FROM employee_badges eb JOIN employees e ON e.id = eb.employee_id JOIN badges b ON b.id = eb.badge_id JOIN sites s ON s.id = e.site_id
              WHERE eb.id = @awardId", new { awardId });
        if (row is null) return null;
        var allowed = row.EmployeeId == user.EmployeeId() || await Access.LeadsOrAdministersAsync(conn, user, row.TeamId, row.SiteId);
        if (!allowed) return null;
        return new Certificate(row.NameZh, row.NameEn, row.BadgeZh, row.BadgeEn, null, null, $"{row.DescriptionZh} / {row.DescriptionEn}",
            "全面认可", "Recognition", SiteTime.ToLocal(row.CreatedUtc, row.TimeZone).ToString("yyyy-MM-dd"), row.SiteZh, row.SiteEn, $"{baseUrl}/verify/{row.VerifyCode}")
        {
            Icon = row.Icon, Color = row.Color, Branding = (await CertificateBranding.ForSitesAsync(conn, [row.SiteId])).GetValueOrDefault(row.SiteId, Branding.None),
        };
    }

    private sealed class BadgeRow
    {
        public long SiteId { get; init; }
        public long EmployeeId { get; init; }
        public long? TeamId { get; init; }
        public string? NameZh { get; init; }
        public string? NameEn { get; init; }
        public string BadgeZh { get; init; } = "";
        public string BadgeEn { get; init; } = "";
        public string DescriptionZh { get; init; } = "";
        public string DescriptionEn { get; init; } = "";
        public string Icon { get; init; } = "";
        public string Color { get; init; } = "";
        public string VerifyCode { get; init; } = "";
        public DateTime CreatedUtc { get; init; }
        public string SiteZh { get; init; } = "";
        public string SiteEn { get; init; } = "";
        public string TimeZone { get; init; } = "";
    }
}
