using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Recognition.Tests.Support;

namespace Recognition.Tests.Foundation;

/// <summary>Debian's nginx on loopback (CI installs it); locally without it the tests show as skipped, in CI they run.</summary>
public sealed class NginxFactAttribute : FactAttribute
{
    public NginxFactAttribute()
    {
        if (!File.Exists(NginxProxy.Binary) && Environment.GetEnvironmentVariable("CI") != "true")
        {
            Skip = $"Proxy test: {NginxProxy.Binary} not found (apt-get install -y nginx openssl).";
        }
    }
}

/// <summary>
/// The app behind the nginx configuration the compose file ships (deploy/nginx/recognition.conf), with a fresh
/// self-signed certificate, on loopback. The client connects from 127.0.0.7 so its address differs from the proxy's.
/// </summary>
public sealed class TransportTests : IAsyncLifetime
{
    private const string ClientAddress = "127.0.0.7";
    private readonly AppFactory _app = new(new()
    {
        ["Security:AllowInsecureCookies"] = "false",
        ["Network:KnownProxies"] = "127.0.0.1",
    }, realPort: true);
    private NginxProxy _proxy = null!;

    public async Task InitializeAsync()
    {
        await World.CreateAsync(_app);
        _proxy = await NginxProxy.StartAsync(_app.ServerAddress, Path.Combine(_app.DataDir, "nginx"));
    }

    private static HttpClient Client(string? baseAddress) => new(new SocketsHttpHandler
    {
        UseCookies = false,
        AllowAutoRedirect = false,
        SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true }, // the test's own self-signed certificate
        ConnectCallback = async (ctx, ct) =>
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(IPAddress.Parse(ClientAddress), 0));
            await socket.ConnectAsync(ctx.DnsEndPoint, ct);
            return new NetworkStream(socket, ownsSocket: true);
        },
    })
    { BaseAddress = baseAddress is null ? null : new Uri(baseAddress) };

    private static async Task<(string Cookie, string Token)> FormAsync(HttpClient client)
    {
        var page = await client.GetAsync("/Account/SignIn");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var cookie = page.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("recognition.af=", StringComparison.Ordinal));
        Assert.Contains("; secure", cookie, StringComparison.OrdinalIgnoreCase);
        var token = Regex.Match(await page.Content.ReadAsStringAsync(), "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
        return (cookie.Split(';')[0], token);
    }

    private static async Task<HttpResponseMessage> SignInAsync(HttpClient client, string password, Dictionary<string, string>? headers = null)
    {
        var (cookie, token) = await FormAsync(client);
        var req = new HttpRequestMessage(HttpMethod.Post, "/Account/SignIn")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["Login"] = "E1", ["Password"] = password, ["__RequestVerificationToken"] = token }),
        };
        req.Headers.Add("Cookie", cookie);
        foreach (var h in headers ?? []) req.Headers.Add(h.Key, h.Value);
        return await client.SendAsync(req);
    }

    private Task<string?> LastIpAsync(string action) =>
        DbProbe.ScalarAsync<string?>(_app.Db, "SELECT ip FROM audit_log WHERE action = @action ORDER BY id DESC", new { action });

    [NginxFact]
    public async Task Behind_the_tls_proxy_the_app_sees_https_and_the_client_address_and_cookies_are_secure()
    {
        using var client = Client(_proxy.HttpsAddress);
        var page = await client.GetAsync("/Account/SignIn");
        Assert.Equal("max-age=31536000", page.Headers.GetValues("Strict-Transport-Security").Single());

        var res = await SignInAsync(client, World.Password);
        Assert.Equal(HttpStatusCode.Redirect, res.StatusCode);
        var auth = res.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("recognition.auth=", StringComparison.Ordinal));
        Assert.Contains("; secure", auth, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("; httponly", auth, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(ClientAddress, await LastIpAsync("signin.ok"));

        using var plain = Client(_proxy.HttpAddress);
        var redirect = await plain.GetAsync("/Account/SignIn?x=1");
        Assert.Equal(HttpStatusCode.MovedPermanently, redirect.StatusCode);
        Assert.StartsWith("https://", redirect.Headers.Location!.OriginalString);
    }

    [NginxFact]
    public async Task On_a_port_other_than_443_the_app_s_redirects_keep_the_port()
    {
        Assert.NotEqual(443, new Uri(_proxy.HttpsAddress).Port); // the shipped config, moved to another port (a free one: 44301 is not 443)
        using var client = Client(_proxy.HttpsAddress);
        var res = await client.GetAsync("/Me");
        Assert.Equal(HttpStatusCode.Redirect, res.StatusCode);
        var location = res.Headers.Location!;
        var absolute = location.IsAbsoluteUri ? location : new Uri(new Uri(_proxy.HttpsAddress), location);
        Assert.Equal(new Uri(_proxy.HttpsAddress).Port, absolute.Port);
        Assert.Equal("/Account/SignIn", absolute.AbsolutePath);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(absolute.PathAndQuery)).StatusCode);
    }

    [NginxFact]
    public async Task Forwarded_headers_from_anyone_but_the_proxy_are_ignored()
    {
        // A client past the proxy claims to be the proxy's https client at another address: neither is believed, and
        // plain http gets a clear refusal (were either header believed, this would be the sign-in page).
        using var direct = Client(_app.ServerAddress);
        var req = new HttpRequestMessage(HttpMethod.Get, "/Account/SignIn");
        req.Headers.Add("X-Forwarded-For", "203.0.113.9");
        req.Headers.Add("X-Forwarded-Proto", "https");
        req.Headers.Add("Accept-Language", "en-US");
        var res = await direct.SendAsync(req);
        Assert.Equal(HttpStatusCode.BadRequest, res.StatusCode);
        Assert.Contains("only over https", await res.Content.ReadAsStringAsync());
        Assert.False(res.Headers.Contains("Strict-Transport-Security"));
        Assert.Equal(HttpStatusCode.OK, (await direct.GetAsync("/healthz")).StatusCode); // the container's health check still works
    }

    public async Task DisposeAsync()
    {
        await _proxy.DisposeAsync();
        _app.Dispose();
    }
}

