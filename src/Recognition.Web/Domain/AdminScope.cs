using System.Security.Claims;

namespace Recognition.Web.Domain;

/// <summary>
/// What an admin may touch: an organisation admin every site (or the one they picked), a site admin only their
/// own. Built from the principal, never from the request alone.
/// </summary>
public sealed record AdminScope(long ActorId, long HomeSite, bool Org)
{
    public static AdminScope Of(ClaimsPrincipal user) => new(user.EmployeeId(), user.SiteId(), user.IsOrgAdmin());

    /// <summary>The operator at the command line (`people import`): organisation-wide, audited with no person as actor.</summary>
    public static readonly AdminScope CommandLine = new(0, 0, true);

    /// <summary>The audit log's actor: null for the command line.</summary>
    public long? Actor => ActorId == 0 ? null : ActorId;

    public bool Covers(long siteId) => Org || siteId == HomeSite;

    /// <summary>The site a list shows: a site admin always their own; an organisation admin the one asked for, else all (null).</summary>
    public long? ListSite(long? requested) => Org ? requested : HomeSite;
}
