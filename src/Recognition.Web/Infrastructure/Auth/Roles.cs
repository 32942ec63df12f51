using System.Security.Claims;

namespace Recognition.Web.Infrastructure.Auth;

[Flags]
public enum Roles
{
    None = 0,
    Employee = 1,
    Supervisor = 2,
    Admin = 4,
    /// <summary>With Admin: an organisation admin, whose rights cover every site (a site admin's stop at their own).</summary>
    OrgAdmin = 8,
    /// <summary>Approves and hands over reward orders at their own site (admins may too).</summary>
    RewardsKeeper = 16,
}

public static class Policies
{
    public const string Employee = "Employee";
    public const string Supervisor = "Supervisor";
    public const string Admin = "Admin";
    public const string Display = "Display";
    public const string Kiosk = "Kiosk";
    public const string Device = "Device";
    public const string KioskSession = "KioskSession";
    /// <summary>An enrolled kiosk, whether or not a person is signed in at it (e.g. its language switch).</summary>
    public const string KioskAny = "KioskAny";
    /// <summary>Works the reward orders: a rewards keeper or an admin.</summary>
    public const string Rewards = "Rewards";
}

public static class ClaimNames
{
    public const string Locale = "locale";
    public const string Site = "site";
    public const string Team = "team";
    public const string Stamp = "stamp";
    public const string AuthTime = "auth_time";
}

public static class PrincipalExtensions
{
    public static long EmployeeId(this ClaimsPrincipal user) =>
        long.Parse(user.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("Not signed in."), System.Globalization.CultureInfo.InvariantCulture);

    public static long SiteId(this ClaimsPrincipal user) =>
        long.Parse(user.FindFirstValue(ClaimNames.Site) ?? "0", System.Globalization.CultureInfo.InvariantCulture);

    public static bool IsSupervisor(this ClaimsPrincipal user) => user.IsInRole(nameof(Roles.Supervisor)) || user.IsInRole(nameof(Roles.Admin));

    public static bool IsAdmin(this ClaimsPrincipal user) => user.IsInRole(nameof(Roles.Admin));

    public static bool IsRewardsKeeper(this ClaimsPrincipal user) => user.IsInRole(nameof(Roles.RewardsKeeper)) || user.IsInRole(nameof(Roles.Admin));

    public static bool IsOrgAdmin(this ClaimsPrincipal user) => user.IsInRole(nameof(Roles.Admin)) && user.IsInRole(nameof(Roles.OrgAdmin));

    /// <summary>May this admin act on <paramref name="siteId"/>: an organisation admin anywhere, a site admin at their own site.</summary>
    public static bool AdministersSite(this ClaimsPrincipal user, long siteId) => user.IsOrgAdmin() || (user.IsAdmin() && user.SiteId() == siteId);
}
