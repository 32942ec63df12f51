using Recognition.Web.Infrastructure.Web;

namespace Recognition.Web.Features.Me;

/// <summary>
/// /me/export.json, /me/export.csv, /me/record.pdf: a person's own data; and the same for HR at
/// /admin/people/{id}/export.json|csv and /admin/people/{id}/record.pdf (for someone who left, too), within the admin's sites.
/// Every export is audited.
/// </summary>
public static class PersonalDataEndpoints
{
    public static WebApplication MapPersonalData(this WebApplication app)
    {
        var me = app.MapGroup("/me").RequireAuthorization(Policies.Employee);
        me.MapGet("/export.{format}", (string format, HttpContext ctx, PersonalData data, Db db, TimeProvider clock) =>
            ExportAsync(ctx, data, db, clock, ctx.User.EmployeeId(), format, "me.export"));
        me.MapGet("/record.pdf", (HttpContext ctx, Db db, TimeProvider clock) => RecordAsync(ctx, db, clock, ctx.User.EmployeeId(), "me.record"));

        var hr = app.MapGroup("/admin/people/{id:long}").RequireAuthorization(Policies.Admin);
        hr.MapGet("/export.{format}", async (long id, string format, HttpContext ctx, PersonalData data, Db db, TimeProvider clock) =>
            await CoversAsync(db, ctx, id) ? await ExportAsync(ctx, data, db, clock, id, format, "people.export") : Results.NotFound());
        hr.MapGet("/record.pdf", async (long id, HttpContext ctx, Db db, TimeProvider clock) =>
            await CoversAsync(db, ctx, id) ? await RecordAsync(ctx, db, clock, id, "people.record") : Results.NotFound());
        return app;
    }

    private static async Task<bool> CoversAsync(Db db, HttpContext ctx, long id) =>
        await db.ReadAsync(c => c.QueryFirstOrDefaultAsync<long?>("SELECT site_id FROM employees WHERE id = @id", new { id })) is { } site && AdminScope.Of(ctx.User).Covers(site);

    private static async Task<IResult> ExportAsync(HttpContext ctx, PersonalData data, Db db, TimeProvider clock, long person, string format, string action)
    {
        if (format is not ("json" or "csv")) return Results.NotFound();
        await Audit.WriteAsync(db, ctx.User.EmployeeId(), action, $"employee:{person}", format, ctx.Connection.RemoteIpAddress?.ToString(), clock.GetUtcNow().UtcDateTime);
        var name = $"personal-data-{person}-{clock.GetUtcNow().UtcDateTime:yyyyMMdd}.{format}";
        return Results.Stream(body => format == "json" ? data.WriteJsonAsync(person, body, ctx.RequestAborted) : data.WriteCsvAsync(person, body, ctx.RequestAborted),
            format == "json" ? "application/json; charset=utf-8" : "text/csv; charset=utf-8", name);
    }

    private static async Task<IResult> RecordAsync(HttpContext ctx, Db db, TimeProvider clock, long person, string action)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var (who, lines, achievements) = await db.ReadAsync(async c => (
            await c.QueryFirstAsync<RecordPerson>(
                @"SELECT e.name_zh AS NameZh, e.name_en AS NameEn, e.employee_no AS EmployeeNo, s.name_zh AS SiteZh, s.name_en AS SiteEn, s.time_zone AS TimeZone
                  FROM employees e JOIN sites s ON s.id = e.site_id WHERE e.id = @person", new { person }),
            (await c.QueryAsync<RecordLine>(
                @"SELECT r.id AS Id, r.created_utc AS CreatedUtc, b.name_zh AS BadgeZh, b.name_en AS BadgeEn, v.name_zh AS ValueZh, v.name_en AS ValueEn,
                         g.name_zh AS FromZh, g.name_en AS FromEn, r.message AS Message, r.verify_code AS VerifyCode
                  FROM recognition_recipients x JOIN recognitions r ON r.id = x.recognition_id JOIN employees g ON g.id = r.giver_id
                  LEFT JOIN badges b ON b.id = r.badge_id LEFT JOIN core_values v ON v.id = COALESCE(r.value_id, b.value_id)
                  WHERE x.employee_id = @person AND r.status = 'active' ORDER BY r.created_utc", new { person })).ToList(),
            (await c.QueryAsync<(DateTime At, string Zh, string En)>(
                "SELECT eb.created_utc, b.name_zh, b.name_en FROM employee_badges eb JOIN badges b ON b.id = eb.badge_id WHERE eb.employee_id = @person ORDER BY eb.created_utc",
                new { person })).ToList()));
        await Audit.WriteAsync(db, ctx.User.EmployeeId(), action, $"employee:{person}", "pdf", ctx.Connection.RemoteIpAddress?.ToString(), now);
        return Results.File(RecordPdf.Render(who, lines, achievements, PublicUrl.Base(ctx), now), "application/pdf", $"recognition-record-{who.EmployeeNo}.pdf");
    }
}
