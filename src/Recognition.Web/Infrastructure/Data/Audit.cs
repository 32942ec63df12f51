using System.Text.Json;

namespace Recognition.Web.Infrastructure.Data;

/// <summary>One audited change: who, what, on which site, and the values before and after (serialised as JSON).</summary>
public sealed record AuditEntry(long? ActorId, string Action, string? Target, long? SiteId = null, object? Before = null, object? After = null, string? Detail = null, string? Ip = null);

public static class Audit
{
    // Audit fields are bounded: a hostile request can't grow the log by the size of what it sent.
    private const int TargetMax = 200, DetailMax = 1000, JsonMax = 8000, IpMax = 64;

    private static readonly JsonSerializerOptions Json = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Task WriteAsync(DbConnection conn, DbTransaction? tx, AuditEntry e, DateTime atUtc) =>
        conn.ExecuteAsync(
            "INSERT INTO audit_log (at_utc, actor_id, action, target, detail, ip, site_id, before_json, after_json) " +
            "VALUES (@atUtc, @ActorId, @Action, @target, @detail, @ip, @SiteId, @before, @after)",
            new
            {
                atUtc, e.ActorId, e.Action, e.SiteId,
                target = Cut(e.Target, TargetMax), detail = Cut(e.Detail, DetailMax), ip = Cut(e.Ip, IpMax),
                before = Cut(e.Before is null ? null : JsonSerializer.Serialize(e.Before, Json), JsonMax),
                after = Cut(e.After is null ? null : JsonSerializer.Serialize(e.After, Json), JsonMax),
            }, tx);

    public static Task WriteAsync(DbConnection conn, DbTransaction? tx, long? actorId, string action, string? target, string? detail, string? ip, DateTime atUtc) =>
        WriteAsync(conn, tx, new AuditEntry(actorId, action, target, Detail: detail, Ip: ip), atUtc);

    public static Task WriteAsync(Db db, long? actorId, string action, string? target, string? detail, string? ip, DateTime atUtc) =>
        db.WriteAsync((c, t) => WriteAsync(c, t, actorId, action, target, detail, ip, atUtc));

    public static Task WriteAsync(Db db, AuditEntry e, DateTime atUtc) => db.WriteAsync((c, t) => WriteAsync(c, t, e, atUtc));

    private static string? Cut(string? s, int max) => s is null || s.Length <= max ? s : s[..max] + "…";
}
