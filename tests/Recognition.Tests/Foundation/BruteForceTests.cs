using System.Net;
using Recognition.Tests.Support;

namespace Recognition.Tests.Foundation;

/// <summary>Password guessing: counted in the database before the check, per account, per address, per known browser.</summary>
public sealed class BruteForceTests : IAsyncLifetime
{
    private readonly AppFactory _app = new(new() { ["Security:SignInFailuresPerAddress"] = "12" });
    private World _w = null!;

    public async Task InitializeAsync() => _w = await World.CreateAsync(_app);

    private static Task<HttpResponseMessage> TryAsync(Session s, string login, string password) =>
        s.PostFormAsync("/Account/SignIn", new() { ["Login"] = login, ["Password"] = password });

    private Task<int> AuditAsync(string action) => DbProbe.ScalarAsync<int>(_app.Db, "SELECT COUNT(*) FROM audit_log WHERE action = @action", new { action });

    [Fact]
    public async Task Thirty_parallel_wrong_passwords_check_only_five()
    {
        var attacker = Session.Anonymous(_app, "en-US");
        await attacker.GetDocAsync("/Account/SignIn"); // one antiforgery cookie for all the parallel forms
        var results = await Task.WhenAll(Enumerable.Range(0, 30).Select(i => Task.Run(() => TryAsync(attacker, "E2", $"guess-{i}"))));
        Assert.True(results.Count(r => r.StatusCode == HttpStatusCode.OK) == 5, string.Join(",", results.Select(r => (int)r.StatusCode)));
        Assert.Equal(25, results.Count(r => r.StatusCode == HttpStatusCode.TooManyRequests));
        Assert.Equal(5, await AuditAsync("signin.failed"));
        Assert.Equal(5, await DbProbe.ScalarAsync<int>(_app.Db, "SELECT failures FROM attempt_counters WHERE bucket = @b", new { b = $"acct:{_w.Alice}" }));
    }

    [Fact]
    public async Task Employee_number_and_email_are_one_account_and_the_count_lives_in_the_database()
    {
        await _app.Db.WriteAsync((c, t) => Dapper.SqlMapper.ExecuteAsync(c, "UPDATE employees SET email = 'alice@example.com' WHERE id = @id", new { id = _w.Alice }, t));
        var s = Session.Anonymous(_app, "en-US");
        for (var i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.OK, (await TryAsync(s, "E2", "wrong" + i)).StatusCode);
        for (var i = 0; i < 2; i++) Assert.Equal(HttpStatusCode.OK, (await TryAsync(s, "ALICE@example.com", "wrong" + i)).StatusCode);
        var blocked = await TryAsync(s, "alice@example.com", World.Password);
        Assert.Equal(HttpStatusCode.TooManyRequests, blocked.StatusCode);
        Assert.Equal("Too many failed sign-ins. Wait 15 minutes and try again.", (await Session.Doc(blocked)).QuerySelector("#signin-error")!.TextContent);
        Assert.NotNull(blocked.Headers.RetryAfter);

        // Another instance of the app on the same database sees the same count (nothing is kept in one process's memory).
        using var second = new AppFactory(_app.SameDatabase());
        second.Clock.Set(_app.Clock.UtcNow);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await TryAsync(Session.Anonymous(second, "en-US"), "E2", World.Password)).StatusCode);
        _app.Clock.Advance(TimeSpan.FromMinutes(15).Add(TimeSpan.FromSeconds(1)));
        Assert.Equal(HttpStatusCode.Redirect, (await TryAsync(s, "E2", World.Password)).StatusCode);
    }

    [Fact]
    public async Task An_oversized_login_is_neither_echoed_nor_logged_and_a_huge_request_is_refused_whole()
    {
        var s = Session.Anonymous(_app, "en-US");
        var before = await DbProbe.FingerprintAsync(_app.Db);
        var longLogin = new string('x', 300);
        var res = await TryAsync(s, longLogin, "whatever");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, res.StatusCode);
        var html = await res.Content.ReadAsStringAsync();
        Assert.DoesNotContain(longLogin, html);
        Assert.Contains("too long", (await Session.Doc(res)).QuerySelector("#signin-error")!.TextContent);
        Assert.Equal(before, await DbProbe.FingerprintAsync(_app.Db));

        var huge = await TryAsync(s, new string('y', 1024 * 1024), "whatever");
        Assert.True(huge.StatusCode is HttpStatusCode.RequestEntityTooLarge or HttpStatusCode.BadRequest, huge.StatusCode.ToString());
        Assert.DoesNotContain("yyyyyyyyyy", await huge.Content.ReadAsStringAsync());
        Assert.Equal(before, await DbProbe.FingerprintAsync(_app.Db));

        // A throttled long login (within the limit) is logged cut, never whole.
        for (var i = 0; i < 6; i++) await TryAsync(s, new string('z', 250), "wrong");
        Assert.True(await DbProbe.ScalarAsync<int>(_app.Db, "SELECT MAX(LENGTH(target)) FROM audit_log") <= 201);
    }

    [Fact]
    public async Task Guessing_behind_the_plant_s_nat_does_not_lock_out_people_who_signed_in_on_their_browser_before()
    {
        var alice = Session.Anonymous(_app, "en-US");
        Assert.Equal(HttpStatusCode.Redirect, (await TryAsync(alice, "E2", World.Password)).StatusCode); // a known browser from now on
        await alice.PostFormAsync("/Account/SignOut", [], formPage: "/");

        // Someone at the same address (tests share one) sprays guesses over many logins and locks Alice's account too.
        var attacker = Session.Anonymous(_app, "en-US");
        for (var i = 0; i < 5; i++) await TryAsync(attacker, "E2", "guess" + i);
        for (var i = 0; i < 7; i++) await TryAsync(attacker, $"X{i}", "guess");
        Assert.Equal(HttpStatusCode.TooManyRequests, (await TryAsync(attacker, "E3", World.Password)).StatusCode); // the address is spent
        Assert.Equal(HttpStatusCode.TooManyRequests, (await TryAsync(Session.Anonymous(_app), "E2", World.Password)).StatusCode); // and the account, for new browsers

        // Alice, on her own browser, still signs in; a typo there counts on her browser alone.
        Assert.Equal(HttpStatusCode.OK, (await TryAsync(alice, "E2", "typo")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await TryAsync(alice, "E2", World.Password)).StatusCode);
    }

    public Task DisposeAsync()
    {
        _app.Dispose();
        return Task.CompletedTask;
    }
}
