using System.Data.Common;
using Dapper;
using Microsoft.Data.Sqlite;
using Recognition.Tests.Support;
using Recognition.Web.Infrastructure.Data;

namespace Recognition.Tests.Foundation;

public sealed class DataLayerTests : IDisposable
{
    private readonly AppFactory _app = new();

    [Fact]
    public async Task Prepared_statements_bind_by_name_when_two_call_sites_order_their_parameters_differently()
    {
        const string sql = "INSERT INTO audit_log (at_utc, action, target, detail) VALUES (@at, @action, @target, @detail)";
        var at = new DateTime(2026, 11, 18, 2, 0, 0, DateTimeKind.Utc);
        await _app.Db.WriteAsync(async (c, t) =>
        {
            await c.ExecAsync(t, sql, new { at, action = "first.action", target = "first-target", detail = "first-detail" });
            await c.ExecAsync(t, sql, new { detail = "second-detail", target = "second-target", at, action = "second.action" });
            await c.ExecAsync(t, sql, new { target = "third-target", action = "third.action", at, detail = (string?)null });
        });
        var rows = await DbProbe.QueryAsync<(string Action, string Target, string? Detail)>(_app.Db,
            "SELECT action, target, detail FROM audit_log WHERE action LIKE '%.action' ORDER BY id");
        Assert.Equal([("first.action", "first-target", "first-detail"), ("second.action", "second-target", "second-detail"), ("third.action", "third-target", null)], rows);
    }

    [Fact]
    public async Task The_nothing_was_written_fingerprint_covers_every_table_of_the_schema_including_new_ones()
    {
        var tables = await DbProbe.FingerprintTablesAsync(_app.Db);
        Assert.Contains("person_week_points", tables);
        Assert.Contains("person_month_points", tables);
        Assert.Contains("audit_log", tables);
        Assert.DoesNotContain("schema_version", tables);

        await _app.Db.WriteAsync((c, t) => c.ExecuteAsync("CREATE TABLE probe_extra (id INT NOT NULL)", transaction: t));
        try
        {
            var before = await DbProbe.FingerprintAsync(_app.Db);
            await _app.Db.WriteAsync((c, t) => c.ExecuteAsync("INSERT INTO probe_extra (id) VALUES (1)", transaction: t));
            Assert.NotEqual(before, await DbProbe.FingerprintAsync(_app.Db));
        }
        finally
        {
            await _app.Db.WriteAsync((c, t) => c.ExecuteAsync("DROP TABLE probe_extra", transaction: t));
        }
    }

    /// <summary>
    /// Microsoft.Data.Sqlite 10.0.11 could hand one pooled native connection to two requests opening at the same moment
    /// (dotnet/efcore#39008): each then runs its statements on the other's connection, inside the other's transaction.
    /// 10.0.15 has the fix; this fails within a few dozen rounds on 10.0.11. Each round starts from an empty pool, as
    /// after a restore or a pool prune, and opens 16 connections through the app's own Db at one instant.
    /// </summary>
    [SqliteFact]
    public async Task Requests_opening_at_the_same_moment_never_share_one_sqlite_connection()
    {
        const int workers = 16, rounds = 600;
        var shared = 0;
        for (var round = 0; round < rounds; round++)
        {
            await using (var first = await _app.Db.OpenAsync()) SqliteConnection.ClearPool((SqliteConnection)first);
            using var barrier = new Barrier(workers);
            var opened = new DbConnection[workers];
            var threads = Enumerable.Range(0, workers).Select(i => new Thread(() =>
            {
                barrier.SignalAndWait();
                opened[i] = _app.Db.OpenAsync().GetAwaiter().GetResult();
            })).ToList();
            threads.ForEach(t => t.Start());
            threads.ForEach(t => t.Join());
            if (opened.Select(c => ((SqliteConnection)c).Handle!.DangerousGetHandle()).Distinct().Count() != workers) shared++;
            foreach (var c in opened) await c.DisposeAsync();
        }
        Assert.Equal(0, shared);
    }

    public void Dispose() => _app.Dispose();
}
