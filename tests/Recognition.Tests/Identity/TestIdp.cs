using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Recognition.Tests.Support;

namespace Recognition.Tests.Identity;

/// <summary>
/// A real OpenID Connect provider (npm oidc-provider, tests/idp/idp.js) as its own process on loopback, with one
/// confidential client for the app under test, and a browser-like client that walks the code flow by HTTP.
/// </summary>
public sealed class TestIdp : IAsyncDisposable
{
    public const string ClientId = "recognition-test";
    public const string ClientSecret = "test-client-secret-0123456789";
    private readonly Process _process;
    public string Issuer { get; }

    private readonly System.Text.StringBuilder _log;

    private TestIdp(Process process, string issuer, System.Text.StringBuilder log) => (_process, Issuer, _log) = (process, issuer, log);

    /// <summary>What the provider wrote to its error stream (back-channel failures, server errors), for a failing test's message.</summary>
    public string Log { get { lock (_log) return _log.ToString(); } }

    public static async Task<TestIdp> StartAsync(string appAddress, object accounts)
    {
        var dir = Path.Combine(AppFactory.RepoRoot(), "tests", "idp");
        if (!Directory.Exists(Path.Combine(dir, "node_modules", "oidc-provider")))
        {
            using var npm = Process.Start(new ProcessStartInfo("npm", ["ci", "--no-audit", "--no-fund", "--silent"]) { WorkingDirectory = dir })!;
            await npm.WaitForExitAsync();
        }
        var config = JsonSerializer.Serialize(new
        {
            clients = new[]
            {
                new
                {
                    client_id = ClientId, client_secret = ClientSecret,
                    redirect_uris = new[] { appAddress + "/signin-oidc" },
                    post_logout_redirect_uris = new[] { appAddress + "/Account/SignIn" },
                    backchannel_logout_uri = appAddress + "/signout-oidc-backchannel",
                    backchannel_logout_session_required = true,
                },
            },
            accounts,
        });
        var psi = new ProcessStartInfo("node", ["idp.js", config]) { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true };
        var p = Process.Start(psi)!;
        var log = new System.Text.StringBuilder();
        p.ErrorDataReceived += (_, e) => { if (e.Data is { } line) lock (log) log.AppendLine(line); };
        p.BeginErrorReadLine();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var line = await p.StandardOutput.ReadLineAsync(cts.Token) ?? throw new InvalidOperationException("The test identity provider exited.");
            if (line.StartsWith("listening ", StringComparison.Ordinal)) return new TestIdp(p, line["listening ".Length..].Trim(), log);
        }
    }

    public async Task ModeAsync(string mode)
    {
        using var http = new HttpClient();
        (await http.PostAsync(Issuer + "/__test/mode", new StringContent(JsonSerializer.Serialize(new { mode })))).EnsureSuccessStatusCode();
    }

    /// <summary>A logout token signed with the provider's own key, shaped as the test asks.</summary>
    public async Task<string> LogoutTokenAsync(object shape)
    {
        using var http = new HttpClient();
        var res = await http.PostAsync(Issuer + "/__test/logout-token", new StringContent(JsonSerializer.Serialize(shape)));
        res.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await res.Content.ReadAsStringAsync()).RootElement.GetProperty("logout_token").GetString()!;
    }

    /// <summary>The claims of the last ID token the provider issued.</summary>
    public async Task<JsonElement> LastIdTokenClaimsAsync()
    {
        using var http = new HttpClient();
        var stats = JsonDocument.Parse(await http.GetStringAsync(Issuer + "/__test/stats")).RootElement;
        var payload = stats.GetProperty("lastIdToken").GetString()!.Split('.')[1].Replace('-', '+').Replace('_', '/');
        payload = payload.PadRight(payload.Length + (4 - payload.Length % 4) % 4, '=');
        return JsonDocument.Parse(Convert.FromBase64String(payload)).RootElement;
    }

    public async ValueTask DisposeAsync()
    {
        try { _process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}

/// <summary>A browser by HTTP: cookies per host, redirects followed by hand, the provider's login form answered.</summary>
public sealed class SsoBrowser : IDisposable
{
    public CookieContainer Cookies { get; } = new();
    public HttpClient Http { get; }
    public List<string> Visited { get; } = [];

    public SsoBrowser(string acceptLanguage = "en-US")
    {
        Http = new HttpClient(new HttpClientHandler { CookieContainer = Cookies, AllowAutoRedirect = false, UseCookies = true });
        Http.DefaultRequestHeaders.Add("Accept-Language", acceptLanguage);
    }

    /// <summary>Starts at <paramref name="url"/> and follows redirects; at the provider's login form it signs in as <paramref name="login"/>.</summary>
    public async Task<HttpResponseMessage> WalkAsync(string url, string login, Func<Uri, bool>? stopAt = null)
    {
        var next = new Uri(url);
        for (var hop = 0; hop < 20; hop++)
        {
            Visited.Add(next.ToString());
            if (stopAt?.Invoke(next) == true) return new HttpResponseMessage(HttpStatusCode.OK) { RequestMessage = new HttpRequestMessage(HttpMethod.Get, next) };
            HttpResponseMessage res;
            if (Regex.IsMatch(next.AbsolutePath, "^/interaction/[^/]+$"))
            {
                res = await Http.PostAsync(new Uri(next, next.AbsolutePath + "/login"), new FormUrlEncodedContent(new Dictionary<string, string> { ["login"] = login }));
            }
            else
            {
                res = await Http.GetAsync(next);
            }
            if ((int)res.StatusCode is < 300 or >= 400 || res.Headers.Location is null)
            {
                res.RequestMessage ??= new HttpRequestMessage(HttpMethod.Get, next);
                return res;
            }
            next = res.Headers.Location.IsAbsoluteUri ? res.Headers.Location : new Uri(next, res.Headers.Location);
        }
        throw new InvalidOperationException("Too many redirects: " + string.Join(" → ", Visited));
    }

    public void Dispose() => Http.Dispose();
}
