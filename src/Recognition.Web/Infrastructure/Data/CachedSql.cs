using System.Collections.Concurrent;
using System.Data.Common;
using System.Reflection;
using System.Runtime.CompilerServices;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Recognition.Web.Infrastructure.Data;

/// <summary>
/// The award path's hot statements. Microsoft.Data.Sqlite compiles SQL afresh for every new command,
/// which dominated the cost of an award, so on SQLite each statement text gets one prepared command per
/// connection, re-bound on each call (the writer connection is long-lived, see <see cref="Db"/>).
/// Other engines go through Dapper as everywhere else.
/// </summary>
public static class CachedSql
{
    private static readonly ConditionalWeakTable<DbConnection, Dictionary<string, SqliteCommand>> Cache = new();
    private static readonly ConcurrentDictionary<Type, PropertyInfo[]> Props = new();
    private static readonly ConcurrentDictionary<(string, Type), Delegate> Parsers = new();

    public static Task<int> ExecAsync(this DbConnection conn, DbTransaction tx, string sql, object args) =>
        conn is SqliteConnection s ? Bind(s, tx, sql, args).ExecuteNonQueryAsync() : conn.ExecuteAsync(sql, args, tx);

    public static async Task<T> ScalarAsync<T>(this DbConnection conn, DbTransaction tx, string sql, object args)
    {
        if (conn is not SqliteConnection s) return (await conn.ExecuteScalarAsync<T>(sql, args, tx))!;
        var value = await Bind(s, tx, sql, args).ExecuteScalarAsync();
        if (value is null or DBNull) return default!;
        var target = Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T);
        return (T)Convert.ChangeType(value, target, System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>At most one row, mapped by Dapper's row parser (columns by name, as everywhere else).</summary>
    public static async Task<T?> RowAsync<T>(this DbConnection conn, DbTransaction tx, string sql, object args)
    {
        if (conn is not SqliteConnection s) return await conn.QuerySingleOrDefaultAsync<T>(sql, args, tx);
        await using var reader = await Bind(s, tx, sql, args).ExecuteReaderAsync();
        if (!await reader.ReadAsync()) return default;
        // Dapper emits a new parser on every GetRowParser call, so keep one per statement.
        var parse = (Func<DbDataReader, T>)Parsers.GetOrAdd((sql, typeof(T)), _ => reader.GetRowParser<T>());
        return parse(reader);
    }

    private static SqliteCommand Bind(SqliteConnection conn, DbTransaction tx, string sql, object args)
    {
        var commands = Cache.GetOrCreateValue(conn);
        var props = Props.GetOrAdd(args.GetType(), t => t.GetProperties());
        if (!commands.TryGetValue(sql, out var cmd))
        {
            cmd = conn.CreateCommand();
            cmd.CommandText = sql;
            foreach (var p in props) cmd.Parameters.Add(new SqliteParameter("@" + p.Name, null));
            cmd.Prepare();
            commands[sql] = cmd;
        }
        cmd.Transaction = (SqliteTransaction)tx;
        for (var i = 0; i < props.Length; i++) cmd.Parameters[i].Value = props[i].GetValue(args) ?? DBNull.Value;
        return cmd;
    }
}
