using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;

namespace Recognition.Web.Infrastructure.Data;

/// <summary>The few places where SQLite and SQL Server SQL differ. Features call these instead of branching.</summary>
public interface ISqlDialect
{
    string Name { get; }

    /// <summary>An INSERT that yields the new row's id as a single scalar.</summary>
    string InsertReturningId(string table, string columns, string values);

    /// <summary>Appends paging to a query that already ends with ORDER BY. Parameters @skip and @take.</summary>
    string Page(string orderedSelect);

    /// <summary>Adds @column to each counter column, creating the row when missing. Atomic on both engines.</summary>
    string UpsertAdd(string table, string[] keys, params string[] columns);

    /// <summary>
    /// Adds @column to a counter only while the result stays within <paramref name="capSql"/> (an SQL
    /// expression); creates the row when missing, under the same cap. One row affected means it fitted.
    /// </summary>
    string UpsertAddCapped(string table, string[] keys, string column, string capSql);

    /// <summary>Inserts a row unless one with the same key exists.</summary>
    string InsertIfMissing(string table, string[] keys, string[] columns);

    bool IsUniqueViolation(Exception ex);
}

public sealed class SqliteDialect : ISqlDialect
{
    public string Name => "sqlite";

    public string InsertReturningId(string table, string columns, string values) =>
        $"INSERT INTO {table} ({columns}) VALUES ({values}) RETURNING id";

    public string Page(string orderedSelect) => orderedSelect + " LIMIT @take OFFSET @skip";

    public string UpsertAdd(string table, string[] keys, params string[] columns) =>
        $"INSERT INTO {table} ({string.Join(", ", keys.Concat(columns))}) VALUES ({string.Join(", ", keys.Concat(columns).Select(k => "@" + k))}) " +
        $"ON CONFLICT ({string.Join(", ", keys)}) DO UPDATE SET {string.Join(", ", columns.Select(c => $"{c} = {c} + excluded.{c}"))}";

    public string UpsertAddCapped(string table, string[] keys, string column, string capSql) =>
        $"INSERT INTO {table} ({string.Join(", ", keys)}, {column}) SELECT {string.Join(", ", keys.Select(k => "@" + k))}, @{column} WHERE @{column} <= {capSql} " +
        $"ON CONFLICT ({string.Join(", ", keys)}) DO UPDATE SET {column} = {column} + excluded.{column} WHERE {column} + excluded.{column} <= {capSql}";

    public string InsertIfMissing(string table, string[] keys, string[] columns) =>
        $"INSERT INTO {table} ({string.Join(", ", columns)}) VALUES ({string.Join(", ", columns.Select(c => "@" + c))}) " +
        $"ON CONFLICT ({string.Join(", ", keys)}) DO NOTHING";

    public bool IsUniqueViolation(Exception ex) =>
        ex is SqliteException { SqliteErrorCode: 19, SqliteExtendedErrorCode: 2067 or 1555 };
}

public sealed class SqlServerDialect : ISqlDialect
{
    public string Name => "sqlserver";

    public string InsertReturningId(string table, string columns, string values) =>
        $"INSERT INTO {table} ({columns}) OUTPUT INSERTED.id VALUES ({values})";

    public string Page(string orderedSelect) => orderedSelect + " OFFSET @skip ROWS FETCH NEXT @take ROWS ONLY";

    // HOLDLOCK makes MERGE take a key-range lock, so two first writers cannot both insert.
    public string UpsertAdd(string table, string[] keys, params string[] columns) =>
        $"MERGE {table} WITH (HOLDLOCK) AS t USING (SELECT {string.Join(", ", keys.Select(k => $"@{k} AS {k}"))}) AS s " +
        $"ON {string.Join(" AND ", keys.Select(k => $"t.{k} = s.{k}"))} " +
        $"WHEN MATCHED THEN UPDATE SET {string.Join(", ", columns.Select(c => $"{c} = t.{c} + @{c}"))} " +
        $"WHEN NOT MATCHED THEN INSERT ({string.Join(", ", keys.Concat(columns))}) VALUES ({string.Join(", ", keys.Concat(columns).Select(k => "@" + k))});";

    public string UpsertAddCapped(string table, string[] keys, string column, string capSql) =>
        $"MERGE {table} WITH (HOLDLOCK) AS t USING (SELECT {string.Join(", ", keys.Select(k => $"@{k} AS {k}"))}) AS s " +
        $"ON {string.Join(" AND ", keys.Select(k => $"t.{k} = s.{k}"))} " +
        $"WHEN MATCHED AND t.{column} + @{column} <= {capSql} THEN UPDATE SET {column} = t.{column} + @{column} " +
        $"WHEN NOT MATCHED AND @{column} <= {capSql} THEN INSERT ({string.Join(", ", keys)}, {column}) VALUES ({string.Join(", ", keys.Select(k => "@" + k))}, @{column});";

    public string InsertIfMissing(string table, string[] keys, string[] columns) =>
        $"MERGE {table} WITH (HOLDLOCK) AS t USING (SELECT {string.Join(", ", keys.Select(k => $"@{k} AS {k}"))}) AS s " +
        $"ON {string.Join(" AND ", keys.Select(k => $"t.{k} = s.{k}"))} " +
        $"WHEN NOT MATCHED THEN INSERT ({string.Join(", ", columns)}) VALUES ({string.Join(", ", columns.Select(c => "@" + c))});";

    public bool IsUniqueViolation(Exception ex) => ex is SqlException { Number: 2627 or 2601 };
}
