using System.Net;
using AngleSharp.Html.Parser;
using Recognition.Tests.Support;
using Recognition.Web.Features.Sso;
using Recognition.Web.Infrastructure.Auth;

namespace Recognition.Tests.Identity;

/// <summary>
/// Sign-in with the company's identity provider, end to end: the app on a real port, a real OpenID provider (npm
/// oidc-provider) as its own process, and a browser walking the authorization code flow with PKCE by HTTP.
/// </summary>
public sealed class SsoTests : IAsyncLifetime
{
    private readonly AppFactory _app = new(realPort: true);
    private World _w = null!;
    private TestIdp _idp = null!;
    private string App => _app.ServerAddress;

    private static readonly object Accounts = new Dictionary<string, object>
    {
        ["jing"] = new { employee_id = "E2", name = "Jing Chen", email = "jing@plant.example.com" },
        ["wei"] = new { employee_id = "E1", name = "王伟", email = "wei@plant.example.com" },
        ["former"] = new { employee_id = "E6", name = "Former Person", email = "former@plant.example.com" },
        ["newcomer"] = new { employee_id = "N777", name = "新同事", email = "new@plant.example.com", locale = "zh-CN", team = "B" },
        ["stranger"] = new { employee_id = "X999", name = "Stranger", email = "x@plant.example.com" },
        ["noclaim"] = new { name = "No Number", email = "nonum@plant.example.com" },
        ["outsider"] = new { employee_id = "E3", name = "Qiang Liu", email = "qiang@elsewhere.example.org" },
        ["impostor"] = new { employee_id = "E2", name = "Someone Else", email = "imp@plant.example.com" },
    };

    public async Task InitializeAsync()
    {
        _app.Clock.Set(DateTime.UtcNow); // the provider's tokens and the handler's cookies both live in real time here
        _w = await World.CreateAsync(_app);
        _idp = await TestIdp.StartAsync(App, Accounts);
        await ConfigureAsync();
    }

    public async Task DisposeAsync()
    {
        await _idp.DisposeAsync();
        await _app.DisposeAsync();
    }

    private async Task ConfigureAsync(bool jit = false, string? secret = TestIdp.ClientSecret, string? issuer = null, Roles passwordOff = Roles.None, string? domains = null)
    {
        var store = _app.Get<SsoSettingsStore>();
        var outcome = await store.SaveAsync(new SsoForm(true, "Plant ID", issuer ?? _idp.Issuer, TestIdp.ClientId, secret, "employee_id", domains,
            passwordOff, jit, jit ? _w.SiteId : null, null, null, jit ? "team" : null), new AdminScope(_w.Admin, _w.SiteId, true), "127.0.0.1", DateTime.UtcNow);
        Assert.True(outcome.Ok, outcome.Error);
    }

    private async Task<(SsoBrowser Browser, HttpResponseMessage Last)> SignInAsync(string login)
    {
        var b = new SsoBrowser();
        var last = await b.WalkAsync(App + "/Account/Sso?returnUrl=%2FMe", login);
        return (b, last);
    }

    private static async Task<string?> ReasonAsync(HttpResponseMessage res) =>
        new HtmlParser().ParseDocument(await res.Content.ReadAsStringAsync()).QuerySelector("#sso-reason")?.GetAttribute("data-reason");

