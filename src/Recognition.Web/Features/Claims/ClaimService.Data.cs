namespace Recognition.Web.Features.Claims;

/// <summary>The rows the claim use cases read, and the SQL that reads them.</summary>
public sealed partial class ClaimService
{
    private static Task<EmployeeRow?> Employee(DbConnection conn, DbTransaction tx, long id) =>
        conn.QuerySingleOrDefaultAsync<EmployeeRow>(
            "SELECT id AS Id, site_id AS SiteId, team_id AS TeamId FROM employees WHERE id = @id AND active = 1", new { id }, tx);

    private static Task<RuleRow?> Rule(DbConnection conn, DbTransaction tx, long id) =>
        conn.QuerySingleOrDefaultAsync<RuleRow>(
            @"SELECT id AS Id, code AS Code, system_key AS SystemKey, category AS Category, points AS Points, requires_approval AS RequiresApproval, claimable AS Claimable,
                     cap_per_day AS CapPerDay, cap_per_week AS CapPerWeek, cap_per_month AS CapPerMonth, active AS Active
              FROM behaviour_rules WHERE id = @id", new { id }, tx);

    private static Task<ClaimRow?> Load(DbConnection conn, DbTransaction tx, long id) =>
        conn.QuerySingleOrDefaultAsync<ClaimRow>(
            @"SELECT c.id AS Id, c.employee_id AS EmployeeId, c.team_id AS TeamId, c.site_id AS SiteId, c.rule_id AS RuleId, c.status AS Status,
                     c.created_utc AS CreatedUtc, s.time_zone AS TimeZone, r.category AS Category
              FROM claims c JOIN sites s ON s.id = c.site_id JOIN behaviour_rules r ON r.id = c.rule_id WHERE c.id = @id", new { id }, tx);

    private sealed class EmployeeRow
    {
        public long Id { get; init; }
        public long SiteId { get; init; }
        public long? TeamId { get; init; }
    }

    private sealed class RuleRow
    {
        public long Id { get; init; }
        public string Code { get; init; } = "";
        public string? SystemKey { get; init; }
        public string Category { get; init; } = "";
        public int Points { get; init; }
        public bool RequiresApproval { get; init; }
        public bool Claimable { get; init; }
        public int? CapPerDay { get; init; }
        public int? CapPerWeek { get; init; }
        public int? CapPerMonth { get; init; }
        public bool Active { get; init; }
    }

    private sealed class ClaimRow
    {
        public long Id { get; init; }
        public long EmployeeId { get; init; }
        public long? TeamId { get; init; }
        public long SiteId { get; init; }
        public long RuleId { get; init; }
        public string Status { get; init; } = "";
        public DateTime CreatedUtc { get; init; }
        public string TimeZone { get; init; } = "";
        public string Category { get; init; } = "";
    }
}
