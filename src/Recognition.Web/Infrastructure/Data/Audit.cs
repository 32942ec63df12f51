using System.Data.Common;
using Dapper;

namespace Recognition.Web.Infrastructure.Data;

public static class Audit
{
    public static Task WriteAsync(DbConnection conn, DbTransaction? tx, long? actorId, string action, string? target, string? detail, string? ip, DateTime atUtc) =>
        conn.ExecuteAsync(
            "INSERT INTO audit_log (at_utc, actor_id, action, target, detail, ip) VALUES (@atUtc, @actorId, @action, @target, @detail, @ip)",
            new { atUtc, actorId, action, target, detail, ip }, tx);

    public static Task WriteAsync(Db db, long? actorId, string action, string? target, string? detail, string? ip, DateTime atUtc) =>
        db.WriteAsync((c, t) => WriteAsync(c, t, actorId, action, target, detail, ip, atUtc));
}
