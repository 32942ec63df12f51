namespace Recognition.Web.Features.Praise;

/// <summary>The printable QR card sheets: a team's (six cards to hand out) for its leader or an admin; a whole site's for its admin.</summary>
public static class PraiseEndpoints
{
    public static WebApplication MapPraise(this WebApplication app)
    {
        app.MapGet("/print/praise-cards", async (long? team, long? site, HttpContext ctx, PraiseCodes praise, Db db, TimeProvider clock) =>
        {
            var user = ctx.User;
            var now = clock.GetUtcNow().UtcDateTime;
            var baseUrl = Infrastructure.Web.PublicUrl.Base(ctx);
            if (team is { } teamId)
            {
                var t = await db.ReadAsync(c => c.QuerySingleOrDefaultAsync<(long SiteId, string Zh, string En)?>(
                    "SELECT site_id, name_zh, name_en FROM teams WHERE id = @teamId AND active = 1", new { teamId }));
                if (t is not { } row) return Results.NotFound();
                var leads = await db.ReadAsync(c => Access.LeadsTeamAsync(c, null, user.EmployeeId(), teamId));
                if (!leads && !user.AdministersSite(row.SiteId)) return Results.NotFound();
                var code = await praise.EnsureCodeAsync(row.SiteId, "team", teamId, now);
                var s = await SiteAsync(db, row.SiteId);
                var card = new PraiseCard(row.Zh, row.En, s.Zh, s.En, $"{baseUrl}/thanks/{code}");
                return Results.File(PraiseCardsPdf.Render(Enumerable.Repeat(card, 6).ToList()), "application/pdf", $"thank-us-team-{teamId}.pdf");
            }
            var siteId = site ?? user.SiteId();
            if (!user.AdministersSite(siteId)) return Results.NotFound();
            var codes = await praise.SiteCodesAsync(siteId, now);
            var sn = await SiteAsync(db, siteId);
            return Results.File(PraiseCardsPdf.Render(codes.Select(c => new PraiseCard(c.NameZh, c.NameEn, sn.Zh, sn.En, $"{baseUrl}/thanks/{c.Code}")).ToList()),
                "application/pdf", $"thank-us-site-{siteId}.pdf");
        }).RequireAuthorization(Policies.Supervisor);
        return app;
    }

    private static Task<(string Zh, string En)> SiteAsync(Db db, long siteId) =>
        db.ReadAsync(c => c.QuerySingleAsync<(string, string)>("SELECT name_zh, name_en FROM sites WHERE id = @siteId", new { siteId }));
}
