using System.Net;

namespace Recognition.Web.Infrastructure.Web;

/// <summary>
/// A small, self-contained page for refusals that happen before a page can be rendered (a body too large, the public
/// form's abuse limits): the title, the message in an element tests and people can find, and an optional link back.
/// </summary>
public static class RefusalPage
{
    public static string Html(string title, string elementId, string message, string? backHref = null, string? backText = null)
    {
        static string H(string s) => WebUtility.HtmlEncode(s);
        var back = backHref is null ? "" : $"<p><a href=\"{H(backHref)}\">{H(backText ?? backHref)}</a></p>";
        return $"<!doctype html><html lang=\"{H(System.Globalization.CultureInfo.CurrentUICulture.Name)}\"><head><meta charset=\"utf-8\">" +
            $"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{H(title)}</title><link rel=\"stylesheet\" href=\"/css/site.css\"></head>" +
            $"<body><main><section class=\"card narrow\"><h1>{H(title)}</h1><p class=\"error\" role=\"alert\" id=\"{H(elementId)}\">{H(message)}</p>" +
            back + "</section></main></body></html>";
    }
}
