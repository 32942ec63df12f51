using System.Net;
using System.Text.RegularExpressions;

namespace Recognition.Bench;

/// <summary>A browser-like HTTP client for the benchmarks: cookies, antiforgery tokens read from the page.</summary>
public sealed partial class WebClient(string baseUrl, string? deviceToken = null) : IDisposable
{
    private readonly CookieContainer _cookies = CreateCookies(baseUrl, deviceToken);
    private HttpClient? _http;
    public HttpClient Http => _http ??= new HttpClient(new HttpClientHandler { CookieContainer = _cookies, AllowAutoRedirect = false }) { BaseAddress = new Uri(baseUrl) };

    private static CookieContainer CreateCookies(string baseUrl, string? deviceToken)
    {
        var c = new CookieContainer();
        if (deviceToken is not null) c.Add(new Uri(baseUrl), new Cookie("recognition.device", deviceToken));
        return c;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();

    [GeneratedRegex("name=\"IdempotencyKey\" value=\"([^\"]+)\"")]
    private static partial Regex KeyPattern();

    public async Task<(string Html, string? Token, string? Key)> GetAsync(string url)
    {
        var res = await Http.GetAsync(url);
        var html = await res.Content.ReadAsStringAsync();
        if (!res.IsSuccessStatusCode) throw new InvalidOperationException($"GET {url} → {(int)res.StatusCode}");
        return (html, TokenPattern().Match(html) is { Success: true } t ? t.Groups[1].Value : null, KeyPattern().Match(html) is { Success: true } k ? k.Groups[1].Value : null);
    }

    public async Task<HttpResponseMessage> PostAsync(string url, string token, Dictionary<string, string> fields)
    {
        fields["__RequestVerificationToken"] = token;
        return await Http.PostAsync(url, new FormUrlEncodedContent(fields));
    }

    public async Task SignInAsync(string login, string password)
    {
        var (_, token, _) = await GetAsync("/Account/SignIn");
        var res = await PostAsync("/Account/SignIn", token!, new() { ["Login"] = login, ["Password"] = password });
        if (res.StatusCode != HttpStatusCode.Redirect) throw new InvalidOperationException("sign-in failed");
    }

    /// <summary>The cookies a browser would send (for a SignalR client holding this person's hub connection).</summary>
    public string CookieHeader => _cookies.GetCookieHeader(new Uri(baseUrl));

    public void Dispose() => _http?.Dispose();
}
