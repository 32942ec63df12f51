using System.Data;

namespace Recognition.Web.Infrastructure.Data;

public enum DbProvider { Sqlite, SqlServer }

/// <summary>
/// Opens connections for the configured engine and runs one use case in one transaction.
/// SQLite write transactions begin IMMEDIATE (Microsoft.Data.Sqlite's default), so a
/// read-then-write inside <see cref="WriteAsync{T}"/> never fails with a stale snapshot.
/// </summary>
public sealed class Db : IAsyncDisposable
{
    // SQLite allows one writer at a time anyway: writes share one long-lived connection, so its prepared
    // statements (CachedSql) are reused across use cases. Readers use pooled connections.
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private DbConnection? _writer;

    public Db(DbProvider provider, string connectionString)
    {
        Provider = provider;
        ConnectionString = connectionString;
        Dialect = Dialects.For(provider);
    }

    public DbProvider Provider { get; }
    public string ConnectionString { get; }
    public ISqlDialect Dialect { get; }

    public async Task<DbConnection> OpenAsync(CancellationToken ct = default)
    {
        var conn = Dialect.NewConnection(ConnectionString);
        try
        {
            await conn.OpenAsync(ct);
            return conn;
        }
        catch
        {
            await conn.DisposeAsync();
            throw;
        }
    }

    public async Task<T> ReadAsync<T>(Func<DbConnection, Task<T>> work, CancellationToken ct = default)
    {
        await using var conn = await OpenAsync(ct);
        return await work(conn);
    }

    /// <summary>Raised after every committed write, so the event relay wakes at once instead of waiting for its poll.</summary>
    public event Action? Committed;

    public async Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken ct = default)
    {
        if (Dialect.SharesOneWriter) return await WriteSharedAsync(work, ct);
        await using var conn = await OpenAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(IsolationLevel.ReadCommitted, ct);
        var result = await work(conn, tx);
        await tx.CommitAsync(ct);
        Committed?.Invoke();
        return result;
    }

    private async Task<T> WriteSharedAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken ct)
    {
        await _writeGate.WaitAsync(ct);
        try
        {
            var conn = _writer ??= await OpenWriterAsync(ct);
            T result;
            try
            {
                await using var tx = await conn.BeginTransactionAsync(IsolationLevel.ReadCommitted, ct); // IMMEDIATE on SQLite
                result = await work(conn, tx);
                await tx.CommitAsync(ct);
            }
            catch (DbException)
            {
                // A broken or busy connection is not kept: the next write opens a fresh one.
                await conn.DisposeAsync();
                _writer = null;
                throw;
            }
            Committed?.Invoke();
            return result;
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <summary>
    /// The writer's settings are per connection, so they are applied once when it opens. Readers need none:
    /// in WAL they never wait for the writer, and Microsoft.Data.Sqlite retries a busy database up to the
    /// command timeout.
    /// </summary>
    private async Task<DbConnection> OpenWriterAsync(CancellationToken ct)
    {
        var conn = await OpenAsync(ct);
        await Dialect.ConfigureWriterAsync(conn);
        return conn;
    }

    public async ValueTask DisposeAsync()
    {
        await _writeGate.WaitAsync();
        if (_writer is not null) await _writer.DisposeAsync();
        _writer = null;
        _writeGate.Release();
    }

    public Task WriteAsync(Func<DbConnection, DbTransaction, Task> work, CancellationToken ct = default) =>
        WriteAsync<bool>(async (c, t) => { await work(c, t); return true; }, ct);
}
