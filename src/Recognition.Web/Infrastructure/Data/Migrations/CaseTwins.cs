using System.Data;

namespace Recognition.Web.Infrastructure.Data.Migrations;

/// <summary>
/// Before employee numbers and badge codes become unique whatever their case (migration 0013): people whose number differs
/// from an older person's only in case (e0001 beside E0001) keep their record, history and points, and their number gets
/// "-DUP" and their id; a badge code that twins an older one is cleared. Each change is audited as <c>employee.case_twin</c>
/// (before and after), so an admin finds them in the audit log, and the migrator logs them.
/// </summary>
public static class CaseTwins
{
    public const string Action = "employee.case_twin";

    public static void Resolve(IDbConnection conn, IDbTransaction tx)
    {
        var people = conn.Query<(long Id, string No, string? Badge, long SiteId)>(
            "SELECT id, employee_no, badge_code, site_id FROM employees ORDER BY id", transaction: tx).ToList();
        var now = DateTime.UtcNow;
        var numbers = new HashSet<string>(StringComparer.Ordinal);
        var badges = new HashSet<string>(StringComparer.Ordinal);
        foreach (var p in people)
        {
            if (!numbers.Add(EmployeeNumbers.Key(p.No.Trim())))
            {
                var suffix = $"-DUP{p.Id}";
                var renamed = p.No.Trim()[..Math.Min(p.No.Trim().Length, 32 - suffix.Length)] + suffix;
                numbers.Add(EmployeeNumbers.Key(renamed));
                conn.Execute("UPDATE employees SET employee_no = @renamed WHERE id = @Id", new { renamed, p.Id }, tx);
                Audit(conn, tx, p, $"employee_no {p.No} -> {renamed}", now);
            }
            if (p.Badge is { } badge && !badges.Add(EmployeeNumbers.Key(badge.Trim())))
            {
                conn.Execute("UPDATE employees SET badge_code = NULL WHERE id = @Id", new { p.Id }, tx);
                Audit(conn, tx, p, "badge_code cleared (twin of an older person's badge)", now);
            }
        }
    }

    private static void Audit(IDbConnection conn, IDbTransaction tx, (long Id, string No, string? Badge, long SiteId) p, string detail, DateTime now) =>
        conn.Execute("INSERT INTO audit_log (at_utc, actor_id, action, target, detail, site_id) VALUES (@now, NULL, @Action, @target, @detail, @SiteId)",
            new { now, Action, target = $"employee:{p.Id}", detail, p.SiteId }, tx);
}