/// <summary>nginx with the shipped server blocks, pointed at the test's app and ports.</summary>
public sealed class NginxProxy : IAsyncDisposable
{
    public const string Binary = "/usr/sbin/nginx";
    private readonly Process _process;
    public string HttpsAddress { get; }
    public string HttpAddress { get; }

    private NginxProxy(Process process, int https, int http)
    {
        _process = process;
        HttpsAddress = $"https://127.0.0.1:{https}";
        HttpAddress = $"http://127.0.0.1:{http}";
    }

    public static async Task<NginxProxy> StartAsync(string upstream, string dir)
    {
        Directory.CreateDirectory(dir);
        var temp = Directory.CreateDirectory(Path.Combine(dir, "temp")).FullName;
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(temp, (UnixFileMode)0x1FF); // workers may run as nobody
        await RunAsync("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
            "-keyout", Path.Combine(dir, "privkey.pem"), "-out", Path.Combine(dir, "fullchain.pem"));
        var (https, http) = (FreePort(), FreePort());
        var shipped = await File.ReadAllTextAsync(Path.Combine(AppFactory.RepoRoot(), "deploy", "nginx", "recognition.conf"));
        var site = shipped
            .Replace("http://app:8080", upstream.TrimEnd('/'))
            .Replace("listen 443 ssl;", $"listen 127.0.0.1:{https} ssl;")
            .Replace("listen 80;", $"listen 127.0.0.1:{http};")
            .Replace("/etc/nginx/tls/", dir + "/");
        Assert.Contains(upstream.TrimEnd('/'), site); // the shipped file still has the lines this test rewrites
        Assert.Contains($"127.0.0.1:{https} ssl", site);
        await File.WriteAllTextAsync(Path.Combine(dir, "site.conf"), site);
        await File.WriteAllTextAsync(Path.Combine(dir, "nginx.conf"), $$"""
            worker_processes 1;
            pid {{dir}}/nginx.pid;
            error_log {{dir}}/error.log warn;
            events { worker_connections 256; }
            http {
                access_log off;
                client_body_temp_path {{temp}}/body;
                proxy_temp_path {{temp}}/proxy;
                fastcgi_temp_path {{temp}}/fastcgi;
                uwsgi_temp_path {{temp}}/uwsgi;
                scgi_temp_path {{temp}}/scgi;
                include {{dir}}/site.conf;
            }
            """);
        var psi = new ProcessStartInfo(Binary, ["-p", dir, "-c", Path.Combine(dir, "nginx.conf"), "-g", "daemon off;"]) { RedirectStandardError = true };
        var p = Process.Start(psi)!;
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, https);
                break;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !p.HasExited)
            {
                await Task.Delay(100);
            }
        }
        return new NginxProxy(p, https, http);
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    private static async Task RunAsync(string file, params string[] args)
    {
        using var p = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardError = true, RedirectStandardOutput = true })!;
        var err = p.StandardError.ReadToEndAsync();
        await p.StandardOutput.ReadToEndAsync();
        await p.WaitForExitAsync();
        Assert.True(p.ExitCode == 0, $"{file}: {await err}");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
