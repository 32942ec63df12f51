using System.Data.Common;
using Dapper;

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

    public static Task<long?> FindAsync(DbConnection conn, DbTransaction? tx, long actorId, string key) =>
        conn.QuerySingleOrDefaultAsync<long?>(
            "SELECT result_id FROM idempotency_keys WHERE actor_id = @actorId AND idem_key = @key", new { actorId, key }, tx);

    public static Task ClaimAsync(DbConnection conn, DbTransaction tx, long actorId, string key, string kind, DateTime now) =>
        conn.ExecuteAsync(
            "INSERT INTO idempotency_keys (actor_id, idem_key, kind, result_id, created_utc) VALUES (@actorId, @key, @kind, NULL, @now)",
            new { actorId, key, kind, now }, tx);

    public static Task CompleteAsync(DbConnection conn, DbTransaction tx, long actorId, string key, long resultId) =>
        conn.ExecuteAsync(
            "UPDATE idempotency_keys SET result_id = @resultId WHERE actor_id = @actorId AND idem_key = @key", new { actorId, key, resultId }, tx);
}
