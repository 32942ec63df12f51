using Htmx;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Recognition.Web.Infrastructure.Runtime;

namespace Recognition.Web.Infrastructure.Web;

public static class WebSetup
{
    public static WebApplicationBuilder AddRecognitionWeb(this WebApplicationBuilder builder)
    {
        builder.Services.AddHostedService<HeapTrim>();
        builder.Services.AddRazorPages(o =>
            {
                o.RootDirectory = "/Features";
                o.Conventions.ConfigureFilter(new AutoValidateAntiforgeryTokenAttribute());
            })
            .AddViewLocalization()
            .AddDataAnnotationsLocalization(o => o.DataAnnotationLocalizerProvider = (_, f) => f.Create(typeof(SharedResource)));
        builder.Services.AddHttpContextAccessor();
        // Below the machine's open-file cap, so overload is refused rather than crashing the process.
        var maxConnections = builder.Configuration.GetValue<long>("Kestrel:MaxConnections", 15_000);
        builder.WebHost.ConfigureKestrel(o =>
        {
            o.Limits.MaxConcurrentConnections = maxConnections;
            o.Limits.MaxConcurrentUpgradedConnections = maxConnections;
        });
        // A socket's send runs where its bytes are written (the hub's transport loop, a page's response) instead of being queued
        // behind other work for Kestrel's I/O queues. Queued, a push to 5,000 walls held one of Kestrel's pinned 4 KB blocks
        // per wall until the queue reached it (~20 MB the pool then keeps); inline, the block goes back at once. Completions
        // still arrive on the thread pool (DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS is not set), so no app code runs on the
        // socket engine's thread. Kestrel:InlineScheduling=false restores Kestrel's default.
        builder.Services.Configure<Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets.SocketTransportOptions>(o =>
            o.UnsafePreferInlineScheduling = builder.Configuration.GetValue("Kestrel:InlineScheduling", true));
        // Chinese text is written as characters, not numeric entities.
        builder.Services.Configure<Microsoft.Extensions.WebEncoders.WebEncoderOptions>(o =>
            o.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));
        builder.Services.Configure<Microsoft.AspNetCore.Http.Features.FormOptions>(o => o.MultipartBodyLengthLimit = 16 * 1024 * 1024); // each form's own limit: UploadLimits
        ConfigureProxies(builder);
        builder.Services.AddSingleton(new PublicUrl(builder.Configuration)); // checked now: a bad address stops the start with one line
        builder.Services.AddHsts(o =>
        {
            o.MaxAge = TimeSpan.FromDays(365);
            o.ExcludedHosts.Clear(); // sent only over https anyway; a plant's server is often reached by an internal name
        });
        return builder;
    }

    /// <summary>
    /// X-Forwarded-For and X-Forwarded-Proto are believed only from the proxies the operator names
    /// (Network:KnownProxies, addresses; Network:KnownNetworks, CIDR ranges). With neither set they are believed from no one:
    /// ASP.NET Core's middleware reads two empty lists as "trust every sender", so then it is not configured at all
    /// (otherwise any client could claim another address, dodging the per-address limits, or claim https).
    /// </summary>
    private static void ConfigureProxies(WebApplicationBuilder builder)
    {
        var proxies = Split(builder.Configuration["Network:KnownProxies"]).Select(p => System.Net.IPAddress.TryParse(p, out var ip) ? ip
            : throw new Data.ConfigurationProblem($"Network:KnownProxies: '{p}' is not an IP address.")).ToList();
        var networks = Split(builder.Configuration["Network:KnownNetworks"]).Select(n => System.Net.IPNetwork.TryParse(n, out var net) ? net
            : throw new Data.ConfigurationProblem($"Network:KnownNetworks: '{n}' is not a CIDR range such as 172.30.0.0/24.")).ToList();
        var trusted = new TrustedProxies(proxies.Count + networks.Count > 0);
        builder.Services.AddSingleton(trusted);
        builder.Services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = trusted.Any ? ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto : ForwardedHeaders.None;
            o.ForwardLimit = 1;
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            proxies.ForEach(o.KnownProxies.Add);
            networks.ForEach(o.KnownIPNetworks.Add);
        });

        static string[] Split(string? s) => (s ?? "").Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    public static WebApplication UseRecognitionWeb(this WebApplication app)
    {
        if (app.Services.GetRequiredService<TrustedProxies>().Any) app.UseForwardedHeaders();
        else if (app.Environment.IsProduction())
        {
            app.Logger.LogWarning("No TLS proxy is configured (Network:KnownProxies / Network:KnownNetworks): X-Forwarded-For and X-Forwarded-Proto " +
                "are believed from no one, so behind a proxy every request looks like plain http from the proxy's address. Name the proxy's address or network.");
        }
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/Error");
            app.UseHsts();
        }
        app.UseMiddleware<SecurityHeaders>();
        // A page asked for (GET) that answers a bodiless 4xx/5xx — 403 for a signed-in person without the right, 404 … — shows
        // /Account/Denied in the reader's language, keeping its status. Posts, htmx and API calls keep the bare status.
        app.UseStatusCodePages(ShowStatusPageAsync);
        app.UseStaticFiles();
        app.UseRouting();
        app.UseAuthentication();
        app.UseRequestLocalization();
        app.UseMiddleware<HttpsOnly>();
        app.UseAuthorization();
        app.MapRazorPages();
        return app;
    }

    private static async Task ShowStatusPageAsync(Microsoft.AspNetCore.Diagnostics.StatusCodeContext sc)
    {
        var http = sc.HttpContext;
        if (!HttpMethods.IsGet(http.Request.Method) || http.Request.IsHtmx() || http.Request.Path.StartsWithSegments("/hubs")) return;
        var (path, query, endpoint) = (http.Request.Path, http.Request.QueryString, http.GetEndpoint());
        http.Features.Set<Microsoft.AspNetCore.Diagnostics.IStatusCodeReExecuteFeature>(new Microsoft.AspNetCore.Diagnostics.StatusCodeReExecuteFeature
        {
            OriginalPath = path, OriginalQueryString = query.Value, OriginalPathBase = http.Request.PathBase, Endpoint = endpoint,
        });
        http.SetEndpoint(null);
        http.Request.RouteValues.Clear();
        http.Request.Path = "/Account/Denied";
        http.Request.QueryString = QueryString.Empty;
        try
        {
            await sc.Next(http);
        }
        finally
        {
            http.Request.Path = path;
            http.Request.QueryString = query;
            http.Features.Set<Microsoft.AspNetCore.Diagnostics.IStatusCodeReExecuteFeature>(null);
        }
    }

    /// <summary>Whether the operator named any proxy whose forwarded headers are believed.</summary>
    public sealed record TrustedProxies(bool Any);

    /// <summary>htmx requests get the partial, others the full page; the response varies on HX-Request.</summary>
    public static IActionResult PageOrPartial(this PageModel page, string partial, object? model = null)
    {
        page.Response.Htmx(h => h.WithVary());
        return page.Request.IsHtmx() ? page.Partial(partial, model ?? page) : page.Page();
    }
}
