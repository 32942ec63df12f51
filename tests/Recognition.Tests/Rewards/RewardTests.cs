using System.Net;
using System.Text;
using Dapper;
using Recognition.Tests.Support;
using Recognition.Web.Features.Admin;
using Recognition.Web.Features.Recognize;
using Recognition.Web.Features.Rewards;
using Recognition.Web.Infrastructure.Data;

namespace Recognition.Tests.Rewards;

/// <summary>Rewards through the real services, pages and database: redemption, fulfilment, refunds, limits, reports, expiry.</summary>
public sealed class RewardTests : IAsyncLifetime
{
    private readonly AppFactory _app = new();
    private World _w = null!;
    private RewardService _rewards = null!;

    public async Task InitializeAsync()
    {
        _w = await World.CreateAsync(_app, crowd: 60);
        _rewards = _app.Get<RewardService>();
    }

    public Task DisposeAsync() => _app.DisposeAsync().AsTask();

    private DateTime Now => _app.Clock.UtcNow;

    /// <summary>Earned points for a person, posted through the ledger as an approved claim would be.</summary>
    internal static Task GrantAsync(AppFactory app, long employeeId, int points, int day = 20261118) =>
        app.Db.WriteAsync(async (c, t) =>
        {
            var (site, team) = await c.QuerySingleAsync<(long, long?)>("SELECT site_id, team_id FROM employees WHERE id = @employeeId", new { employeeId }, t);
            await PointsLedger.PostAsync(c, t, app.Db.Dialect, new LedgerEntry(employeeId, team, site, points, "claim", "grant", employeeId, day, app.Clock.UtcNow));
        });

    internal static async Task<long> ItemAsync(AppFactory app, World w, int cost, int? stock, int? limit = null, string period = "month", bool approval = true, long? site = null,
        DateOnly? from = null, DateOnly? to = null, bool active = true)
    {
        var siteId = site ?? w.SiteId;
        var o = await app.Get<RewardCatalogue>().SaveAsync(new RewardForm(null, 0, siteId, "physical", "保温杯", "Thermos mug", "不锈钢保温杯", "Steel mug", cost,
            stock is null, stock ?? 0, limit, period, approval, from, to, active, null), new AdminScope(w.Admin, siteId, Org: true), app.Clock.UtcNow);
        Assert.True(o.Ok, o.Error);
        return o.Id!.Value;
    }

    private Task<Outcome> Redeem(long who, long item, int cost, int qty = 1, string? key = null) =>
        _rewards.RedeemAsync(new RedeemCommand(who, item, qty, cost, key ?? Idempotency.NewKey()), Now);

    private AdminScope Keeper(long id) => new(id, _w.SiteId, Org: false);

