namespace Recognition.Web.Domain;

/// <summary>
/// Who someone is for a use case: their site and its time zone (which decides days, weeks and months), team, roles,
/// language and whether they are still active. Read by key, once per use case.
/// </summary>
public sealed class PersonContext
{
    public long Id { get; init; }
    public long SiteId { get; init; }
    public long? TeamId { get; init; }
    public int Roles { get; init; }
    public bool Active { get; init; }
    public string? NameZh { get; init; }
    public string? NameEn { get; init; }
    public string Locale { get; init; } = "";
    public string TimeZone { get; init; } = "";

    public Roles RoleFlags => (Roles)Roles;

    private const string Sql =
        @"SELECT e.id AS Id, e.site_id AS SiteId, e.team_id AS TeamId, e.roles AS Roles, e.active AS Active, e.name_zh AS NameZh, e.name_en AS NameEn,
                 e.locale AS Locale, s.time_zone AS TimeZone
          FROM employees e JOIN sites s ON s.id = e.site_id WHERE e.id = @personId";

    /// <summary>The person, active or not; null when there is no such person.</summary>
    public static Task<PersonContext?> LoadAsync(DbConnection conn, DbTransaction? tx, long personId) =>
        tx is null
            ? conn.QuerySingleOrDefaultAsync<PersonContext?>(Sql, new { personId })
            : conn.RowAsync<PersonContext>(tx, Sql, new { personId });
}
