using Microsoft.Data.SqlClient;
using Recognition.Tests.Support;
using Recognition.Web.Features.Admin;
using Recognition.Web.Features.Claims;
using Recognition.Web.Features.Recognize;
using Recognition.Web.Infrastructure.Data;

namespace Recognition.Tests.Foundation;

/// <summary>
/// The same data-layer contract on both engines: SQLite always; SQL Server when RECOGNITION_TEST_SQLSERVER
/// holds a connection string (each run creates and drops its own database).
/// </summary>
public static class DataContract
{
    public static async Task Migrations_are_journaled_and_idempotent(AppFactory app)
    {
        var runner = app.Get<MigrationRunner>();
        Assert.True((await runner.StatusAsync()).Current);
        Assert.Equal(0, await runner.MigrateAsync());
    }

    public static async Task Award_claim_revoke_keep_the_ledger_consistent(AppFactory app)
    {
        var w = await World.CreateAsync(app);
        var now = app.Clock.UtcNow;
        var award = await app.Get<AwardService>().AwardAsync(new AwardCommand(w.Giver, [w.Bob, w.Alice], w.Badges["safety_star"], null,
            "你发现 3 号压机的光幕支架松动，立即停机挂牌。", "public", 10, Idempotency.NewKey()), now);
        Assert.True(award.Ok, award.Error);
        var claim = await app.Get<ClaimService>().SubmitAsync(new ClaimCommand(w.Giver, w.Rules["hazard_report"], "2 号通道地面有油渍，已放警示牌。", null, null, Idempotency.NewKey()), now);
        Assert.True((await app.Get<ClaimService>().ApproveAsync(claim.Id!.Value, w.SupA, false, false, now)).Ok);
        Assert.True((await app.Get<RevokeService>().RevokeAsync(award.Id!.Value, w.Admin, "测试撤销原因", null, now)).Ok);
        Assert.Equal(0, await DbProbe.BalanceAsync(app.Db, w.Bob));
        Assert.Equal(10, await DbProbe.BalanceAsync(app.Db, w.Giver));
        await DbProbe.AssertLedgerConsistentAsync(app.Db);
        Assert.Equal("Error.AlreadyRevoked", (await app.Get<RevokeService>().RevokeAsync(award.Id!.Value, w.Admin, "测试撤销原因", null, now)).Error);
    }

    public static async Task Concurrent_duplicates_and_budgets_hold(AppFactory app)
    {
        var w = await World.CreateAsync(app, crowd: 30);
        var awards = app.Get<AwardService>();
        var key = Idempotency.NewKey();
        var same = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Task.Run(() => awards.AwardAsync(
            new AwardCommand(w.Giver, [w.Bob], w.Badges["mentor"], null, "你每天下班后多留半小时带新人练习。", "public", 5, key), app.Clock.UtcNow))));
        Assert.Single(same.Select(o => o.Id).Distinct());
        var spread = await Task.WhenAll(w.Crowd.Select(r => Task.Run(() => awards.AwardAsync(
            new AwardCommand(w.Alice, [r], w.Badges["mentor"], null, "你每天下班后多留半小时带新人练习。", "public", 10, Idempotency.NewKey()), app.Clock.UtcNow))));
        Assert.Equal(10, spread.Count(o => o.Ok)); // a daily cap of 10 and an allowance of 100 / 10 agree here
        Assert.Equal(100, await DbProbe.ScalarAsync<int>(app.Db, "SELECT spent FROM allowances WHERE employee_id = @a", new { a = w.Alice }));
        await DbProbe.AssertLedgerConsistentAsync(app.Db);
    }
}

public sealed class SqliteDataContractTests : IDisposable
{
    private readonly AppFactory _app = new();

    [Fact] public Task Migrations_are_journaled_and_idempotent() => DataContract.Migrations_are_journaled_and_idempotent(_app);
    [Fact] public Task Award_claim_revoke_keep_the_ledger_consistent() => DataContract.Award_claim_revoke_keep_the_ledger_consistent(_app);
    [Fact] public Task Concurrent_duplicates_and_budgets_hold() => DataContract.Concurrent_duplicates_and_budgets_hold(_app);

    public void Dispose() => _app.Dispose();
}

public sealed class SqlServerDataContractTests : IDisposable
{
    private readonly Lazy<(AppFactory App, string Master, string Name)> _db = new(Create);

    private static (AppFactory, string, string) Create()
    {
        var baseCs = Environment.GetEnvironmentVariable(SqlServerFactAttribute.Variable)!;
        var name = "recognition_test_" + Guid.NewGuid().ToString("N")[..12];
        var master = new SqlConnectionStringBuilder(baseCs) { InitialCatalog = "master" }.ConnectionString;
        using (var c = new SqlConnection(master))
        {
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = $"CREATE DATABASE {name}";
            cmd.ExecuteNonQuery();
        }
        var cs = new SqlConnectionStringBuilder(baseCs) { InitialCatalog = name }.ConnectionString;
        return (new AppFactory(sqlServer: cs), master, name);
    }

    [SqlServerFact] public Task Migrations_are_journaled_and_idempotent() => DataContract.Migrations_are_journaled_and_idempotent(_db.Value.App);
    [SqlServerFact] public Task Award_claim_revoke_keep_the_ledger_consistent() => DataContract.Award_claim_revoke_keep_the_ledger_consistent(_db.Value.App);
    [SqlServerFact] public Task Concurrent_duplicates_and_budgets_hold() => DataContract.Concurrent_duplicates_and_budgets_hold(_db.Value.App);

    public void Dispose()
    {
        if (!_db.IsValueCreated) return;
        var (app, master, name) = _db.Value;
        app.Dispose();
        SqlConnection.ClearAllPools();
        using var c = new SqlConnection(master);
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = $"ALTER DATABASE {name} SET SINGLE_USER WITH ROLLBACK IMMEDIATE; DROP DATABASE {name}";
        cmd.ExecuteNonQuery();
    }
}
