using System.Security.Claims;

namespace Recognition.Web.Domain;

/// <summary>
/// "May this person see or act on this team or site". Teams may have several leaders (team_leaders); an
/// organisation admin spans every site, a site admin only their own (<see cref="AdminScope"/>). The SQL fragments use
/// the parameters <see cref="Parameters"/> supplies: @me, @admin, @org, @site.
/// </summary>
public static class Access
{
    /// <summary>SQL: the ids of the teams the person in <paramref name="personParam"/> leads, for <c>team_id IN …</c>.</summary>
    public static string TeamsLedBy(string personParam) => $"(SELECT team_id FROM team_leaders WHERE employee_id = {personParam})";

    /// <summary>SQL: the row's team is one @me leads, or its site is one the admin covers (supervisor screens).</summary>
    public static string LeadsOrAdministers(string teamColumn, string siteColumn) =>
        $"({teamColumn} IN {TeamsLedBy("@me")} OR (@admin = 1 AND {SiteCovered(siteColumn)}))";

    /// <summary>SQL: the row's site is @site, or any site for an organisation admin.</summary>
    public static string SiteCovered(string siteColumn) => $"(@org = 1 OR {siteColumn} = @site)";

    /// <summary>The parameters the fragments read, for <paramref name="user"/>; callers add their own.</summary>
    public static DynamicParameters Parameters(ClaimsPrincipal user)
    {
        var p = new DynamicParameters();
        p.Add("me", user.EmployeeId());
        p.Add("admin", user.IsAdmin() ? 1 : 0);
        p.Add("org", user.IsOrgAdmin() ? 1 : 0);
        p.Add("site", user.SiteId());
        return p;
    }

    /// <summary>Whether <paramref name="personId"/> leads <paramref name="teamId"/> (no team: no one does).</summary>
    public static async Task<bool> LeadsTeamAsync(DbConnection conn, DbTransaction? tx, long personId, long? teamId) =>
        teamId is { } t && await conn.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM team_leaders WHERE team_id = @t AND employee_id = @personId", new { t, personId }, tx) > 0;

    /// <summary>The team leader or an admin of the site: who may act for a team (approve, print, moderate).</summary>
    public static async Task<bool> LeadsOrAdministersAsync(DbConnection conn, ClaimsPrincipal user, long? teamId, long siteId) =>
        user.AdministersSite(siteId) || (user.IsSupervisor() && await LeadsTeamAsync(conn, null, user.EmployeeId(), teamId));
}
