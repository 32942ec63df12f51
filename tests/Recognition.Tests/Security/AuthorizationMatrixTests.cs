using System.Net;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.RazorPages.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Recognition.Tests.Support;

namespace Recognition.Tests.Security;

/// <summary>
/// Every page handler and endpoint the app maps, found from its own endpoint list, called as every kind of principal.
/// Each must have an entry below; a new endpoint without one fails <see cref="Every_endpoint_has_an_entry_and_every_entry_an_endpoint"/>.
/// </summary>
public sealed class AuthorizationMatrixTests : IAsyncLifetime
{
    private readonly AppFactory _app = new();
    private World _w = null!;

    public async Task InitializeAsync()
    {
        _w = await World.CreateAsync(_app);
        await _w.AddSecondSiteAsync(_app);
        // A site-A reward with a photo and a ready order, which site B's admin must not reach.
        _reward = await Recognition.Tests.Rewards.RewardTests.ItemAsync(_app, _w, cost: 5, stock: 5, approval: false);
        await _app.Db.WriteAsync((c, t) => Dapper.SqlMapper.ExecuteAsync(c, "INSERT INTO reward_photos (reward_id, content_type, bytes) VALUES (@_reward, 'image/png', @b)",
            new { _reward, b = new byte[] { 1, 2, 3 } }, t));
        await Recognition.Tests.Rewards.RewardTests.GrantAsync(_app, _w.Bob, 10);
        _order = (await _app.Get<Recognition.Web.Features.Rewards.RewardService>().RedeemAsync(
            new Recognition.Web.Features.Rewards.RedeemCommand(_w.Bob, _reward, 1, 5, Guid.NewGuid().ToString("N")), _app.Clock.UtcNow)).Id!.Value;
        await _app.Get<Recognition.Web.Features.Rewards.RewardService>().ReadyAsync(_order, _w.AdminScope, _app.Clock.UtcNow);
    }

    /// <summary>"GET /route?handler=Name" for every handler of every page and every mapped endpoint.</summary>
    private async Task<SortedSet<string>> DiscoverAsync()
    {
        var found = new SortedSet<string>(StringComparer.Ordinal);
        var loader = _app.Services.GetRequiredService<PageLoader>();
        foreach (var e in _app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var route = "/" + (e.RoutePattern.RawText ?? "").TrimStart('/');
            if (e.Metadata.GetMetadata<PageActionDescriptor>() is { } page)
            {
                var compiled = await loader.LoadAsync(page, e.Metadata);
                foreach (var h in compiled.HandlerMethods) found.Add($"{h.HttpMethod.ToUpperInvariant()} {route}{(h.Name is null ? "" : "?handler=" + h.Name)}");
            }
            else
            {
                foreach (var m in e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["*"]) found.Add($"{m} {route}");
            }
        }
        return found;
    }

    [Fact]
    public async Task Every_endpoint_has_an_entry_and_every_entry_an_endpoint()
    {
        var found = await DiscoverAsync();
        var missing = found.Where(k => !Matrix.ContainsKey(k)).ToList();
        var stale = Matrix.Keys.Where(k => !found.Contains(k)).ToList();
        Assert.True(missing.Count == 0, "No entry for:\n" + string.Join("\n", missing));
        Assert.True(stale.Count == 0, "Entries for endpoints that no longer exist:\n" + string.Join("\n", stale));
    }

