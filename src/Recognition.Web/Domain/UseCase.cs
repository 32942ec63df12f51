namespace Recognition.Web.Domain;

/// <summary>
/// The one way a use case writes. Everything happens in one write transaction; a <see cref="RuleViolation"/> thrown
/// inside rolls it all back and becomes the refusal the page shows; a unique-key race becomes a refusal when the use
/// case names one. Creating use cases run once per (actor, idempotency key): a double tap, a retried POST or a second
/// tab gets the first result.
/// </summary>
public static class UseCase
{
    public static async Task<Outcome> RunAsync(this Db db, Func<DbConnection, DbTransaction, Task<Outcome>> work,
        string? duplicateError = null, CancellationToken ct = default)
    {
        try
        {
            return await db.WriteAsync(work, ct);
        }
        catch (RuleViolation v)
        {
            return v.Outcome;
        }
        catch (Exception ex) when (duplicateError is not null && db.Dialect.IsUniqueViolation(ex))
        {
            return Outcome.Refused(duplicateError);
        }
    }

    /// <summary>
    /// Runs a use case as one step of a larger transaction (a catalogue file applies many): a refusal comes back as the
    /// outcome and the caller, which owns the transaction, decides whether everything rolls back.
    /// </summary>
    public static async Task<Outcome> WithinAsync(DbConnection conn, DbTransaction tx, Func<DbConnection, DbTransaction, Task<Outcome>> work)
    {
        try
        {
            return await work(conn, tx);
        }
        catch (RuleViolation v)
        {
            return v.Outcome;
        }
    }

    /// <summary>For use cases whose work returns the id it created or changed.</summary>
    public static Task<Outcome> RunAsync(this Db db, Func<DbConnection, DbTransaction, Task<long>> work,
        string? duplicateError = null, CancellationToken ct = default) =>
        db.RunAsync(async (c, t) => Outcome.Created(await work(c, t)), duplicateError, ct);

    /// <summary>
    /// Runs <paramref name="work"/> once for (<paramref name="actorId"/>, <paramref name="key"/>) and records its result as
    /// the transaction's last write.
    /// </summary>
    public static async Task<Outcome> RunOnceAsync(this Db db, long actorId, string key, string kind, DateTime now,
        Func<DbConnection, DbTransaction, Task<long>> work, CancellationToken ct = default)
    {
        if (!Idempotency.IsValidKey(key)) return Outcome.Refused("Error.FormExpired");
        try
        {
            return await db.WriteAsync(async (conn, tx) =>
            {
                if (await Idempotency.FindAsync(conn, tx, actorId, key) is { } prior) return Outcome.Repeated(prior);
                var id = await work(conn, tx);
                await Idempotency.RecordAsync(conn, tx, actorId, key, kind, id, now);
                return Outcome.Created(id);
            }, ct);
        }
        catch (Exception ex) when (ex is RuleViolation || db.Dialect.IsUniqueViolation(ex))
        {
            // Two identical submissions can race past the lookup (SQL Server reads committed): the loser either hits the
            // key or a cap the winner just used up. Either way the first result is the answer.
            if (await db.ReadAsync(c => Idempotency.FindAsync(c, null, actorId, key)) is { } first) return Outcome.Repeated(first);
            if (ex is RuleViolation v) return v.Outcome;
            throw;
        }
    }
}
