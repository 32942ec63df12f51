using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Localization;

namespace Recognition.Web.Infrastructure.Web;

/// <summary>
/// How large a POST to one page may be, and what a person reads when theirs is larger: <paramref name="MessageKey"/> (with
/// <paramref name="Args"/>) in their language, in an element with <paramref name="ElementId"/>, and a link back.
/// </summary>
public sealed record UploadLimit(string Path, long MaxBytes, string ElementId, string MessageKey, params object[] Args);

/// <summary>
/// Every form that takes a file or a public body has a limit, answered before the body is read (or antiforgery buffers it):
/// a friendly 413 page, nothing stored. A body without a length (chunked) is cut off by the server at the same limit.
/// Other requests pass straight on, so no frame of this middleware stays alive under a wall's open connection.
/// </summary>
public static class UploadLimits
{
    /// <summary>Room for multipart boundaries and a form's other fields beside a file of the stated size.</summary>
    public const long FormSlack = 64 * 1024;

    /// <summary>The largest limit: the multipart reader's own limit is set to it, so the guard, not the reader, refuses.</summary>
    public static long Largest(IEnumerable<UploadLimit> limits) => limits.Max(l => l.MaxBytes);

    public static IApplicationBuilder UseUploadLimits(this IApplicationBuilder app, IReadOnlyList<UploadLimit> limits) => app.Use((context, next) =>
    {
        if (!HttpMethods.IsPost(context.Request.Method)) return next(context);
        foreach (var limit in limits)
        {
            if (!context.Request.Path.StartsWithSegments(limit.Path, StringComparison.OrdinalIgnoreCase)) continue;
            if (context.Request.ContentLength > limit.MaxBytes) return RejectAsync(context, limit);
            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } body) body.MaxRequestBodySize = limit.MaxBytes;
            break;
        }
        return next(context);
    });

    private static Task RejectAsync(HttpContext context, UploadLimit limit)
    {
        var L = context.RequestServices.GetRequiredService<IStringLocalizer<SharedResource>>();
        context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
        context.Response.Headers.Connection = "close";
        context.Response.ContentType = "text/html; charset=utf-8";
        var back = context.Request.Headers.Referer.ToString() is { Length: > 0 } r && Uri.TryCreate(r, UriKind.Absolute, out var u) && u.Host == context.Request.Host.Host
            ? u.PathAndQuery : limit.Path;
        return context.Response.WriteAsync(RefusalPage.Html(L["Upload.TooLargeTitle"], limit.ElementId, L[limit.MessageKey, limit.Args], back, L["Upload.Back"]));
    }
}
