using Microsoft.SqlServer.TransactSql.ScriptDom;
using Recognition.Web.Infrastructure.Data;
using Recognition.Web.Infrastructure.Data.Migrations;

namespace Recognition.Tests.Foundation;

/// <summary>
/// No SQL Server runs in CI, so every SQL Server migration and every SQL Server-only statement the code holds
/// is parsed with Microsoft's own T-SQL parser (SQL Server 2022 grammar). Pure parsing.
/// </summary>
public sealed class TSqlTests
{
    public static TheoryData<string> Migrations() => [.. ScriptMigration.All(Dialects.SqlServer).Select(m => m.Name)];

    [Theory, MemberData(nameof(Migrations))]
    public void Every_SQL_Server_migration_parses(string name)
    {
        var script = ScriptMigration.All(Dialects.SqlServer).Single(m => m.Name == name);
        Assert.Empty(Errors(script.Sql));
    }

    [Fact]
    public void Every_SQL_Server_statement_in_the_code_parses()
    {
        var statements = SqlServerStatements.All().ToList();
        Assert.True(statements.Count >= 10);
        Assert.All(statements, sql => Assert.True(Errors(sql).Count == 0, $"{sql}\n{string.Join("\n", Errors(sql))}"));
    }

    [Fact]
    public void The_compose_file_s_database_init_script_parses()
    {
        var sql = File.ReadAllText(Path.Combine(Support.AppFactory.RepoRoot(), "deploy", "sqlserver-init.sql"));
        Assert.Empty(Errors(sql));
        Assert.Contains("CREATE LOGIN recognition_app", sql);
    }

    [Theory]
    [InlineData("SELECT id FROM recognitions ORDER BY id LIMIT 5")]
    [InlineData("CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT)")]
    [InlineData("INSERT INTO audit_log (action) VALUES ('x') RETURNING id")]
    [InlineData("INSERT OR IGNORE INTO allowances (employee_id, month) VALUES (1, 202611)")]
    [InlineData("SELEC id FRM recognitions")]
    public void SQLite_only_syntax_fails_the_check(string sql) => Assert.NotEmpty(Errors(sql));

    [Fact]
    public void The_SQLite_dialect_s_statements_fail_the_check_so_it_tells_the_engines_apart()
    {
        var d = Dialects.Sqlite;
        Assert.NotEmpty(Errors(d.InsertReturningId("audit_log", "at_utc, action", "@at, @action")));
        Assert.NotEmpty(Errors(d.Page("SELECT id FROM recognitions ORDER BY id DESC")));
    }

    private static List<string> Errors(string sql)
    {
        new TSql160Parser(initialQuotedIdentifiers: true).Parse(new StringReader(sql), out var errors);
        return errors.Select(e => $"line {e.Line}: {e.Message}").ToList();
    }
}
