using Dapper;
using Recognition.Tests.Support;
using Recognition.Web.Features.Admin;
using Recognition.Web.Features.Claims;
using Recognition.Web.Features.Recognize;
using Recognition.Web.Infrastructure.Data;
using Recognition.Web.Infrastructure.Data.Migrations;

namespace Recognition.Tests.Domain;

/// <summary>
/// The data layer's contract: budgets and caps hold under concurrency, each by itself. Like every test here it
/// runs on SQLite, and on SQL Server in that run of the suite. Each guard is tested where it alone can stop
/// the run: the other limits are set well above it.
/// </summary>
public sealed class DataContractTests : IDisposable
{
    private const string Message = "你每天下班后多留半小时带新人练习。";
    private readonly AppFactory _app = new();

    [Fact]
    public async Task Migrations_are_journaled_and_idempotent()
    {
        var runner = _app.Get<Migrator>();
        Assert.True((await runner.StatusAsync()).Current);
        Assert.Equal(0, await runner.MigrateAsync());
    }

    [Fact]
    public async Task Events_name_what_happened_and_nothing_more_and_both_dialects_relay_the_same_columns()
    {
        static string Columns(string sql) =>
            System.Text.RegularExpressions.Regex.Match(sql, @"SELECT (?:TOP \(@take\) )?(.*?) FROM events").Groups[1].Value;
        Assert.Equal(Columns(Dialects.Sqlite.SettledEventsAfter), Columns(Dialects.SqlServer.SettledEventsAfter));
        Assert.Equal("id, site_id, team_id, kind, subject_id", Columns(Dialects.Sqlite.SettledEventsAfter));
        // The table has no payload to fill: an award writes the row, and the relay reads the recognition itself.
        var w = await World.CreateAsync(_app);
        Assert.True((await _app.Get<AwardService>().AwardAsync(new AwardCommand(w.Giver, [w.Bob], w.Badges["safety_star"], null, Message, "public", 10,
            Idempotency.NewKey()), _app.Clock.UtcNow)).Ok);
        var row = (IDictionary<string, object>)(await DbProbe.QueryAsync<dynamic>(_app.Db, "SELECT * FROM events")).Single();
        Assert.DoesNotContain("payload", row.Keys);
        Assert.Equal("recognition.created", row["kind"]);
    }

    [Fact]
    public async Task Award_claim_revoke_keep_the_ledger_consistent()
    {
        var w = await World.CreateAsync(_app);
        var now = _app.Clock.UtcNow;
        var award = await _app.Get<AwardService>().AwardAsync(new AwardCommand(w.Giver, [w.Bob, w.Alice], w.Badges["safety_star"], null,
            "你发现 3 号压机的光幕支架松动，立即停机挂牌。", "public", 10, Idempotency.NewKey()), now);
        Assert.True(award.Ok, award.Error);
        var claim = await _app.Get<ClaimService>().SubmitAsync(new ClaimCommand(w.Giver, w.Rules["hazard_report"], "2 号通道地面有油渍，已放警示牌。", null, null, Idempotency.NewKey()), now);
        Assert.True((await _app.Get<ClaimService>().ApproveAsync(claim.Id!.Value, w.SupA, null, false, now)).Ok);
        Assert.True((await _app.Get<RevokeService>().RevokeAsync(award.Id!.Value, w.AdminScope, "测试撤销原因", null, now)).Ok);
        Assert.Equal(0, await DbProbe.BalanceAsync(_app.Db, w.Bob));
        Assert.Equal(10, await DbProbe.BalanceAsync(_app.Db, w.Giver));
        await DbProbe.AssertLedgerConsistentAsync(_app.Db);
        Assert.Equal("Error.AlreadyRevoked", (await _app.Get<RevokeService>().RevokeAsync(award.Id!.Value, w.AdminScope, "测试撤销原因", null, now)).Error);
    }

