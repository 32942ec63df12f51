using System.Net;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Recognition.Tests.Support;

/// <summary>A signed-in (or anonymous) browser-like client: keeps cookies, reads antiforgery tokens from forms.</summary>
public sealed class Session(HttpClient client, ServerErrors errors)
{
    public HttpClient Client { get; } = client;

    public static Session Anonymous(AppFactory app, string acceptLanguage = "zh-CN")
    {
        var c = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        c.DefaultRequestHeaders.Add("Accept-Language", acceptLanguage);
        return new Session(c, app.Errors);
    }

    public static async Task<Session> SignInAsync(AppFactory app, string login, string password = World.Password, string acceptLanguage = "zh-CN")
    {
        var s = Anonymous(app, acceptLanguage);
        var res = await s.PostFormAsync("/Account/SignIn", new() { ["Login"] = login, ["Password"] = password });
        Assert.Equal(HttpStatusCode.Redirect, res.StatusCode);
        return s;
    }

    public async Task<IHtmlDocument> GetDocAsync(string url)
    {
        var res = await Client.GetAsync(url);
        var html = await res.Content.ReadAsStringAsync();
        Assert.True(res.IsSuccessStatusCode, $"GET {url} → {(int)res.StatusCode}: " + ((int)res.StatusCode >= 500
            ? $"the app logged:\n{errors.Describe()}" : html[..Math.Min(html.Length, 400)]));
        return new HtmlParser().ParseDocument(html);
    }

    /// <summary>Loads <paramref name="formPage"/> (default: the same URL), copies its antiforgery token and hidden fields, posts the form.</summary>
    public async Task<HttpResponseMessage> PostFormAsync(string url, Dictionary<string, string> fields, string? formPage = null, IEnumerable<KeyValuePair<string, string>>? extra = null)
    {
        var doc = await GetDocAsync(formPage ?? url.Split('?')[0]);
        var all = new List<KeyValuePair<string, string>>();
        foreach (var hidden in doc.QuerySelectorAll("form input[type=hidden]").OfType<IHtmlInputElement>())
        {
            if (!fields.ContainsKey(hidden.Name!) && !all.Any(kv => kv.Key == hidden.Name)) all.Add(new(hidden.Name!, hidden.Value));
        }
        all.AddRange(fields);
        if (extra is not null) all.AddRange(extra);
        return await Client.PostAsync(url, new FormUrlEncodedContent(all));
    }

    /// <summary>Posts a file upload form the way a browser does: multipart, with the page's antiforgery token and hidden fields.</summary>
    public async Task<HttpResponseMessage> PostFileAsync(string url, string formPage, string fileField, string fileName, byte[] bytes, Dictionary<string, string>? fields = null)
    {
        var doc = await GetDocAsync(formPage);
        var content = new MultipartFormDataContent();
        foreach (var hidden in doc.QuerySelectorAll("form input[type=hidden]").OfType<IHtmlInputElement>().DistinctBy(h => h.Name))
        {
            if (fields?.ContainsKey(hidden.Name!) != true) content.Add(new StringContent(hidden.Value), hidden.Name!);
        }
        foreach (var kv in fields ?? []) content.Add(new StringContent(kv.Value), kv.Key);
        content.Add(new ByteArrayContent(bytes), fileField, fileName);
        return await Client.PostAsync(url, content);
    }

    public static async Task<IHtmlDocument> Doc(HttpResponseMessage res) => new HtmlParser().ParseDocument(await res.Content.ReadAsStringAsync());
}