    /// <summary>Who may pass each endpoint's authorization: the class of principal it is for.</summary>
    private static readonly Dictionary<string, string> Matrix = new(StringComparer.Ordinal)
    {
        ["* /hubs/me"] = Employee, ["* /hubs/me/negotiate"] = Employee,
        ["* /hubs/wall"] = Device, ["* /hubs/wall/negotiate"] = Device,
        ["GET /"] = Employee,
        ["GET /Account/Denied"] = StatusPage, ["POST /Account/Denied"] = Anyone,
        ["GET /Account/Language"] = Anyone, ["POST /Account/Language"] = Anyone,
        ["GET /Account/Reset"] = Anyone, ["POST /Account/Reset"] = Anyone,
        ["GET /Account/SignIn"] = Anyone, ["POST /Account/SignIn"] = Anyone,
        ["GET /Account/SignOut"] = ToSignIn, ["POST /Account/SignOut"] = Anyone,
        ["GET /Admin"] = Admin, ["GET /Admin/Index"] = Admin,
        ["POST /Admin?handler=ResetPin"] = Admin, ["POST /Admin?handler=Revoke"] = Admin,
        ["POST /Admin/Index?handler=ResetPin"] = Admin, ["POST /Admin/Index?handler=Revoke"] = Admin,
        ["GET /Admin/Audit"] = Admin, ["GET /Admin/Audit?handler=Csv"] = Admin,
        ["GET /Admin/Catalogue"] = Admin, ["GET /Admin/Catalogue?handler=Export"] = Admin,
        ["POST /Admin/Catalogue?handler=Achievement"] = Admin, ["POST /Admin/Catalogue?handler=Badge"] = Admin,
        ["POST /Admin/Catalogue?handler=Import"] = Admin, ["POST /Admin/Catalogue?handler=PreviewRule"] = Admin,
        ["POST /Admin/Catalogue?handler=Rule"] = Admin, ["POST /Admin/Catalogue?handler=Value"] = Admin,
        ["GET /Admin/Devices"] = Admin, ["POST /Admin/Devices?handler=Code"] = Admin, ["POST /Admin/Devices?handler=Rename"] = Admin, ["POST /Admin/Devices?handler=Reload"] = Admin,
        ["POST /Admin/Devices?handler=Create"] = Admin, ["POST /Admin/Devices?handler=Revoke"] = Admin,
        ["GET /Admin/Import"] = Admin, ["GET /Admin/Import?handler=Export"] = Admin, ["GET /Admin/Import?handler=Template"] = Admin,
        ["POST /Admin/Import?handler=Apply"] = Admin, ["POST /Admin/Import?handler=Preview"] = Admin,
        ["GET /Admin/Organisation"] = Admin, ["POST /Admin/Organisation?handler=Area"] = Admin, ["POST /Admin/Organisation?handler=Shift"] = Admin,
        ["POST /Admin/Organisation?handler=Site"] = Admin, ["POST /Admin/Organisation?handler=Team"] = Admin,
        ["POST /Admin/Organisation?handler=Certificate"] = Admin, ["GET /Admin/Organisation?handler=Logo"] = Admin, ["GET /Admin/Organisation?handler=Sample"] = Admin,
        ["GET /Admin/People"] = Admin,
        ["GET /Admin/Person"] = Admin, ["POST /Admin/Person?handler=Active"] = Admin,
        ["POST /Admin/Person?handler=Reset"] = Admin, ["POST /Admin/Person?handler=Save"] = Admin,
        ["GET /Admin/Policy"] = Admin, ["GET /Admin/Budgets"] = Admin, ["GET /Admin/Programs"] = Admin, ["POST /Admin/Programs"] = Admin, ["GET /Programs"] = Employee, ["GET /Programs/Index"] = Employee, ["POST /Programs?handler=Nominate"] = Employee, ["POST /Programs/Index?handler=Nominate"] = Employee, ["GET /Programs/{id:long}/Judge"] = Employee, ["POST /Programs/{id:long}/Judge?handler=Score"] = Employee, ["POST /Programs/{id:long}/Judge?handler=Shortlist"] = Employee, ["POST /Programs/{id:long}/Judge?handler=Decide"] = Employee, ["POST /Admin/Budgets?handler=Funding"] = Admin, ["POST /Admin/Budgets?handler=Person"] = Admin, ["POST /Admin/Policy?handler=Default"] = Admin, ["POST /Admin/Policy?handler=Save"] = Admin,
        ["GET /Admin/Rewards"] = Admin, ["POST /Admin/Rewards?handler=Settings"] = Admin,
        ["GET /Admin/Rewards/Item"] = Admin, ["POST /Admin/Rewards/Item"] = Admin,
        ["GET /Admin/Rewards/Report"] = Admin, ["GET /Admin/Rewards/Report?handler=Csv"] = Admin,
        ["GET /Rewards"] = Employee, ["GET /Rewards?handler=Photo"] = Employee, ["POST /Rewards?handler=Cancel"] = Employee, ["POST /Rewards?handler=Redeem"] = Employee,
        ["GET /Rewards/Index"] = Employee, ["GET /Rewards/Index?handler=Photo"] = Employee,
        ["POST /Rewards/Index?handler=Cancel"] = Employee, ["POST /Rewards/Index?handler=Redeem"] = Employee,
        // The reward queue is for rewards keepers and admins; none of the principals here is a keeper without being an admin.
        ["GET /Rewards/Queue"] = Admin, ["POST /Rewards/Queue?handler=Approve"] = Admin, ["POST /Rewards/Queue?handler=Decline"] = Admin,
        ["POST /Rewards/Queue?handler=HandOver"] = Admin, ["POST /Rewards/Queue?handler=Ready"] = Admin,
        ["GET /Rewards/Slip"] = Employee,
        ["GET /thanks/{code}"] = Anyone, ["POST /thanks/{code}"] = Anyone,
        ["GET /print/praise-cards"] = Supervisor,
        ["GET /Supervisor/Praise"] = Supervisor, ["POST /Supervisor/Praise?handler=Approve"] = Supervisor, ["POST /Supervisor/Praise?handler=Reject"] = Supervisor,
        ["GET /Admin/Praise"] = Admin, ["POST /Admin/Praise?handler=Rotate"] = Admin,
        ["POST /Me/Settings?handler=Praise"] = Employee, ["POST /Me/Settings?handler=Messages"] = Employee, ["POST /Me/Settings?handler=Celebrations"] = Employee, ["POST /Me/Settings?handler=Listed"] = Employee,
        ["GET /Insights"] = Admin, ["GET /Insights?handler=Csv"] = Admin, ["POST /Insights?handler=Rebuild"] = Admin,
        ["GET /Insights/Clues"] = Admin, ["POST /Insights/Clues?handler=Dismiss"] = Admin, ["POST /Insights/Clues?handler=Revoke"] = Admin,
        ["GET /Claims/New"] = Employee, ["POST /Claims/New"] = Employee,
        ["GET /Error"] = Anyone, ["POST /Error"] = Anyone,
        ["GET /Feed"] = Employee, ["GET /Feed/Index"] = Employee,
        ["GET /Feed?handler=Reactions"] = Employee, ["GET /Feed/Index?handler=Reactions"] = Employee,
        ["GET /r/{id:long}"] = Employee, ["POST /r/{id:long}?handler=React"] = Employee, ["POST /r/{id:long}?handler=Comment"] = Employee,
        ["POST /r/{id:long}?handler=EditComment"] = Employee, ["POST /r/{id:long}?handler=AddOn"] = Employee, ["POST /r/{id:long}?handler=RemoveComment"] = Employee,
        ["GET /Me"] = Employee, ["GET /Me/Index"] = Employee, ["GET /Transparency"] = Employee,
        ["GET /Me/Settings"] = Employee, ["POST /Me/Settings?handler=OptOut"] = Employee, ["POST /Me/Settings?handler=Password"] = Employee,
        ["GET /People/{id:long}"] = Employee,
        ["GET /Recognize"] = Employee, ["GET /Recognize?handler=Chip"] = Employee, ["GET /Recognize?handler=Search"] = Employee, ["POST /Recognize"] = Employee,
        ["GET /Recognize/Index"] = Employee, ["GET /Recognize/Index?handler=Chip"] = Employee, ["GET /Recognize/Index?handler=Search"] = Employee, ["GET /Recognize?handler=Team"] = Employee, ["GET /Recognize/Index?handler=Team"] = Employee,
        ["POST /Recognize/Index"] = Employee,
        ["GET /Supervisor/Approvals"] = Supervisor, ["GET /Supervisor/Approvals?handler=Photo"] = Supervisor,
        ["POST /Supervisor/Approvals?handler=Approve"] = Supervisor, ["POST /Supervisor/Approvals?handler=Praise"] = Supervisor,
        ["POST /Supervisor/Approvals?handler=Reject"] = Supervisor,
        ["GET /Supervisor/Summary"] = Supervisor, ["GET /Supervisor/Summary?handler=Certificates"] = Supervisor,
        ["GET /Supervisor/Summary?handler=Pdf"] = Supervisor, ["GET /Supervisor/Team"] = Supervisor, ["GET /Supervisor/Team?handler=Csv"] = Supervisor,
        ["GET /healthz"] = Anyone,
        ["GET /kiosk"] = Kiosk, ["GET /kiosk?handler=Feed"] = Kiosk, ["POST /kiosk?handler=Pin"] = Kiosk, ["POST /kiosk?handler=Scan"] = Kiosk,
        ["GET /kiosk/language"] = KioskAny, ["POST /kiosk/language"] = KioskAny,
        ["GET /kiosk/home"] = KioskSession, ["POST /kiosk/home?handler=Alive"] = KioskSession, ["POST /kiosk/home?handler=React"] = KioskSession,
        ["GET /kiosk/me"] = KioskSession, ["POST /kiosk/me?handler=Pin"] = KioskSession,
        ["GET /kiosk/recognize"] = KioskSession, ["GET /kiosk/recognize?handler=Phrases"] = KioskSession,
        ["GET /kiosk/recognize?handler=Search"] = KioskSession, ["POST /kiosk/recognize"] = KioskSession,
        ["GET /kiosk/report"] = KioskSession, ["POST /kiosk/report"] = KioskSession,
        ["GET /kiosk/rewards"] = KioskSession, ["GET /kiosk/rewards?handler=Photo"] = KioskSession,
        ["POST /kiosk/rewards?handler=HandOver"] = KioskSession, ["POST /kiosk/rewards?handler=Redeem"] = KioskSession,
        ["GET /pair"] = Anyone, ["POST /pair"] = Anyone,
        ["GET /print/certificates/badge/{id:long}"] = Employee, ["GET /print/certificates/recognition/{id:long}"] = Employee,
        ["GET /setup"] = SetupDone, ["POST /setup"] = SetupDone,
        ["GET /verify/{code}"] = Anyone, ["GET /verify"] = Anyone, ["POST /verify"] = Anyone, ["GET /pickup/{token}"] = Anyone, ["GET /pickup/{token}/{kind}/{id:long}"] = Anyone,
        ["GET /ob/issuers/{siteId:long}"] = Anyone, ["GET /ob/issuers/{siteId:long}/image"] = Anyone, ["GET /ob/jwks"] = Anyone, ["GET /ob/keys/{kid}"] = Anyone,
        ["GET /ob/achievements/{badgeId:long}"] = Anyone, ["GET /ob/achievements/{badgeId:long}/image"] = Anyone, ["GET /ob/values/{valueId:long}"] = Anyone,
        ["GET /ob/status/{siteId:long}/{list:long}"] = Anyone,
        ["GET /Me/Keep"] = Employee, ["POST /Me/Keep?handler=Email"] = Employee, ["GET /me/credentials/{kind}/{id:long}"] = Employee,
        ["GET /me/export.{format}"] = Employee, ["GET /me/record.pdf"] = Employee,
        ["GET /admin/people/{id:long}/export.{format}"] = Admin, ["GET /admin/people/{id:long}/record.pdf"] = Admin,
        ["GET /Coaching/{id:long}"] = Employee, ["POST /Coaching/{id:long}?handler=Record"] = Employee,
        ["GET /print/coaching/{id:long}"] = Employee, ["GET /print/coaching/team/{teamId:long}"] = Employee,
        ["GET /Admin/DataKeeping"] = Admin, ["POST /Admin/DataKeeping?handler=Save"] = Admin, ["POST /Admin/DataKeeping?handler=DryRun"] = Admin,
        ["POST /Admin/DataKeeping?handler=Apply"] = Admin, ["POST /Admin/DataKeeping?handler=Rotate"] = Admin,
        ["GET /walls/{slug}"] = Display, ["GET /walls/{slug}?handler=Since"] = Display,
        // Sign-in with the provider (not configured here: back to the sign-in page) and its refusal page.
        ["GET /Account/Sso"] = ToSignIn, ["GET /Account/SsoFailed"] = StatusPage,
        ["GET /Admin/Identity"] = Admin, ["POST /Admin/Identity?handler=Revoke"] = Admin, ["POST /Admin/Identity?handler=Sso"] = Admin,
        ["POST /Admin/Identity?handler=Token"] = Admin, ["POST /Admin/People?handler=Letters"] = Admin,
        ["POST /Supervisor/Team?handler=Slip"] = Supervisor,
        ["GET /kiosk/activate"] = Kiosk, ["POST /kiosk/activate"] = Kiosk,
        ["GET /w/{token}"] = Anyone,
        ["GET /Admin/Channels"] = Admin, ["GET /Admin/Channels?handler=Deliveries"] = Admin, ["POST /Admin/Channels?handler=Create"] = Admin, ["POST /Admin/Channels?handler=Test"] = Admin,
        ["POST /Admin/Channels?handler=Remove"] = Admin, ["POST /Admin/Channels?handler=Retry"] = Admin,
        ["GET /Admin/Api"] = Admin, ["POST /Admin/Api?handler=Token"] = Admin, ["POST /Admin/Api?handler=Revoke"] = Admin,
        // The API answers only an integration token (401 as problem details to every cookie, device and kiosk principal).
        ["GET /api/{documentName}/openapi.json"] = Anyone, ["POST /api/v1/behaviours"] = ApiToken, ["GET /api/v1/recognitions"] = ApiToken,
        ["GET /api/v1/ledger"] = ApiToken, ["GET /api/v1/orders"] = ApiToken,
        ["POST /signout-oidc-backchannel"] = Anyone, // the provider calls it with a signed logout token; see SsoTests
        // SCIM answers only a site's bearer token: no cookie, device or kiosk session passes.
        ["GET /scim/v2/ServiceProviderConfig"] = ScimToken, ["GET /scim/v2/ResourceTypes"] = ScimToken, ["GET /scim/v2/ResourceTypes/{name}"] = ScimToken,
        ["GET /scim/v2/Schemas"] = ScimToken, ["GET /scim/v2/Schemas/{id}"] = ScimToken,
        ["GET /scim/v2/Users"] = ScimToken, ["GET /scim/v2/Users/{id:long}"] = ScimToken, ["POST /scim/v2/Users"] = ScimToken,
        ["PUT /scim/v2/Users/{id:long}"] = ScimToken, ["PATCH /scim/v2/Users/{id:long}"] = ScimToken, ["DELETE /scim/v2/Users/{id:long}"] = ScimToken,
        ["GET /scim/v2/Groups"] = ScimToken, ["GET /scim/v2/Groups/{id:long}"] = ScimToken, ["POST /scim/v2/Groups"] = ScimToken,
        ["PUT /scim/v2/Groups/{id:long}"] = ScimToken, ["PATCH /scim/v2/Groups/{id:long}"] = ScimToken, ["DELETE /scim/v2/Groups/{id:long}"] = ScimToken,
    };

