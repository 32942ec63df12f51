using Recognition.Tests.Support;
using Recognition.Web.Features.Admin;
using Recognition.Web.Features.Claims;
using Recognition.Web.Features.Recognize;
using Recognition.Web.Infrastructure.Data;

namespace Recognition.Tests.Domain;

public sealed class LedgerInvariantTests : IAsyncLifetime
{
    private readonly AppFactory _app = new();
    private World _w = null!;

    public async Task InitializeAsync()
    {
        _w = await World.CreateAsync(_app, crowd: 10);
        await _app.SetPolicyAsync(r => r.DailyRecognitionCap = 50);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task After_a_random_mix_of_awards_claims_approvals_and_revocations_the_ledger_equals_balances_and_buckets(int seed)
    {
        var rnd = new Random(seed);
        var awards = _app.Get<AwardService>();
        var claims = _app.Get<ClaimService>();
        var revoke = _app.Get<RevokeService>();
        var people = new List<long> { _w.Giver, _w.Alice, _w.Bob, _w.Carol, _w.Dave, _w.SupA, _w.SupB };
        people.AddRange(_w.Crowd);
        var recognitions = new List<long>();
        var pending = new List<long>();
        var approved = new List<long>();
        var badges = new[] { "cross_team_star", "customer_guardian", "safety_star", "mentor", "bright_idea", "outstanding" };
        var rules = new[] { "hazard_report", "near_miss", "mentoring", "knowledge_share", "suggestion" };
        var (ok, refused) = (0, 0);
        for (var step = 0; step < 400; step++)
        {
            _app.Clock.Advance(TimeSpan.FromMinutes(rnd.Next(5, 600))); // crosses days and the month end
            var now = _app.Clock.UtcNow;
            Recognition.Web.Domain.Outcome o;
            switch (rnd.Next(10))
            {
                case < 5:
                    var giver = people[rnd.Next(people.Count)];
                    var to = Enumerable.Range(0, rnd.Next(1, 3)).Select(_ => people[rnd.Next(people.Count)]).Distinct().ToList();
                    o = await awards.AwardAsync(new AwardCommand(giver, to, _w.Badges[badges[rnd.Next(badges.Length)]], null,
                        "你把交接单重新设计了，换班时缺料一目了然。", "public", new[] { 0, 5, 10, 20, 50 }[rnd.Next(5)], Idempotency.NewKey()), now);
                    if (o.Ok) recognitions.Add(o.Id!.Value);
                    break;
                case < 7:
                    o = await claims.SubmitAsync(new ClaimCommand(people[rnd.Next(people.Count)], _w.Rules[rules[rnd.Next(rules.Length)]],
                        "2 号通道地面有油渍，已放警示牌。", null, null, Idempotency.NewKey()), now);
                    if (o.Ok) pending.Add(o.Id!.Value);
                    break;
                case 7 when pending.Count > 0:
                    var c = pending[rnd.Next(pending.Count)];
                    o = await claims.ApproveAsync(c, _w.Admin, _w.AdminScope, rnd.Next(3) == 0, now);
                    if (o.Ok) { pending.Remove(c); approved.Add(c); }
                    break;
                case 8 when approved.Count > 0 || pending.Count > 0:
                    var list = approved.Count > 0 && rnd.Next(2) == 0 ? approved : pending;
                    if (list.Count == 0) continue;
                    var r = list[rnd.Next(list.Count)];
                    o = await claims.RejectAsync(r, _w.Admin, _w.AdminScope, "不符合规则", now);
                    list.Remove(r);
                    break;
                case 9 when recognitions.Count > 0:
                    o = await revoke.RevokeAsync(recognitions[rnd.Next(recognitions.Count)], _w.AdminScope, "测试撤销原因", null, now);
                    break;
                default:
                    continue;
            }
            if (o.Ok) ok++; else refused++;
        }
        Assert.True(ok > 150, $"only {ok} operations succeeded ({refused} refused)");
        await DbProbe.AssertLedgerConsistentAsync(_app.Db);
        Assert.True(await DbProbe.ScalarAsync<int>(_app.Db, "SELECT COUNT(*) FROM points_ledger WHERE kind = 'reversal'") > 0);
        // Nobody ever spends more than their budget.
        Assert.Equal(0, await DbProbe.ScalarAsync<int>(_app.Db, "SELECT COUNT(*) FROM allowances WHERE spent > budget"));
    }

    public Task DisposeAsync()
    {
        _app.Dispose();
        return Task.CompletedTask;
    }
}
