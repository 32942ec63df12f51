using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using Recognition.Tests.Support;
using Recognition.Web.Features.Praise;

namespace Recognition.Tests.Security;

/// <summary>
/// Forged X-Forwarded-For / X-Forwarded-Proto from a client that is not a named proxy, on the app's real port, from 127.0.0.7:
/// with no proxy configured (believed from no one) and with another address named as the proxy.
/// </summary>
public sealed class ForwardedHeadersTests
{
    private const string ClientAddress = "127.0.0.7";

    private static HttpClient Client(string baseAddress) => new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        UseCookies = true,
        ConnectCallback = async (ctx, ct) =>
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(IPAddress.Parse(ClientAddress), 0));
            await socket.ConnectAsync(ctx.DnsEndPoint, ct);
            return new NetworkStream(socket, ownsSocket: true);
        },
    })
    { BaseAddress = new Uri(baseAddress) };

    private static Dictionary<string, string?> Settings(string? proxy, bool secureOnly) => new()
    {
        ["Security:AllowInsecureCookies"] = secureOnly ? "false" : "true",
        ["Network:KnownProxies"] = proxy,
        ["Security:SignInFailuresPerAddress"] = "6",
        ["Security:SignInFailuresPerLogin"] = "50",
    };

    private static HttpRequestMessage Forged(HttpMethod method, string url, int i, HttpContent? content = null)
    {
        var req = new HttpRequestMessage(method, url) { Content = content };
        req.Headers.Add("X-Forwarded-For", $"203.0.113.{i % 250 + 1}");
        req.Headers.Add("X-Forwarded-Proto", "https");
        req.Headers.Add("Accept-Language", "en-US");
        return req;
    }

    [Theory]
    [InlineData(null)]
    [InlineData("127.0.0.1")]
    public async Task A_forged_https_claim_from_a_client_that_is_not_the_proxy_is_not_believed(string? proxy)
    {
        using var app = new AppFactory(Settings(proxy, secureOnly: true), realPort: true);
        await World.CreateAsync(app);
        using var client = Client(app.ServerAddress);
        var res = await client.SendAsync(Forged(HttpMethod.Get, "/Account/SignIn", 1));
        Assert.Equal(HttpStatusCode.BadRequest, res.StatusCode);
        Assert.Contains("only over https", await res.Content.ReadAsStringAsync());
        Assert.False(res.Headers.Contains("Strict-Transport-Security"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("127.0.0.1")]
    public async Task A_new_forged_address_per_attempt_neither_reaches_the_audit_log_nor_escapes_the_per_address_limits(string? proxy)
    {
        using var app = new AppFactory(Settings(proxy, secureOnly: false), realPort: true);
        var w = await World.CreateAsync(app);
        using var client = Client(app.ServerAddress);
        var page = await client.GetStringAsync("/Account/SignIn");
        var token = Regex.Match(page, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
        var codes = new List<HttpStatusCode>();
        for (var i = 0; i < 9; i++)
        {
            var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["Login"] = $"E{i % 3 + 1}", ["Password"] = $"wrong-{i}", ["__RequestVerificationToken"] = token });
            codes.Add((await client.SendAsync(Forged(HttpMethod.Post, "/Account/SignIn", i, form))).StatusCode);
        }
        Assert.Equal(6, codes.Count(c => c == HttpStatusCode.OK)); // the per-address limit (6) counts the real address
        Assert.Equal(3, codes.Count(c => c == HttpStatusCode.TooManyRequests));
        var ips = await DbProbe.QueryAsync<string?>(app.Db, "SELECT ip FROM audit_log WHERE action = 'signin.failed'");
        Assert.Equal(6, ips.Count);
        Assert.All(ips, ip => Assert.Equal(ClientAddress, ip));

        // The public praise form's per-address limit bites the same way.
        var code = await app.Get<PraiseCodes>().EnsureCodeAsync(w.SiteId, "team", w.TeamA, app.Clock.UtcNow);
        var doc = new HtmlParser().ParseDocument(await client.GetStringAsync($"/thanks/{code}"));
        var hidden = doc.QuerySelectorAll("#thanks-form input[type=hidden]").OfType<IHtmlInputElement>().Select(h => new KeyValuePair<string, string>(h.Name!, h.Value)).ToList();
        app.Clock.Advance(TimeSpan.FromSeconds(30));
        var praise = new List<HttpStatusCode>();
        for (var i = 0; i < PraiseLimits.PerAddress + 3; i++)
        {
            var fields = new List<KeyValuePair<string, string>>(hidden) { new("Who", "team"), new("Message", $"周五晚上你们加急帮我们改了包装，货物准时送到了客户手里，非常感谢！第 {i} 次。") };
            praise.Add((await client.SendAsync(Forged(HttpMethod.Post, $"/thanks/{code}", i, new FormUrlEncodedContent(fields)))).StatusCode);
        }
        Assert.Equal(PraiseLimits.PerAddress, praise.Count(c => c == HttpStatusCode.Redirect));
        Assert.Equal(3, praise.Count(c => c == HttpStatusCode.TooManyRequests));
    }
}
