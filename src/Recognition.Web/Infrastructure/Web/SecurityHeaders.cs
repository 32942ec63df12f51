namespace Recognition.Web.Infrastructure.Web;

/// <summary>
/// Conservative headers on every response. Scripts and styles only from our own files (no inline script, no inline
/// style: colours from the catalogue are set by script from data-color); connections (htmx, SignalR) only to this origin.
/// </summary>
public sealed class SecurityHeaders(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext ctx)
    {
        var h = ctx.Response.Headers;
        h["X-Content-Type-Options"] = "nosniff";
        h["X-Frame-Options"] = "DENY";
        h["Referrer-Policy"] = "same-origin";
        h["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()";
        h["Content-Security-Policy"] =
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'self'";
        return next(ctx);
    }
}
