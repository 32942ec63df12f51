namespace Recognition.Web.Infrastructure.Data;

/// <summary>
/// Idempotency keys: every create form carries one; the (actor, key) primary key turns a double tap,
/// a retried POST or a second tab into a lookup of the first result.
/// </summary>
public static class Idempotency
{
    public static bool IsValidKey(string? key) =>
        key is { Length: >= 8 and <= 100 } && key.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    public static string NewKey() => Guid.NewGuid().ToString("N");

    private const string FindSql = "SELECT result_id FROM idempotency_keys WHERE actor_id = @actorId AND idem_key = @key";

    public static Task<long?> FindAsync(DbConnection conn, DbTransaction? tx, long actorId, string key) =>
        tx is null
            ? conn.QuerySingleOrDefaultAsync<long?>(FindSql, new { actorId, key })
            : conn.ScalarAsync<long?>(tx, FindSql, new { actorId, key });

    /// <summary>
    /// Records the key with its result as the last write of the use case's transaction. A repeat hits the
    /// primary key, the whole transaction rolls back, and the caller looks up the first result.
    /// </summary>
    public static Task RecordAsync(DbConnection conn, DbTransaction tx, long actorId, string key, string kind, long resultId, DateTime now) =>
        conn.ExecAsync(tx,
            "INSERT INTO idempotency_keys (actor_id, idem_key, kind, result_id, created_utc) VALUES (@actorId, @key, @kind, @resultId, @now)",
            new { actorId, key, kind, resultId, now });
}
