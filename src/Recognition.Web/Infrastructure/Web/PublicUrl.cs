namespace Recognition.Web.Infrastructure.Web;

/// <summary>
/// The address people open — the TLS proxy's, e.g. https://recognition.plant.example — from the PublicUrl setting
/// (App:PublicBaseUrl is read as its older name). Used wherever an address leaves the app: the first-run line, QR codes,
/// printed cards and letters. Unset, a request's own origin is used, and the first-run line says so.
/// </summary>
public sealed class PublicUrl
{
    public string? Value { get; }

    public PublicUrl(IConfiguration config)
    {
        var raw = config["PublicUrl"] is { Length: > 0 } p ? p : config["App:PublicBaseUrl"];
        if (string.IsNullOrWhiteSpace(raw)) return;
        if (!Uri.TryCreate(raw.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") || uri.Query.Length > 0 || uri.Fragment.Length > 0)
        {
            throw new Data.ConfigurationProblem($"PublicUrl: '{raw}' is not an address such as https://recognition.example.com (http or https, no query).");
        }
        Value = uri.GetLeftPart(UriPartial.Path).TrimEnd('/');
    }

    /// <summary>The configured address, else this request's origin.</summary>
    public string For(HttpContext ctx) => Value ?? $"{ctx.Request.Scheme}://{ctx.Request.Host}";

    /// <summary>The base address for links and QR codes built during a request: PublicUrl, else the request's own origin.</summary>
    public static string Base(HttpContext ctx) => ctx.RequestServices.GetRequiredService<PublicUrl>().For(ctx).TrimEnd('/');
}