    private const string Anyone = "anyone", Employee = "employee", Supervisor = "supervisor", Admin = "admin", Display = "display",
        Kiosk = "kiosk", KioskAny = "kiosk-any", KioskSession = "kiosk-session", Device = "device", SetupDone = "setup-done",
        StatusPage = "status-page", ToSignIn = "to-sign-in", ScimToken = "scim-token", ApiToken = "api-token";

    /// <summary>The principals every endpoint is called as.</summary>
    private static readonly string[] Principals = ["anonymous", "employee", "supervisor", "admin", "admin-other-site", "display", "kiosk", "kiosk-person"];

    private static bool Allows(string cls, string who) => cls switch
    {
        Anyone => true,
        Employee => who is "employee" or "supervisor" or "admin" or "admin-other-site",
        Supervisor => who is "supervisor" or "admin" or "admin-other-site",
        Admin => who is "admin" or "admin-other-site",
        Display => who is "display",
        Kiosk or KioskAny => who is "kiosk" or "kiosk-person",
        KioskSession => who is "kiosk-person",
        Device => who is "display" or "kiosk" or "kiosk-person",
        _ => throw new ArgumentOutOfRangeException(nameof(cls), cls),
    };

    /// <summary>Objects of site A, named in routes, that the admin of site B must not reach (403 or 404).</summary>
    private Dictionary<string, string> SiteAObjects(long recognition) => new(StringComparer.Ordinal)
    {
        ["GET /People/{id:long}"] = $"/People/{_w.Bob}",
        ["GET /print/certificates/recognition/{id:long}"] = $"/print/certificates/recognition/{recognition}",
        ["GET /Admin/Person"] = $"/Admin/Person?id={_w.Alice}",
        ["GET /Admin/Rewards/Item"] = $"/Admin/Rewards/Item?id={_reward}",
        ["GET /Rewards/Slip"] = $"/Rewards/Slip?id={_order}",
        ["GET /Rewards?handler=Photo"] = $"/Rewards?handler=Photo&id={_reward}",
        ["GET /Admin/Organisation?handler=Sample"] = $"/Admin/Organisation?handler=Sample&site={_w.SiteId}",
        ["GET /Admin/Organisation?handler=Logo"] = $"/Admin/Organisation?handler=Logo&site={_w.SiteId}",
        ["GET /print/praise-cards"] = $"/print/praise-cards?team={_w.TeamA}",
        ["GET /admin/people/{id:long}/export.{format}"] = $"/admin/people/{_w.Alice}/export.json",
        ["GET /admin/people/{id:long}/record.pdf"] = $"/admin/people/{_w.Alice}/record.pdf",
        ["GET /Admin/DataKeeping"] = $"/Admin/DataKeeping?site={_w.SiteId}",
        ["GET /Coaching/{id:long}"] = $"/Coaching/{_w.Alice}",
        ["GET /print/coaching/{id:long}"] = $"/print/coaching/{_w.Alice}",
        ["GET /print/coaching/team/{teamId:long}"] = $"/print/coaching/team/{_w.TeamA}",
    };

