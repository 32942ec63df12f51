using System.Data.Common;
using System.Text.Json;
using Recognition.Web.Infrastructure.Data;

namespace Recognition.Web.Features.Ledger;

/// <summary>Writes an event for live displays in the same transaction as the change it announces.</summary>
public static class Outbox
{
    public static Task AppendAsync(DbConnection conn, DbTransaction tx, long siteId, long? teamId, string kind, long subjectId, object payload, DateTime now) =>
        conn.ExecAsync(tx,
            "INSERT INTO events (site_id, team_id, kind, subject_id, payload, created_utc) VALUES (@siteId, @teamId, @kind, @subjectId, @payload, @now)",
            new { siteId, teamId, kind, subjectId, payload = JsonSerializer.Serialize(payload), now });

    public static Task NotifyAsync(DbConnection conn, DbTransaction tx, long employeeId, string kind, long subjectId, DateTime now) =>
        conn.ExecAsync(tx,
            "INSERT INTO notifications (employee_id, kind, subject_id, created_utc) VALUES (@employeeId, @kind, @subjectId, @now)",
            new { employeeId, kind, subjectId, now });
}
