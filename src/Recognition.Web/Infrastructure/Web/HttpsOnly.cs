using Microsoft.Extensions.Localization;

namespace Recognition.Web.Infrastructure.Web;

/// <summary>
/// Where cookies are always Secure (outside Development), a plain-http request past the TLS proxy would only fail
/// deeper down (antiforgery refuses it with a 500). It gets a clear 400 instead, in the reader's language. /healthz
/// stays reachable over http for the container's own health check.
/// </summary>
public sealed class HttpsOnly(RequestDelegate next, CookieRules cookies, IStringLocalizer<SharedResource> L)
{
    public Task InvokeAsync(HttpContext ctx)
    {
        if (!cookies.Always || ctx.Request.IsHttps || ctx.Request.Path.StartsWithSegments("/healthz")) return next(ctx);
        ctx.Response.StatusCode = StatusCodes.Status400BadRequest;
        ctx.Response.ContentType = "text/plain; charset=utf-8";
        return ctx.Response.WriteAsync(L["Transport.HttpsOnly"]);
    }
}
