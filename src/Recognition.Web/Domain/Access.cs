namespace Recognition.Web.Domain;

/// <summary>
/// "May this person see or act on this team or site", in one place. Teams may have several leaders
/// (team_leaders); an organisation admin spans every site, a site admin only their own.
/// </summary>
public static class Access
{
    /// <summary>SQL: the ids of the teams the person in <paramref name="personParam"/> leads, for <c>team_id IN …</c>.</summary>
    public static string TeamsLedBy(string personParam) => $"(SELECT team_id FROM team_leaders WHERE employee_id = {personParam})";
}