    /// <summary>A cookie-keeping client on the app's real port (the factory's in-memory client cannot reach the provider).</summary>
    private Session Browser(string lang = "en-US")
    {
        var http = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = new Uri(App) };
        http.DefaultRequestHeaders.Add("Accept-Language", lang);
        return new Session(http, _app.Errors);
    }

    private async Task<Session> PasswordSignInAsync(string login)
    {
        var s = Browser();
        Assert.Equal(HttpStatusCode.Redirect, (await s.PostFormAsync("/Account/SignIn", new() { ["Login"] = login, ["Password"] = World.Password })).StatusCode);
        return s;
    }

    private async Task<bool> SignedInAsync(SsoBrowser b) => (await b.Http.GetAsync(App + "/Me")).StatusCode == HttpStatusCode.OK;

    [Fact]
    public async Task The_sign_in_page_offers_the_provider_and_a_known_employee_signs_in_and_is_remembered()
    {
        var page = await new HttpClient().GetStringAsync(App + "/Account/SignIn");
        Assert.Contains("Plant ID", new HtmlParser().ParseDocument(page).QuerySelector("#sso-signin")!.TextContent);

        var (b, last) = await SignInAsync("jing");
        Assert.Equal(HttpStatusCode.OK, last.StatusCode);
        Assert.Equal("/Me", last.RequestMessage!.RequestUri!.AbsolutePath); // back where the person was going
        var authorize = b.Visited.Single(u => new Uri(u).AbsolutePath == "/auth");
        // The handler pushes the request (PAR) when the provider offers it; this provider requires PKCE, so the sign-in
        // succeeding proves the code challenge was sent.
        Assert.True(authorize.Contains("request_uri=urn", StringComparison.Ordinal) || authorize.Contains("code_challenge_method=S256", StringComparison.Ordinal), authorize);
        Assert.True(await SignedInAsync(b));
        var row = (await DbProbe.QueryAsync<(string Sub, DateTime? Last)>(_app.Db, "SELECT sso_subject, last_signin_utc FROM employees WHERE id = @id", new { id = _w.Alice })).Single();
        Assert.Equal("jing", row.Sub);
        Assert.NotNull(row.Last);
        Assert.Equal(1, await DbProbe.ScalarAsync<long>(_app.Db, "SELECT COUNT(*) FROM audit_log WHERE action = 'signin.sso' AND target = 'E2'"));

        // Another provider account claiming the same employee number is refused.
        var (_, impostor) = await SignInAsync("impostor");
        Assert.Equal("Sso.SubjectMismatch", await ReasonAsync(impostor));
    }

    [Fact]
    public async Task An_unknown_or_deactivated_person_gets_a_clear_page_and_nothing_is_created()
    {
        var people = await DbProbe.ScalarAsync<long>(_app.Db, "SELECT COUNT(*) FROM employees");
        var (stranger, res) = await SignInAsync("stranger");
        Assert.Equal(HttpStatusCode.Forbidden, res.StatusCode);
        Assert.Equal("Sso.Unknown", await ReasonAsync(res));
        Assert.Contains("X999", await res.Content.ReadAsStringAsync());
        Assert.False(await SignedInAsync(stranger));

        var (former, gone) = await SignInAsync("former");
        Assert.Equal("Sso.Deactivated", await ReasonAsync(gone));
        Assert.False(await SignedInAsync(former));

        var (_, noClaim) = await SignInAsync("noclaim");
        Assert.Equal("Sso.NoEmployeeClaim", await ReasonAsync(noClaim));
        Assert.Equal(people, await DbProbe.ScalarAsync<long>(_app.Db, "SELECT COUNT(*) FROM employees"));
        Assert.Equal(3, await DbProbe.ScalarAsync<long>(_app.Db, "SELECT COUNT(*) FROM audit_log WHERE action = 'signin.sso_refused'"));
    }

    [Fact]
    public async Task Just_in_time_creation_makes_the_person_at_the_default_site_in_the_claimed_team_and_audits_it()
    {
        await ConfigureAsync(jit: true);
        var (b, res) = await SignInAsync("newcomer");
        Assert.Equal(HttpStatusCode.OK, res.StatusCode);
        Assert.True(await SignedInAsync(b));
        var p = (await DbProbe.QueryAsync<(long Site, long Team, string Zh, string Locale, string Sub)>(_app.Db,
            "SELECT site_id, team_id, name_zh, locale, sso_subject FROM employees WHERE employee_no = 'N777'")).Single();
        Assert.Equal((_w.SiteId, _w.TeamB, "新同事", "zh-CN", "newcomer"), p);
        Assert.Equal(1, await DbProbe.ScalarAsync<long>(_app.Db, "SELECT COUNT(*) FROM audit_log WHERE action = 'person.create_sso'"));

        // Allowed domains hold for everyone, including people who exist.
        await ConfigureAsync(jit: true, domains: "plant.example.com");
        var (_, outsider) = await SignInAsync("outsider");
        Assert.Equal("Sso.DomainNotAllowed", await ReasonAsync(outsider));
    }

    [Theory]
    [InlineData("wrong-aud")]
    [InlineData("wrong-iss")]
    [InlineData("skew")]
    public async Task A_token_for_another_audience_issuer_or_time_is_refused(string mode)
    {
        await _idp.ModeAsync(mode);
        var (b, res) = await SignInAsync("jing");
        Assert.Equal("Sso.Failed", await ReasonAsync(res));
        Assert.False(await SignedInAsync(b));
        Assert.Null(await DbProbe.ScalarAsync<string?>(_app.Db, "SELECT sso_subject FROM employees WHERE id = @id", new { id = _w.Alice }));
        Assert.True(await DbProbe.ScalarAsync<long>(_app.Db, "SELECT COUNT(*) FROM audit_log WHERE action = 'signin.sso_failed'") >= 1);
    }

    [Fact]
    public async Task A_replayed_code_and_a_tampered_state_are_refused()
    {
        var b = new SsoBrowser();
        var stop = await b.WalkAsync(App + "/Account/Sso", "jing", u => u.AbsolutePath == "/signin-oidc");
        var callback = stop.RequestMessage!.RequestUri!.ToString();

        // The state is protected: changed by one character, the callback is refused and nobody is signed in.
        var tampered = System.Text.RegularExpressions.Regex.Replace(callback, "state=([^&])", m => "state=" + (m.Groups[1].Value == "A" ? "B" : "A"));
        var bad = await b.WalkAsync(tampered, "jing");
        Assert.Equal("Sso.Failed", await ReasonAsync(bad));
        Assert.False(await SignedInAsync(b));

        // A fresh flow signs in; replaying its callback (the same code) in another browser fails.
        var good = new SsoBrowser();
        var goodStop = await good.WalkAsync(App + "/Account/Sso", "jing", u => u.AbsolutePath == "/signin-oidc");
        var goodCallback = goodStop.RequestMessage!.RequestUri!.ToString();
        await good.WalkAsync(goodCallback, "jing");
        Assert.True(await SignedInAsync(good));
        var attacker = new SsoBrowser();
        var replay = await attacker.WalkAsync(goodCallback, "jing");
        Assert.Equal("Sso.Failed", await ReasonAsync(replay));
        Assert.False(await SignedInAsync(attacker));
        // And in the same browser again: the correlation is spent.
        var again = await good.WalkAsync(goodCallback, "jing");
        Assert.Equal("Sso.Failed", await ReasonAsync(again));
    }

    [Fact]
    public async Task A_wrong_client_secret_or_an_unreachable_issuer_gets_a_clear_page()
    {
        await ConfigureAsync(secret: "not-the-secret");
        var (b, res) = await SignInAsync("jing");
        Assert.True("Sso.Failed" == await ReasonAsync(res), string.Join(" → ", b.Visited) + " " + (int)res.StatusCode + " " + _app.Errors.Describe());

        await ConfigureAsync(issuer: "http://127.0.0.1:9"); // nothing listens there
        var (_, unreachable) = await SignInAsync("jing");
        Assert.Equal("Sso.Unreachable", await ReasonAsync(unreachable));
    }

    [Fact]
    public async Task Password_sign_in_can_be_turned_off_for_a_role_while_admins_keep_theirs()
    {
        await ConfigureAsync(passwordOff: Roles.Employee | Roles.Supervisor);
        var employee = Browser();
        var res = await employee.PostFormAsync("/Account/SignIn", new() { ["Login"] = "E2", ["Password"] = World.Password });
        Assert.Equal(HttpStatusCode.Forbidden, res.StatusCode);
        Assert.Contains("Sign in with Plant ID", await res.Content.ReadAsStringAsync());
        // A wrong password gets the ordinary answer: the rule is not revealed to someone guessing.
        var wrong = await employee.PostFormAsync("/Account/SignIn", new() { ["Login"] = "E3", ["Password"] = "nope-nope" });
        Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
        await PasswordSignInAsync("A1"); // the admin's password still works
    }

    [Fact]
    public async Task Signing_out_ends_the_local_session_and_the_providers()
    {
        var (b, _) = await SignInAsync("jing");
        Assert.True(await SignedInAsync(b));
        var me = new HtmlParser().ParseDocument(await b.Http.GetStringAsync(App + "/Me"));
        var token = me.QuerySelector("form[action='/Account/SignOut'] input[name=__RequestVerificationToken]")?.GetAttribute("value")
            ?? me.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        var res = await b.Http.PostAsync(App + "/Account/SignOut", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));
        Assert.Equal(HttpStatusCode.OK, res.StatusCode);
        var page = new HtmlParser().ParseDocument(await res.Content.ReadAsStringAsync());
        var logout = page.QuerySelector("#provider-logout")!.GetAttribute("href")!;
        Assert.StartsWith(_idp.Issuer + "/session/end", logout);
        Assert.Contains("id_token_hint=", logout);
        Assert.False(await SignedInAsync(b));

        // The provider's own confirmation form (submitted by script in a browser), then back to our sign-in page.
        var confirm = new HtmlParser().ParseDocument(await b.Http.GetStringAsync(logout)).QuerySelector("form")!;
        var fields = confirm.QuerySelectorAll("input").Where(i => i.GetAttribute("name") is not null)
            .ToDictionary(i => i.GetAttribute("name")!, i => i.GetAttribute("value") ?? "");
        fields["logout"] = "yes";
        var done = await b.Http.PostAsync(new Uri(new Uri(logout), confirm.GetAttribute("action")!), new FormUrlEncodedContent(fields));
        var back = await b.WalkAsync(new Uri(new Uri(logout), done.Headers.Location!).ToString(), "jing", u => u.AbsolutePath == "/Account/SignIn");
        Assert.StartsWith(App + "/Account/SignIn", back.RequestMessage!.RequestUri!.ToString());

        // The provider's session is over too: signing in again asks for the login.
        await b.WalkAsync(App + "/Account/Sso", "jing");
        Assert.Contains(b.Visited, u => u.Contains("/interaction/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Signing_out_at_the_provider_ends_every_session_of_that_person_here_by_back_channel()
    {
        var (phone, _) = await SignInAsync("jing");
        var (office, _) = await SignInAsync("jing"); // a second device, its own provider session
        var (colleague, _) = await SignInAsync("wei");
        Assert.True(await SignedInAsync(phone) && await SignedInAsync(office) && await SignedInAsync(colleague));

        // Signing out at the provider itself (as from another application): its confirmation, then its back-channel call.
        var end = _idp.Issuer + "/session/end?client_id=" + TestIdp.ClientId;
        var confirm = new HtmlParser().ParseDocument(await phone.Http.GetStringAsync(end)).QuerySelector("form")!;
        var fields = confirm.QuerySelectorAll("input").Where(i => i.GetAttribute("name") is not null)
            .ToDictionary(i => i.GetAttribute("name")!, i => i.GetAttribute("value") ?? "");
        fields["logout"] = "yes";
        await phone.Http.PostAsync(new Uri(new Uri(end), confirm.GetAttribute("action")!), new FormUrlEncodedContent(fields));

        for (var i = 0; i < 50 && await SignedInAsync(office); i++) await Task.Delay(100);
        Assert.False(await SignedInAsync(office), _idp.Log);
        Assert.False(await SignedInAsync(phone));
        Assert.True(await SignedInAsync(colleague)); // only that person
        Assert.Equal(1, await DbProbe.ScalarAsync<long>(_app.Db, "SELECT COUNT(*) FROM audit_log WHERE action = 'signout.sso_backchannel'"));
    }

    [Fact]
    public async Task A_back_channel_logout_token_that_is_forged_replayed_or_misshaped_is_refused_and_ends_nothing()
    {
        var (b, _) = await SignInAsync("jing");
        using var http = new HttpClient();
        async Task<HttpStatusCode> PostAsync(string token) => (await http.PostAsync(App + SsoLogout.BackchannelPath,
            new FormUrlEncodedContent(new Dictionary<string, string> { ["logout_token"] = token }))).StatusCode;

        Assert.Equal(HttpStatusCode.BadRequest, await PostAsync(await _idp.LogoutTokenAsync(new { sub = "jing", aud = "another-client" })));
        Assert.Equal(HttpStatusCode.BadRequest, await PostAsync(await _idp.LogoutTokenAsync(new { sub = "jing", events = false })));
        Assert.Equal(HttpStatusCode.BadRequest, await PostAsync(await _idp.LogoutTokenAsync(new { sub = "jing", nonce = "n-0" })));
        Assert.Equal(HttpStatusCode.BadRequest, await PostAsync(await _idp.LogoutTokenAsync(new { sid = "only-a-session" })));
        var valid = await _idp.LogoutTokenAsync(new { sub = "jing" });
        var sig = valid.LastIndexOf('.') + 5;
        Assert.Equal(HttpStatusCode.BadRequest, await PostAsync(valid[..sig] + (valid[sig] == 'A' ? 'B' : 'A') + valid[(sig + 1)..]));
        Assert.Equal(HttpStatusCode.BadRequest, await PostAsync("not-a-token"));
        Assert.Equal(HttpStatusCode.BadRequest, (await http.PostAsync(App + SsoLogout.BackchannelPath, new StringContent("{\"logout_token\":1}", System.Text.Encoding.UTF8, "application/json"))).StatusCode);
        Assert.True(await SignedInAsync(b));

        Assert.Equal(HttpStatusCode.OK, await PostAsync(valid));
        Assert.False(await SignedInAsync(b));
        var (again, _) = await SignInAsync("jing");
        Assert.Equal(HttpStatusCode.BadRequest, await PostAsync(valid)); // a replayed token ends nothing more
        Assert.True(await SignedInAsync(again));
    }

    [Fact]
    public async Task Front_channel_logout_ends_only_the_session_the_provider_names()
    {
        var (b, _) = await SignInAsync("jing");
        var sid = (await _idp.LastIdTokenClaimsAsync()).GetProperty("sid").GetString()!;
        var iss = Uri.EscapeDataString(_idp.Issuer);
        await b.Http.GetAsync(App + $"/signout-oidc?iss={iss}&sid=another-session");
        Assert.True(await SignedInAsync(b));
        await b.Http.GetAsync(App + $"/signout-oidc?iss={iss}&sid={Uri.EscapeDataString(sid)}");
        Assert.False(await SignedInAsync(b));

        // A password session is not ended by a link to the same address.
        var password = await PasswordSignInAsync("E3");
        await password.Client.GetAsync($"/signout-oidc?iss={iss}&sid={Uri.EscapeDataString(sid)}");
        Assert.Equal(HttpStatusCode.OK, (await password.Client.GetAsync("/Me")).StatusCode);
    }

    [Fact]
    public async Task The_admin_page_saves_the_settings_with_the_secret_encrypted_and_never_shows_it()
    {
        var admin = await PasswordSignInAsync("A1");
        await _w.AddSecondSiteAsync(_app);
        var org = await PasswordSignInAsync("OA1");
        var fields = new Dictionary<string, string>
        {
            ["Enabled"] = "true", ["DisplayName"] = "Entra ID", ["Issuer"] = _idp.Issuer, ["ClientId"] = TestIdp.ClientId,
            ["ClientSecret"] = "a-brand-new-secret-value", ["EmployeeClaim"] = "employee_id", ["EmailDomains"] = "plant.example.com",
        };
        var res = await org.PostFormAsync("/Admin/Identity?handler=Sso", fields, formPage: "/Admin/Identity");
        Assert.Equal(HttpStatusCode.OK, res.StatusCode);
        var html = await res.Content.ReadAsStringAsync();
        Assert.DoesNotContain("a-brand-new-secret-value", html);
        var stored = await DbProbe.ScalarAsync<string>(_app.Db, "SELECT client_secret_enc FROM sso_settings WHERE id = 1");
        Assert.DoesNotContain("a-brand-new-secret-value", stored);
        Assert.Equal("a-brand-new-secret-value", _app.Get<SsoSettingsStore>().Current().ClientSecret);
        var audit = await DbProbe.ScalarAsync<string>(_app.Db, "SELECT after_json FROM audit_log WHERE action = 'sso.settings' ORDER BY id DESC");
        Assert.DoesNotContain("a-brand-new-secret-value", audit);

        // A site admin sees the settings but may not change them; an http issuer other than loopback is refused.
        var denied = await admin.PostFormAsync("/Admin/Identity?handler=Sso", fields, formPage: "/Admin/Identity");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, denied.StatusCode);
        fields["Issuer"] = "http://idp.example.com";
        var insecure = await org.PostFormAsync("/Admin/Identity?handler=Sso", fields, formPage: "/Admin/Identity");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, insecure.StatusCode);
        Assert.Contains("https", new HtmlParser().ParseDocument(await insecure.Content.ReadAsStringAsync()).QuerySelector("#identity-error")!.TextContent);
    }
}