    [Fact]
    public async Task A_repeated_idempotency_key_under_concurrency_makes_one_recognition()
    {
        var w = await World.CreateAsync(_app);
        var awards = _app.Get<AwardService>();
        var key = Idempotency.NewKey();
        var same = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Task.Run(() => awards.AwardAsync(
            new AwardCommand(w.Giver, [w.Bob], w.Badges["mentor"], null, Message, "public", 5, key), _app.Clock.UtcNow))));
        Assert.All(same, o => Assert.True(o.Ok, o.Error));
        Assert.Single(same.Select(o => o.Id).Distinct());
        Assert.Equal(1, await DbProbe.ScalarAsync<int>(_app.Db, "SELECT COUNT(*) FROM recognitions"));
    }

    [Fact]
    public async Task The_daily_cap_alone_stops_concurrent_awards()
    {
        // Allowance 1,000 and 5 points each: only the cap of 3 a day can stop 30 parallel awards.
        await _app.SetPolicyAsync(r => (r.DailyRecognitionCap, r.MonthlyAllowance) = (3, 1000));
        var (w, results) = await AwardCrowdAsync(points: 5);
        Assert.Equal(3, results.Count(o => o.Ok));
        Assert.All(results.Where(o => !o.Ok), o => Assert.Equal("Error.DailyCap", o.Error));
        Assert.Equal(15, await SpentAsync(w.Alice));
        await DbProbe.AssertLedgerConsistentAsync(_app.Db);
    }

    [Fact]
    public async Task The_allowance_alone_stops_concurrent_awards()
    {
        // A daily cap of 100: only the allowance (70 points, 10 each) can stop 30 parallel awards.
        await _app.SetPolicyAsync(r => (r.DailyRecognitionCap, r.MonthlyAllowance) = (100, 70));
        var (w, results) = await AwardCrowdAsync(points: 10);
        Assert.Equal(7, results.Count(o => o.Ok));
        Assert.All(results.Where(o => !o.Ok), o => Assert.Equal("Error.OverAllowance", o.Error));
        Assert.Equal(70, await SpentAsync(w.Alice));
        await DbProbe.AssertLedgerConsistentAsync(_app.Db);
    }

    [Fact]
    public async Task The_CHECK_constraint_alone_keeps_spent_within_budget_when_writes_skip_the_conditional_update()
    {
        var w = await World.CreateAsync(_app);
        await _app.Db.WriteAsync((c, t) => c.ExecuteAsync("INSERT INTO allowances (employee_id, month, budget, spent) VALUES (@a, 202611, 50, 0)", new { a = w.Alice }, t));
        // Unconditional debits, as a buggy use case would write them: only the CHECK (spent <= budget) can refuse.
        var results = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => Task.Run(async () =>
        {
            try
            {
                await _app.Db.WriteAsync((c, t) => c.ExecuteAsync("UPDATE allowances SET spent = spent + 10 WHERE employee_id = @a AND month = 202611", new { a = w.Alice }, t));
                return true;
            }
            catch (System.Data.Common.DbException ex) when (ex.Message.Contains("CHECK", StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }
        })));
        Assert.Equal(5, results.Count(ok => ok));
        Assert.Equal(50, await SpentAsync(w.Alice));
    }

    private async Task<(World, Outcome[])> AwardCrowdAsync(int points)
    {
        var w = await World.CreateAsync(_app, crowd: 30);
        var awards = _app.Get<AwardService>();
        var results = await Task.WhenAll(w.Crowd.Select(r => Task.Run(() => awards.AwardAsync(
            new AwardCommand(w.Alice, [r], w.Badges["mentor"], null, Message, "public", points, Idempotency.NewKey()), _app.Clock.UtcNow))));
        return (w, results);
    }

    private Task<int> SpentAsync(long employeeId) =>
        DbProbe.ScalarAsync<int>(_app.Db, "SELECT COALESCE(SUM(spent), 0) FROM allowances WHERE employee_id = @employeeId", new { employeeId });


    public void Dispose() => _app.Dispose();
}
