namespace Recognition.Web.Domain;

public sealed record SiteEntry(long Id, string Code, string NameZh, string NameEn, string TimeZone)
{
    public string Name => Bilingual.Pick(NameZh, NameEn);
    public string Label => $"{Code} · {Name}";
}

/// <summary>
/// The sites an admin may pick, the same list on every admin screen: active sites by code; a site admin sees their own,
/// an organisation admin every site.
/// </summary>
public sealed class SiteList(Db db)
{
    public async Task<IReadOnlyList<SiteEntry>> ForAdminAsync(AdminScope scope) =>
        (await db.ReadAsync(c => c.QueryAsync<SiteEntry>(
            "SELECT id AS Id, code AS Code, name_zh AS NameZh, name_en AS NameEn, time_zone AS TimeZone FROM sites WHERE active = 1 AND (@org = 1 OR id = @home) ORDER BY code",
            new { org = scope.Org ? 1 : 0, home = scope.HomeSite }))).ToList();
}