    private long _reward, _order;

    private async Task<Dictionary<string, HttpClient>> SignInAllAsync()
    {
        var clients = new Dictionary<string, HttpClient> { ["anonymous"] = Session.Anonymous(_app).Client };
        foreach (var (who, login) in new[] { ("employee", "E2"), ("supervisor", "S1"), ("admin", "A1"), ("admin-other-site", "AB1") })
        {
            clients[who] = (await Session.SignInAsync(_app, login)).Client;
        }
        var display = Session.Anonymous(_app);
        var paired = await display.PostFormAsync("/pair", new() { ["Code"] = await Recognition.Tests.Kiosk.KioskTests.PairCodeAsync(_app, _w, "display") });
        _slug = paired.Headers.Location!.OriginalString.Split('/').Last();
        clients["display"] = display.Client;
        var kiosk = Session.Anonymous(_app);
        await kiosk.PostFormAsync("/pair", new() { ["Code"] = await Recognition.Tests.Kiosk.KioskTests.PairCodeAsync(_app, _w) });
        clients["kiosk"] = kiosk.Client;
        clients["kiosk-person"] = await ResignKioskPersonAsync();
        return clients;
    }

    private string _slug = "";

    private string Url(string route) => System.Text.RegularExpressions.Regex.Replace(route
        .Replace("{id:long}", "1").Replace("{code}", "no-such-code").Replace("{slug}", _slug)
        .Replace("{format}", "json").Replace("{kind}", "recognition").Replace("{token}", "no-such-token").Replace("{kid}", "no-such-key"), @"\{\w+:long\}", "1");

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, string key, string url)
    {
        var method = key.Split(' ')[0];
        if (method == "*") method = url.EndsWith("/negotiate", StringComparison.Ordinal) ? "POST" : "GET";
        return await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), url));
    }

    private static string Outcome(HttpResponseMessage res)
    {
        var location = res.Headers.Location is { IsAbsoluteUri: true } abs ? abs.PathAndQuery : res.Headers.Location?.OriginalString ?? "";
        return res.StatusCode switch
        {
            HttpStatusCode.Forbidden => "403",
            HttpStatusCode.Unauthorized => "401",
            HttpStatusCode.Redirect or HttpStatusCode.Found when location.StartsWith("/Account/SignIn", StringComparison.Ordinal) => "sign-in",
            HttpStatusCode.Redirect when location.StartsWith("/pair", StringComparison.Ordinal) => "pair",
            HttpStatusCode.Redirect when location == "/kiosk" || location.StartsWith("/kiosk?", StringComparison.Ordinal) => "kiosk-idle",
            _ => $"passed ({(int)res.StatusCode})",
        };
    }

    [Fact]
    public async Task Every_principal_gets_the_expected_answer_from_every_endpoint()
    {
        var clients = await SignInAllAsync();
        var recognition = (await _app.Get<Recognition.Web.Features.Recognize.AwardService>().AwardAsync(
            new Recognition.Web.Features.Recognize.AwardCommand(_w.Giver, [_w.Bob], _w.Badges["mentor"], null,
                "你每天下班后多留半小时带新人练习扭矩扳手的校验。", "public", 0, Guid.NewGuid().ToString("N")), _app.Clock.UtcNow)).Id!.Value;
        var scoped = SiteAObjects(recognition);
        var wrong = new List<string>();
        foreach (var (key, cls) in Matrix.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            var route = key[(key.IndexOf(' ') + 1)..];
            var setupAnswers = new HashSet<string>();
            foreach (var who in Principals)
            {
                // The kiosk person is signed out by the idle screen itself (GET /kiosk ends the session): ask it last.
                var url = Url(route);
                var res = await SendAsync(clients[who], key, url);
                var got = Outcome(res);
                if (who == "kiosk-person" && key.StartsWith("GET /kiosk", StringComparison.Ordinal) && !key.StartsWith("GET /kiosk/", StringComparison.Ordinal))
                {
                    clients[who] = await ResignKioskPersonAsync();
                }
                if (cls == SetupDone)
                {
                    setupAnswers.Add(got);
                    continue;
                }
                string expected;
                if (cls == StatusPage) expected = "403";      // the page that explains a refusal answers with its status
                else if (cls == ToSignIn) expected = "sign-in"; // GET /Account/SignOut only points to the sign-in page
                else if (cls is ScimToken or ApiToken) expected = "401"; // nobody here holds a SCIM or integration token
                else if (Allows(cls, who) && cls is Kiosk or KioskAny && got == "kiosk-idle") expected = "kiosk-idle"; // the idle screen or a redirect to it
                else if (Allows(cls, who)) expected = "passed";
                else if (who == "anonymous") expected = cls is Display or Kiosk or KioskAny or KioskSession or Device ? "pair" : "sign-in";
                else if (cls == KioskSession && who == "kiosk") expected = "kiosk-idle"; // a kiosk with nobody signed in shows its idle screen
                else expected = "403";
                if (!got.StartsWith(expected, StringComparison.Ordinal)) wrong.Add($"{key} as {who}: expected {expected}, got {got}");
                if (who == "admin-other-site" && scoped.TryGetValue(key, out var siteAUrl))
                {
                    var cross = await SendAsync(clients[who], key, siteAUrl);
                    if (cross.StatusCode is not (HttpStatusCode.Forbidden or HttpStatusCode.NotFound)) wrong.Add($"{key} as {who} on a site-A object: got {(int)cross.StatusCode}");
                }
            }
            // Setup is finished here: every principal gets the same refusal, and nobody the form.
            if (cls == SetupDone && (setupAnswers.Count != 1 || setupAnswers.Single().StartsWith("passed (200", StringComparison.Ordinal)))
            {
                wrong.Add($"{key}: answers {string.Join(", ", setupAnswers)}");
            }
        }
        Assert.True(wrong.Count == 0, $"{wrong.Count} wrong answers:\n" + string.Join("\n", wrong));
    }

    private async Task<HttpClient> ResignKioskPersonAsync()
    {
        var person = Session.Anonymous(_app);
        await person.PostFormAsync("/pair", new() { ["Code"] = await Recognition.Tests.Kiosk.KioskTests.PairCodeAsync(_app, _w) });
        await person.PostFormAsync("/kiosk?handler=Scan", new() { ["code"] = "B-E1" }, formPage: "/kiosk");
        return person.Client;
    }

    public Task DisposeAsync()
    {
        _app.Dispose();
        return Task.CompletedTask;
    }
}
