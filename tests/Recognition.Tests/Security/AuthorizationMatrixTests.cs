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
public sealed partial class AuthorizationMatrixTests : IAsyncLifetime
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
