namespace Recognition.Web.Features.Admin.People;

public sealed record PeopleFilter(string? Q, long? SiteId, long? TeamId, string? Role, string? Status, int Page, string? Access = null);

public sealed class PersonListRow
{
    public long Id { get; init; }
    public string EmployeeNo { get; init; } = "";
    public string? NameZh { get; init; }
    public string? NameEn { get; init; }
    public string? TeamZh { get; init; }
    public string? TeamEn { get; init; }
    public string SiteCode { get; init; } = "";
    public int Roles { get; init; }
    public bool Active { get; init; }
    public string? BadgeCode { get; init; }
    public bool Office { get; init; }
    public bool Kiosk { get; init; }
    public DateTime? LastSignIn { get; init; }
    public string Name => Bilingual.Pick(NameZh, NameEn);
}

/// <summary>The admin's people list: search in either language, employee number, badge code or team; filter; page.</summary>
public sealed class PeopleSearch(Db db)
{
    public const int PageSize = 50;

    public async Task<(IReadOnlyList<PersonListRow> Rows, int Total)> SearchAsync(PeopleFilter f, AdminScope scope)
    {
        var q = (f.Q ?? "").Trim();
        var role = f.Role switch { "supervisor" => (int)Roles.Supervisor, "admin" => (int)Roles.Admin, _ => 0 };
        var where =
            @" FROM employees e JOIN sites s ON s.id = e.site_id LEFT JOIN teams t ON t.id = e.team_id
               WHERE (@site IS NULL OR e.site_id = @site) AND (@team IS NULL OR e.team_id = @team)
                 AND (@role = 0 OR (e.roles & @role) <> 0)
                 AND (@status = 'all' OR (@status = 'inactive' AND e.active = 0) OR (@status = 'active' AND e.active = 1))
                 AND (@q = '' OR UPPER(e.employee_no) = UPPER(@q) OR UPPER(e.badge_code) = UPPER(@q) OR e.name_zh LIKE @like OR e.name_en LIKE @like
                      OR e.employee_no LIKE @prefix OR t.name_zh LIKE @like OR t.name_en LIKE @like)"
            + Rollout.RolloutCounts.Condition(f.Access);
        var args = new
        {
            site = scope.ListSite(f.SiteId), team = f.TeamId, role, status = f.Status is "inactive" or "all" ? f.Status : "active",
            q, like = "%" + Escape(q) + "%", prefix = Escape(q) + "%", skip = Math.Max(0, f.Page - 1) * PageSize, take = PageSize,
        };
        await using var c = await db.OpenAsync();
        var total = await c.ExecuteScalarAsync<int>("SELECT COUNT(*)" + where, args);
        var rows = await c.QueryAsync<PersonListRow>(db.Dialect.Page(
            @"SELECT e.id AS Id, e.employee_no AS EmployeeNo, e.name_zh AS NameZh, e.name_en AS NameEn, t.name_zh AS TeamZh, t.name_en AS TeamEn,
                     s.code AS SiteCode, e.roles AS Roles, e.active AS Active, e.badge_code AS BadgeCode,
                     CASE WHEN e.password_hash IS NOT NULL OR e.sso_subject IS NOT NULL THEN 1 ELSE 0 END AS Office,
                     CASE WHEN e.pin_hash IS NOT NULL THEN 1 ELSE 0 END AS Kiosk, e.last_signin_utc AS LastSignIn" + where + " ORDER BY e.employee_no"), args);
        return (rows.ToList(), total);
    }

    // LIKE wildcards typed by the admin are dropped rather than escaped, which behaves the same on both engines
    // (an exact employee number or badge code still matches through the equality tests).
    private static string Escape(string q) => q.Replace("[", "").Replace("%", "").Replace("_", "");
}
