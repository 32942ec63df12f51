using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.Html;

namespace Recognition.Web.Infrastructure.Web;

/// <summary>
/// The shipped icon set (wwwroot/icons/badges.svg, Lucide, ISC licence; built by tools/icons): a badge stores an icon's
/// name, pages draw it from the sprite in the badge's colour, the certificate PDF draws the same paths. The sprite's
/// address carries a hash of its content, so a wall that has run for months fetches a new set after an upgrade.
/// </summary>
public static class BadgeIcons
{
    /// <summary>What a badge without an icon, or a recognition without a badge, shows.</summary>
    public const string Fallback = "award";

    /// <summary>The one-character icons badges had before the icon set, and the icon each became (migration 0022 and old catalogue files).</summary>
    public static readonly IReadOnlyDictionary<string, string> Legacy = new Dictionary<string, string>
    {
        ["安"] = "shield-check", ["客"] = "handshake", ["协"] = "users", ["导"] = "graduation-cap", ["创"] = "lightbulb", ["卓"] = "trophy",
        ["哨"] = "shield-alert", ["师"] = "medal", ["学"] = "book-open", ["质"] = "badge-check", ["效"] = "zap", ["心"] = "heart",
        ["★"] = "star", ["✓"] = "check", ["♥"] = "heart", ["☀"] = "sun",
    };

    private static readonly Lazy<(Dictionary<string, XElement> Symbols, string Version)> Set = new(Load);

    public static IReadOnlyCollection<string> Names => Set.Value.Symbols.Keys;

    public static string Href(string name) => $"/icons/badges.svg?v={Set.Value.Version}#{name}";

    /// <summary>The stored icon's name; a known old character becomes its icon; anything else is not an icon (null).</summary>
    public static string? Normalize(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        var v = value.Trim();
        if (Set.Value.Symbols.ContainsKey(v)) return v;
        return Legacy.TryGetValue(v, out var name) ? name : null;
    }

    /// <summary>The icon's symbol (its 24×24 drawing), the fallback's for an unknown name.</summary>
    public static XElement Symbol(string? name) => Set.Value.Symbols[Normalize(name) ?? Fallback];

    /// <summary>An inline SVG that draws the icon from the sprite in the surrounding text colour; decorative (the badge's name is beside it).</summary>
    public static IHtmlContent Html(string? name) => new HtmlString(Markup(name));

    public static string Markup(string? name) =>
        "<svg class=\"icon\" viewBox=\"0 0 24 24\" fill=\"none\" stroke=\"currentColor\" stroke-width=\"2\" stroke-linecap=\"round\" stroke-linejoin=\"round\" aria-hidden=\"true\" focusable=\"false\"><use href=\""
        + Href(Normalize(name) ?? Fallback) + "\"></use></svg>";

    private static (Dictionary<string, XElement>, string) Load()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("badges.svg")
            ?? throw new InvalidOperationException("the icon sprite badges.svg is not embedded");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var text = reader.ReadToEnd();
        var doc = XDocument.Parse(text);
        var symbols = doc.Root!.Elements().Where(e => e.Name.LocalName == "symbol")
            .ToDictionary(e => (string)e.Attribute("id")!, e => e, StringComparer.Ordinal);
        var version = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..10];
        return (symbols, version);
    }
}
