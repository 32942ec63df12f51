namespace Recognition.Web.Features.Admin.People;

public sealed record Option(long Id, string Name);

/// <summary>The choices an admin form offers, already limited to the admin's scope.</summary>
public sealed class AdminLookups(Db db, SiteList sites)
{
    public async Task<IReadOnlyList<Option>> SitesAsync(AdminScope scope) =>
        (await sites.ForAdminAsync(scope)).Select(s => new Option(s.Id, s.Label)).ToList();

    public async Task<IReadOnlyList<Option>> TeamsAsync(long? siteId, AdminScope scope)
    {
        await using var c = await db.OpenAsync();
        return (await c.QueryAsync<(long Id, string Zh, string En)>(
                "SELECT id, name_zh, name_en FROM teams WHERE active = 1 AND site_id = @site ORDER BY name_zh",
                new { site = siteId is { } s && scope.Covers(s) ? s : scope.HomeSite }))
            .Select(t => new Option(t.Id, Bilingual.Pick(t.Zh, t.En))).ToList();
    }

    /// <summary>Who can be a manager: active supervisors and admins of the site, with their employee number (namesakes).</summary>
    public async Task<IReadOnlyList<Option>> ManagersAsync(long siteId, AdminScope scope)
    {
        if (!scope.Covers(siteId)) return [];
        await using var c = await db.OpenAsync();
        return (await c.QueryAsync<(long Id, string No, string? Zh, string? En)>(
                $"SELECT id, employee_no, name_zh, name_en FROM employees WHERE site_id = @siteId AND active = 1 AND (roles & {(int)(Roles.Supervisor | Roles.Admin)}) <> 0 ORDER BY employee_no",
                new { siteId }))
            .Select(m => new Option(m.Id, $"{Bilingual.Pick(m.Zh, m.En)} ({m.No})")).ToList();
    }

    /// <summary>The last import batches (newest first) of the people the admin covers, for welcome letters.</summary>
    public async Task<IReadOnlyList<string>> ImportBatchesAsync(AdminScope scope)
    {
        await using var c = await db.OpenAsync();
        return (await c.QueryAsync<string>(db.Dialect.Page(
                "SELECT import_batch FROM employees WHERE import_batch IS NOT NULL AND active = 1 AND (@org = 1 OR site_id = @site) GROUP BY import_batch ORDER BY import_batch DESC"),
                new { org = scope.Org ? 1 : 0, site = scope.HomeSite, skip = 0, take = 10 })).ToList();
    }
}
