namespace Recognition.Web.Domain;

/// <summary>
/// Writes an event for live displays in the same transaction as the change it announces: what happened to which row,
/// and nothing else. The relay (Features/Walls/EventRelay) reads the current state of each batch's subjects in one
/// query when it sends, so what a wall shows is never an older copy; both dialects read the same columns.
/// </summary>
public static class Outbox
{
    public static Task AppendAsync(DbConnection conn, DbTransaction tx, long siteId, long? teamId, string kind, long subjectId, DateTime now) =>
        conn.ExecAsync(tx,
            "INSERT INTO events (site_id, team_id, kind, subject_id, created_utc) VALUES (@siteId, @teamId, @kind, @subjectId, @now)",
            new { siteId, teamId, kind, subjectId, now });

    public static Task NotifyAsync(DbConnection conn, DbTransaction tx, long employeeId, string kind, long subjectId, DateTime now) =>
        conn.ExecAsync(tx,
            "INSERT INTO notifications (employee_id, kind, subject_id, created_utc) VALUES (@employeeId, @kind, @subjectId, @now)",
            new { employeeId, kind, subjectId, now });
}