    /// <summary>What the leaderboards hold for a person: day, week and month buckets, and all-time earned.</summary>
    private async Task<string> BoardsAsync(long a)
    {
        var r = (await DbProbe.QueryAsync<(long? Day, long? Week, long? Month, long? Earned)>(_app.Db,
            @"SELECT (SELECT SUM(points) FROM person_day_points WHERE employee_id = @a), (SELECT SUM(points) FROM person_week_points WHERE employee_id = @a),
                     (SELECT SUM(points) FROM person_month_points WHERE employee_id = @a), (SELECT earned FROM point_balances WHERE employee_id = @a)", new { a })).Single();
        return $"{r.Day}/{r.Week}/{r.Month}/{r.Earned}";
    }

    [Fact]
    public async Task Fifty_concurrent_redemptions_of_three_in_stock_make_exactly_three_orders()
    {
        var item = await ItemAsync(_app, _w, cost: 10, stock: 3);
        foreach (var p in _w.Crowd.Take(50)) await GrantAsync(_app, p, 10);
        var outcomes = await Task.WhenAll(_w.Crowd.Take(50).Select(p => Task.Run(() => Redeem(p, item, 10))));
        Assert.Equal(3, outcomes.Count(o => o.Ok));
        Assert.All(outcomes.Where(o => !o.Ok), o => Assert.Equal("Rewards.OutOfStock", o.Error));
        Assert.Equal(3, await DbProbe.ScalarAsync<int>(_app.Db, "SELECT COUNT(*) FROM reward_orders"));
        Assert.Equal(0, await DbProbe.ScalarAsync<int>(_app.Db, "SELECT stock FROM rewards WHERE id = @item", new { item }));
        Assert.Equal(47 * 10, await DbProbe.ScalarAsync<int>(_app.Db, "SELECT SUM(balance) FROM point_balances WHERE employee_id IN @ids", new { ids = _w.Crowd.Take(50) }));
        await DbProbe.AssertLedgerConsistentAsync(_app.Db);
    }

    [Fact]
    public async Task One_person_s_twenty_concurrent_redemptions_never_take_the_balance_below_zero()
    {
        var item = await ItemAsync(_app, _w, cost: 15, stock: null);
        await GrantAsync(_app, _w.Alice, 100);
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => Redeem(_w.Alice, item, 15))));
        Assert.Equal(6, outcomes.Count(o => o.Ok));
        Assert.All(outcomes.Where(o => !o.Ok), o => Assert.Equal("Rewards.NotEnoughPoints", o.Error));
        Assert.Equal(10, await DbProbe.BalanceAsync(_app.Db, _w.Alice));
        await DbProbe.AssertLedgerConsistentAsync(_app.Db);
    }

    [Fact]
    public async Task A_double_tap_or_a_retry_makes_one_order()
    {
        var item = await ItemAsync(_app, _w, cost: 20, stock: 5);
        await GrantAsync(_app, _w.Alice, 100);
        var key = Idempotency.NewKey();
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => Redeem(_w.Alice, item, 20, key: key))));
        Assert.All(outcomes, o => Assert.True(o.Ok));
        Assert.Single(outcomes.Select(o => o.Id).Distinct());
        Assert.Equal(1, await DbProbe.ScalarAsync<int>(_app.Db, "SELECT COUNT(*) FROM reward_orders"));
        Assert.Equal(80, await DbProbe.BalanceAsync(_app.Db, _w.Alice));
        Assert.Equal(4, await DbProbe.ScalarAsync<int>(_app.Db, "SELECT stock FROM rewards"));
    }

    [Fact]
    public async Task Redemptions_and_refunds_never_move_leaderboards_and_a_spent_recognition_revoked_stops_the_balance_at_zero()
    {
        var award = await _app.Get<AwardService>().AwardAsync(new AwardCommand(_w.Giver, [_w.Alice], _w.Badges["mentor"], null,
            "你耐心教我操作新设备，我现在可以独立上岗了。", "public", 20, Idempotency.NewKey()), Now);
        Assert.True(award.Ok, award.Error);
        var before = await BoardsAsync(_w.Alice);
        Assert.Equal("20/20/20/20", before);

        var item = await ItemAsync(_app, _w, cost: 15, stock: 2);
        var order = await Redeem(_w.Alice, item, 15);
        Assert.True(order.Ok, order.Error);
        Assert.Equal(5, await DbProbe.BalanceAsync(_app.Db, _w.Alice));
        Assert.Equal(before, await BoardsAsync(_w.Alice));

        // Declined: a reversing entry refunds the balance, the stock comes back, leaderboards still don't move.
        Assert.True((await _rewards.DeclineAsync(order.Id!.Value, _w.AdminScope, "本月库存调整", Now)).Ok);
        Assert.Equal(20, await DbProbe.BalanceAsync(_app.Db, _w.Alice));
        Assert.Equal(2, await DbProbe.ScalarAsync<int>(_app.Db, "SELECT stock FROM rewards"));
        Assert.Equal(before, await BoardsAsync(_w.Alice));

        // Spend again, then the recognition is revoked: the 15 already spent are written off (a visible entry), the balance stops at 0,
        // and the earned points leave the leaderboards.
        Assert.True((await Redeem(_w.Alice, item, 15)).Ok);
        Assert.True((await _app.Get<RevokeService>().RevokeAsync(award.Id!.Value, _w.AdminScope, "误操作，撤回", null, Now)).Ok);
        Assert.Equal(0, await DbProbe.BalanceAsync(_app.Db, _w.Alice));
        Assert.Equal(15, await DbProbe.ScalarAsync<int>(_app.Db, "SELECT points FROM points_ledger WHERE employee_id = @a AND source_type = 'writeoff'", new { a = _w.Alice }));
        Assert.Equal("0/0/0/0", await BoardsAsync(_w.Alice));
        await DbProbe.AssertLedgerConsistentAsync(_app.Db);
    }

    [Fact]
    public async Task Bad_input_gets_a_clear_error_and_writes_nothing()
    {
        await _w.AddSecondSiteAsync(_app);
        await GrantAsync(_app, _w.Alice, 50);
        var item = await ItemAsync(_app, _w, cost: 20, stock: 5, limit: 1);
        var off = await ItemAsync(_app, _w, cost: 5, stock: 5, active: false);
        var later = await ItemAsync(_app, _w, cost: 5, stock: 5, from: new DateOnly(2027, 1, 1));
        var over = await ItemAsync(_app, _w, cost: 60, stock: 5);
        var other = await ItemAsync(_app, _w, cost: 5, stock: 5, site: _w.SiteB);
        Assert.True((await Redeem(_w.Alice, item, 20)).Ok);
        var before = await DbProbe.FingerprintAsync(_app.Db);

        Assert.Equal("Rewards.NotEnoughPoints", (await Redeem(_w.Alice, over, 60)).Error);
        Assert.Equal("Rewards.NotAvailable", (await Redeem(_w.Alice, off, 5)).Error);
        Assert.Equal("Rewards.NotAvailable", (await Redeem(_w.Alice, later, 5)).Error);
        Assert.Equal("Rewards.LimitMonth", (await Redeem(_w.Alice, item, 20)).Error);
        Assert.Equal("Rewards.CostChanged", (await Redeem(_w.Alice, over, 1)).Error);
        Assert.Equal("Rewards.BadQuantity", (await Redeem(_w.Alice, off, 5, qty: 0)).Error);
        Assert.Equal("Rewards.BadQuantity", (await Redeem(_w.Alice, off, 5, qty: -3)).Error);
        Assert.Equal("Rewards.BadQuantity", (await Redeem(_w.Alice, off, 5, qty: 11)).Error);
        Assert.Equal("Rewards.UnknownItem", (await Redeem(_w.Alice, other, 5)).Error);
        Assert.Equal("Rewards.UnknownItem", (await Redeem(_w.Alice, 987654, 5)).Error);
        Assert.Equal("Error.FormExpired", (await Redeem(_w.Alice, item, 20, key: "x")).Error);
        Assert.Equal(before, await DbProbe.FingerprintAsync(_app.Db));

        // Through the page: a tampered cost is refused in the reader's language.
        var alice = await Session.SignInAsync(_app, "E2", acceptLanguage: "en-US");
        var admin = await Session.SignInAsync(_app, "A1");
        before = await DbProbe.FingerprintAsync(_app.Db); // signing in writes its own audit rows
        var res = await alice.PostFormAsync("/Rewards?handler=Redeem", new() { ["rewardId"] = over.ToString(), ["cost"] = "1", ["quantity"] = "1", ["key"] = Idempotency.NewKey() }, formPage: "/Rewards");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, res.StatusCode);
        Assert.Equal("This reward now costs 60 points; please check and redeem again.", (await Session.Doc(res)).QuerySelector("#rewards-error")!.TextContent);
        Assert.Equal(before, await DbProbe.FingerprintAsync(_app.Db));

        // The catalogue: a 10 MB photo, hostile text, a negative cost.
        var big = new byte[10 * 1024 * 1024];
        var photo = await admin.PostFileAsync("/Admin/Rewards/Item", "/Admin/Rewards/Item", "Photo", "big.jpg", big,
            new() { ["NameZh"] = "雨伞", ["NameEn"] = "Umbrella", ["Category"] = "physical", ["Cost"] = "30", ["StockChange"] = "5", ["Active"] = "true" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, photo.StatusCode);
        Assert.Contains("2 MB", (await Session.Doc(photo)).QuerySelector("#item-error")!.TextContent);
        var cost = await admin.PostFormAsync("/Admin/Rewards/Item", new() { ["NameZh"] = "雨伞", ["NameEn"] = "Umbrella", ["Category"] = "physical", ["Cost"] = "-5", ["StockChange"] = "5" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, cost.StatusCode);
        var kind = await admin.PostFormAsync("/Admin/Rewards/Item", new() { ["NameZh"] = "雨伞", ["NameEn"] = "Umbrella", ["Category"] = "car", ["Cost"] = "5", ["StockChange"] = "5" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, kind.StatusCode);
        Assert.Equal(before, await DbProbe.FingerprintAsync(_app.Db));
        var hostile = await admin.PostFormAsync("/Admin/Rewards/Item", new()
        {
            ["NameZh"] = "伞", ["NameEn"] = "<script>alert(1)</script>\u202eUmbrella", ["DescriptionEn"] = "<img src=x onerror=alert(1)>", ["Category"] = "physical", ["Cost"] = "5", ["StockChange"] = "5", ["Active"] = "true",
        });
        Assert.Equal(HttpStatusCode.Redirect, hostile.StatusCode);
        var shop = await alice.Client.GetStringAsync("/Rewards");
        Assert.DoesNotContain("<script>alert(1)", shop);
        Assert.DoesNotContain("<img src=x", shop);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;Umbrella", shop); // shown as text, the bidi override removed
    }

    [Fact]
    public async Task A_keeper_approves_twice_above_the_threshold_marks_ready_and_hands_over_by_pickup_code()
    {
        await _w.AddSecondSiteAsync(_app);
        await _app.Db.WriteAsync((c, t) => c.ExecuteAsync("UPDATE employees SET roles = roles | 16 WHERE id IN @ids", new { ids = new[] { _w.Carol, _w.Dave } }, t));
        var settings = await _app.Get<RewardCatalogue>().SaveSettingsAsync(new SettingsForm(_w.SiteId, "0.1", "CNY", 100, null), _w.AdminScope, Now);
        Assert.True(settings.Ok, settings.Error);
        var item = await ItemAsync(_app, _w, cost: 120, stock: 2);
        await GrantAsync(_app, _w.Alice, 300);

        // Alice redeems from the browser.
        var alice = await Session.SignInAsync(_app, "E2", acceptLanguage: "en-US");
        var shop = await alice.GetDocAsync("/Rewards");
        var form = shop.QuerySelector($"#reward-{item} form")!;
        var res = await alice.PostFormAsync("/Rewards?handler=Redeem", new()
        {
            ["rewardId"] = item.ToString(), ["cost"] = "120", ["quantity"] = "1", ["key"] = form.QuerySelector("input[name=key]")!.GetAttribute("value")!,
        }, formPage: "/Rewards");
        Assert.Equal(HttpStatusCode.Redirect, res.StatusCode);
        var id = await DbProbe.ScalarAsync<long>(_app.Db, "SELECT id FROM reward_orders");
        Assert.Equal(180, await DbProbe.BalanceAsync(_app.Db, _w.Alice));
        Assert.Equal("pending", (await alice.GetDocAsync("/Rewards")).QuerySelector($"#order-{id}")!.GetAttribute("data-status"));

        // An employee cannot reach the queue; the keeper can; the second approval must be someone else.
        Assert.Equal(HttpStatusCode.Forbidden, (await alice.Client.GetAsync("/Rewards/Queue")).StatusCode);
        var carol = await Session.SignInAsync(_app, "E4");
        Assert.NotNull((await carol.GetDocAsync("/Rewards/Queue")).QuerySelector($"#order-{id}"));
        var first = await carol.PostFormAsync($"/Rewards/Queue?handler=Approve&id={id}", new(), formPage: "/Rewards/Queue");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("pending", await DbProbe.ScalarAsync<string>(_app.Db, "SELECT status FROM reward_orders"));
        var again = await carol.PostFormAsync($"/Rewards/Queue?handler=Approve&id={id}", new(), formPage: "/Rewards/Queue");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, again.StatusCode);
        Assert.Equal("The second approval must come from someone else.", (await Session.Doc(again)).QuerySelector("#queue-error")!.TextContent);
        Assert.Equal("Rewards.UnknownOrder", (await _rewards.ApproveAsync(id, new AdminScope(_w.AdminB, _w.SiteB, false), Now)).Error);
        Assert.True((await _rewards.ApproveAsync(id, Keeper(_w.Dave), Now)).Ok);
        Assert.Equal("approved", await DbProbe.ScalarAsync<string>(_app.Db, "SELECT status FROM reward_orders"));

        // Ready: a pickup code, a notification and a slip with the code as QR.
        var ready = await carol.PostFormAsync($"/Rewards/Queue?handler=Ready&id={id}", new(), formPage: "/Rewards/Queue");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var code = await DbProbe.ScalarAsync<string>(_app.Db, "SELECT pickup_code FROM reward_orders");
        Assert.Matches("^[A-Z2-9]{10}$", code);
        Assert.Equal(1, await DbProbe.ScalarAsync<int>(_app.Db, "SELECT COUNT(*) FROM notifications WHERE employee_id = @a AND kind = 'order.ready'", new { a = _w.Alice }));
        var slip = await alice.GetDocAsync($"/Rewards/Slip?id={id}");
        Assert.Equal(Recognition.Web.Infrastructure.ReadableCodes.Format(code), slip.QuerySelector("#slip-code")!.TextContent);
        Assert.NotNull(slip.QuerySelector(".slip-qr svg path"));
        var bob = await Session.SignInAsync(_app, "E3");
        Assert.Equal(HttpStatusCode.NotFound, (await bob.Client.GetAsync($"/Rewards/Slip?id={id}")).StatusCode);

        // Another site's keeper cannot use the code; a typo is refused; the real code hands over once.
        var before = await DbProbe.FingerprintAsync(_app.Db);
        Assert.Equal("Rewards.UnknownCode", (await _rewards.HandOverAsync(code, new AdminScope(_w.AdminB, _w.SiteB, false), Now)).Error);
        Assert.Equal("Rewards.BadCode", (await _rewards.HandOverAsync("12345", Keeper(_w.Carol), Now)).Error);
        Assert.Equal(before, await DbProbe.FingerprintAsync(_app.Db));
        var scanned = "RCG:PICKUP:" + code.ToLowerInvariant();
        var hand = await carol.PostFormAsync("/Rewards/Queue?handler=HandOver", new() { ["code"] = scanned }, formPage: "/Rewards/Queue");
        Assert.Equal(HttpStatusCode.OK, hand.StatusCode);
        Assert.Equal("handed_over", await DbProbe.ScalarAsync<string>(_app.Db, "SELECT status FROM reward_orders"));
        var twice = await carol.PostFormAsync("/Rewards/Queue?handler=HandOver", new() { ["code"] = Recognition.Web.Infrastructure.ReadableCodes.Format(code) }, formPage: "/Rewards/Queue");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, twice.StatusCode);
        Assert.Equal("That pickup code has already been used.", (await Session.Doc(twice)).QuerySelector("#queue-error")!.TextContent);
        // Handed over cannot be declined or cancelled (the points stay spent).
        Assert.Equal("Rewards.AlreadyClosed", (await _rewards.DeclineAsync(id, Keeper(_w.Carol), "太晚了", Now)).Error);
        Assert.Equal("Rewards.UnknownOrder", (await _rewards.CancelAsync(id, _w.Bob, Now)).Error);
        Assert.Equal("Rewards.CannotCancel", (await _rewards.CancelAsync(id, _w.Alice, Now)).Error);
        await DbProbe.AssertLedgerConsistentAsync(_app.Db);
    }

    [Fact]
    public async Task Cancelling_refunds_points_returns_stock_and_frees_the_limit()
    {
        var item = await ItemAsync(_app, _w, cost: 30, stock: 1, limit: 1, period: "quarter", approval: false);
        await GrantAsync(_app, _w.Alice, 100);
        var order = await Redeem(_w.Alice, item, 30);
        Assert.True(order.Ok);
        Assert.Equal("approved", await DbProbe.ScalarAsync<string>(_app.Db, "SELECT status FROM reward_orders")); // no approval needed
        Assert.Equal("Rewards.OutOfStock", (await Redeem(_w.Alice, item, 30)).Error);
        var alice = await Session.SignInAsync(_app, "E2");
        var res = await alice.PostFormAsync($"/Rewards?handler=Cancel&id={order.Id}", new(), formPage: "/Rewards");
        Assert.Equal(HttpStatusCode.Redirect, res.StatusCode);
        Assert.Equal(100, await DbProbe.BalanceAsync(_app.Db, _w.Alice));
        Assert.Equal(1, await DbProbe.ScalarAsync<int>(_app.Db, "SELECT stock FROM rewards"));
        Assert.True((await Redeem(_w.Alice, item, 30)).Ok); // the quarter's limit is free again
        var history = await alice.GetDocAsync("/Rewards");
        Assert.Contains("Refund of a redemption", history.QuerySelector("#points-history")!.TextContent);
        await DbProbe.AssertLedgerConsistentAsync(_app.Db);
    }

    [Fact]
    public async Task A_randomized_run_keeps_ledger_stock_and_leaderboards_consistent()
    {
        var rng = new Random(20261122);
        var people = _w.Crowd.Take(20).ToList();
        var items = new List<(long Id, int Cost, int Stocked)>();
        for (var i = 0; i < 4; i++)
        {
            var cost = 5 + i * 7;
            items.Add((await ItemAsync(_app, _w, cost, stock: 15, limit: i == 0 ? 3 : null), cost, 15));
        }
        var awards = _app.Get<AwardService>();
        var revoke = _app.Get<RevokeService>();
        var recognitions = new List<long>();
        var orders = new List<long>();
        foreach (var p in people) await GrantAsync(_app, p, 40);
        for (var step = 0; step < 300; step++)
        {
            var who = people[rng.Next(people.Count)];
            switch (rng.Next(5))
            {
                case 0:
                    var to = people[rng.Next(people.Count)];
                    if (to == who) break;
                    var a = await awards.AwardAsync(new AwardCommand(who, [to], _w.Badges["mentor"], null, "谢谢你耐心地教我新设备的操作方法，帮了大忙。", "public", 5, Idempotency.NewKey()), Now);
                    if (a.Ok) recognitions.Add(a.Id!.Value);
                    break;
                case 1:
                case 2:
                    var item = items[rng.Next(items.Count)];
                    var r = await Redeem(who, item.Id, item.Cost, qty: rng.Next(1, 3));
                    if (r.Ok) orders.Add(r.Id!.Value);
                    else Assert.Contains(r.Error, new[] { "Rewards.NotEnoughPoints", "Rewards.OutOfStock", "Rewards.LimitMonth" });
                    break;
                case 3:
                    if (orders.Count == 0) break;
                    var o = orders[rng.Next(orders.Count)];
                    _ = rng.Next(2) == 0 ? await _rewards.DeclineAsync(o, _w.AdminScope, "库存不足，退回积分", Now) : await _rewards.ReadyAsync(o, _w.AdminScope, Now);
                    break;
                default:
                    if (recognitions.Count == 0) break;
                    var rec = recognitions[rng.Next(recognitions.Count)];
                    await revoke.RevokeAsync(rec, _w.AdminScope, "随机撤销测试", null, Now);
                    break;
            }
            _app.Clock.Advance(TimeSpan.FromMinutes(7));
        }
        Assert.True(orders.Count > 10, $"only {orders.Count} orders");
        await DbProbe.AssertLedgerConsistentAsync(_app.Db);
        // Stock plus what open or fulfilled orders hold equals what was stocked.
        foreach (var (id, _, stocked) in items)
        {
            var held = await DbProbe.ScalarAsync<int>(_app.Db,
                "SELECT (SELECT stock FROM rewards WHERE id = @id) + COALESCE((SELECT SUM(quantity) FROM reward_orders WHERE reward_id = @id AND status NOT IN ('declined', 'cancelled')), 0)", new { id });
            Assert.Equal(stocked, held);
        }
        // Limits count exactly the orders that still hold them.
        var takes = await DbProbe.ScalarAsync<int>(_app.Db,
            "SELECT COALESCE(SUM(taken), 0) FROM reward_takes WHERE reward_id = @id", new { id = items[0].Id });
        Assert.Equal(await DbProbe.ScalarAsync<int>(_app.Db,
            "SELECT COALESCE(SUM(quantity), 0) FROM reward_orders WHERE reward_id = @id AND status NOT IN ('declined', 'cancelled')", new { id = items[0].Id }), takes);
        Assert.Equal(0, await DbProbe.ScalarAsync<int>(_app.Db, "SELECT COUNT(*) FROM point_balances WHERE balance < 0"));
    }

    [Fact]
    public async Task The_liability_report_shows_points_and_money_by_site_and_team_and_exports_csv()
    {
        await _w.AddSecondSiteAsync(_app);
        Assert.True((await _app.Get<RewardCatalogue>().SaveSettingsAsync(new SettingsForm(_w.SiteId, "0.05", "cny", null, null), _w.AdminScope, Now)).Ok);
        await GrantAsync(_app, _w.Alice, 100);
        await GrantAsync(_app, _w.Bob, 60);
        await GrantAsync(_app, _w.Eve, 999);
        var item = await ItemAsync(_app, _w, cost: 40, stock: 5);
        Assert.True((await Redeem(_w.Alice, item, 40)).Ok);

        var admin = await Session.SignInAsync(_app, "A1", acceptLanguage: "en-US");
        var page = await admin.GetDocAsync("/Admin/Rewards/Report");
        Assert.Equal("120", page.QuerySelector($"#liability-total-{_w.SiteId}")!.TextContent);
        Assert.Contains("CNY 6.00", page.QuerySelector("#liability")!.TextContent);
        Assert.Null(page.QuerySelector($"#liability-total-{_w.SiteB}")); // a site admin sees only their site
        Assert.Contains("保温杯", page.QuerySelector("#monthly")!.TextContent);
        var csv = Encoding.UTF8.GetString(await admin.Client.GetByteArrayAsync("/Admin/Rewards/Report?handler=Csv&kind=liability")).TrimStart('\uFEFF');
        Assert.StartsWith("site,team,people,points,money,currency", csv);
        Assert.DoesNotContain("999", csv);
        var monthly = Encoding.UTF8.GetString(await admin.Client.GetByteArrayAsync("/Admin/Rewards/Report?handler=Csv&kind=monthly")).TrimStart('\uFEFF');
        Assert.Contains("2026-11,保温杯,1,1,40,2.00,CNY", monthly);

        var bad = await admin.PostFormAsync($"/Admin/Rewards?handler=Settings&site={_w.SiteId}", new() { ["pointValue"] = "abc", ["currency"] = "CNY" }, formPage: "/Admin/Rewards");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);
        Assert.Equal("金额请填写 0 到 1000 之间的数字，最多 4 位小数。", (await Session.Doc(bad)).QuerySelector("#rewards-admin-error")!.TextContent);
    }

    [Fact]
    public async Task Expiry_is_off_by_default_then_announces_thirty_days_ahead_and_expires_unspent_old_points_without_moving_leaderboards()
    {
        var expiry = _app.Get<PointsExpiry>();
        await GrantAsync(_app, _w.Alice, 50, day: 20260805);
        await GrantAsync(_app, _w.Alice, 30, day: 20261110);
        var item = await ItemAsync(_app, _w, cost: 20, stock: null);
        Assert.True((await Redeem(_w.Alice, item, 20)).Ok); // FIFO: the 20 come out of August's 50
        Assert.Equal((0, 0), await expiry.RunAsync(new DateTime(2026, 12, 1, 1, 0, 0, DateTimeKind.Utc)));

        Assert.True((await _app.Get<RewardCatalogue>().SaveSettingsAsync(new SettingsForm(_w.SiteId, null, "CNY", null, 3), _w.AdminScope, Now)).Ok);
        var alice = await Session.SignInAsync(_app, "E2", acceptLanguage: "en-US");
        Assert.Contains("3 months", (await alice.GetDocAsync("/Transparency")).QuerySelector("#transparency-expiry")!.TextContent);

        // 18 Nov: December's expiry is within 30 days: August's unspent 30 are announced, once.
        Assert.Equal((0, 1), await expiry.RunAsync(Now));
        Assert.Equal((0, 0), await expiry.RunAsync(Now));
        Assert.Contains("30 of your points expire on 2026-12-01", (await alice.GetDocAsync("/Rewards")).QuerySelector("#expiry-notice")!.TextContent);
        var boards = await DbProbe.ScalarAsync<long>(_app.Db, "SELECT SUM(points) FROM person_month_points WHERE employee_id = @a", new { a = _w.Alice });

        // 1 Dec (site time): they expire, as a visible entry; run again: nothing more. Leaderboards and "earned" stay.
        var december = new DateTime(2026, 11, 30, 17, 0, 0, DateTimeKind.Utc); // 01:00 on 1 Dec in Shanghai
        Assert.Equal(1, (await expiry.RunAsync(december)).Expired);
        Assert.Equal(0, (await expiry.RunAsync(december.AddHours(5))).Expired);
        Assert.Equal(30, await DbProbe.BalanceAsync(_app.Db, _w.Alice));
        Assert.Equal(-30, await DbProbe.ScalarAsync<int>(_app.Db, "SELECT points FROM points_ledger WHERE source_type = 'expiry'"));
        Assert.Equal(boards, await DbProbe.ScalarAsync<long>(_app.Db, "SELECT SUM(points) FROM person_month_points WHERE employee_id = @a", new { a = _w.Alice }));
        Assert.Equal(80, await DbProbe.ScalarAsync<int>(_app.Db, "SELECT earned FROM point_balances WHERE employee_id = @a", new { a = _w.Alice }));
        Assert.Contains("Points expired", (await alice.GetDocAsync("/Rewards")).QuerySelector("#points-history")!.TextContent);
        await DbProbe.AssertLedgerConsistentAsync(_app.Db);
    }

    [Fact]
    public async Task At_the_kiosk_a_person_redeems_with_one_big_button_and_a_keeper_hands_over()
    {
        await GrantAsync(_app, _w.Giver, 50);
        var item = await ItemAsync(_app, _w, cost: 20, stock: 3, approval: false);
        var kiosk = Session.Anonymous(_app);
        await kiosk.PostFormAsync("/pair", new() { ["Code"] = await Kiosk.KioskTests.PairCodeAsync(_app, _w) });
        await kiosk.PostFormAsync("/kiosk?handler=Scan", new() { ["code"] = "B-E1" }, formPage: "/kiosk");
        var tiles = await kiosk.GetDocAsync("/kiosk/rewards");
        Assert.NotNull(tiles.QuerySelector($"#kiosk-reward-{item}"));
        var res = await kiosk.PostFormAsync($"/kiosk/rewards?handler=Redeem&id={item}", new() { ["cost"] = "20" }, formPage: $"/kiosk/rewards?id={item}");
        Assert.Equal("/kiosk?done=redeemed", res.Headers.Location!.OriginalString);
        Assert.Equal(30, await DbProbe.BalanceAsync(_app.Db, _w.Giver));
        var id = await DbProbe.ScalarAsync<long>(_app.Db, "SELECT id FROM reward_orders");
        Assert.True((await _rewards.ReadyAsync(id, _w.AdminScope, Now)).Ok);
        var code = await DbProbe.ScalarAsync<string>(_app.Db, "SELECT pickup_code FROM reward_orders");

        // An ordinary person at the kiosk cannot hand over; a keeper (signed in at the kiosk) can.
        await kiosk.PostFormAsync("/kiosk?handler=Scan", new() { ["code"] = "B-E1" }, formPage: "/kiosk");
        Assert.Equal(HttpStatusCode.Forbidden, (await kiosk.PostFormAsync("/kiosk/rewards?handler=HandOver", new() { ["code"] = code }, formPage: "/kiosk/rewards")).StatusCode);
        await _app.Db.WriteAsync((c, t) => c.ExecuteAsync("UPDATE employees SET roles = roles | 16 WHERE id = @id", new { id = _w.SupA }, t));
        await kiosk.Client.GetAsync("/kiosk"); // back to the idle screen: the person's session ends
        await kiosk.PostFormAsync("/kiosk?handler=Scan", new() { ["code"] = "B-S1" }, formPage: "/kiosk");
        var hand = await kiosk.PostFormAsync("/kiosk/rewards?handler=HandOver", new() { ["code"] = code }, formPage: "/kiosk/rewards");
        Assert.Equal(HttpStatusCode.OK, hand.StatusCode);
        Assert.Equal("handed_over", await DbProbe.ScalarAsync<string>(_app.Db, "SELECT status FROM reward_orders"));
    }
}
