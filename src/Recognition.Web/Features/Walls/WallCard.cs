using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using Recognition.Web.Infrastructure.Localization;
using Recognition.Web.Infrastructure.Web;

namespace Recognition.Web.Features.Walls;

/// <summary>
/// One wall card's HTML, built in code so the page snapshot, the live push and the catch-up endpoint
/// send identical markup, and the relay can render each event once per language for every wall.
/// </summary>
public static class WallCard
{
    private static readonly HtmlEncoder Enc = HtmlEncoder.Create(System.Text.Unicode.UnicodeRanges.All);

    public static string Render(FeedCard c, string culture)
    {
        var zh = Bilingual.IsChineseCulture(culture);
        string Pick(string? z, string? e) => Bilingual.Pick(z, e, zh);
        var sb = new StringBuilder(512);
        sb.Append("<article class=\"wcard\" id=\"w-").Append(c.Id.ToString(CultureInfo.InvariantCulture)).Append("\" data-id=\"").Append(c.Id.ToString(CultureInfo.InvariantCulture)).Append("\">");
        sb.Append("<div class=\"wicon\" data-color=\"").Append(Enc.Encode(c.BadgeColor ?? "#5b6b7a")).Append("\">").Append(BadgeIcons.Markup(c.BadgeIcon)).Append("</div>");
        sb.Append("<div class=\"wbody\"><div class=\"wto\">");
        sb.Append(Enc.Encode(string.Join(zh ? "、" : ", ", c.RecipientDetails.Select(p => Pick(p.NameZh, p.NameEn)))));
        sb.Append("</div><div class=\"wbadge\">");
        if (c.BadgeZh is not null) sb.Append(Enc.Encode(Pick(c.BadgeZh, c.BadgeEn)));
        if (c.ValueZh is not null) sb.Append(" <span class=\"wvalue\">").Append(Enc.Encode(Pick(c.ValueZh, c.ValueEn))).Append("</span>");
        if (c.FromCustomer) sb.Append(" <span class=\"wcustomer\">").Append(Enc.Encode(Texts.In(culture, "Praise.Tag"))).Append("</span>");
        sb.Append("</div><p class=\"wmsg\">").Append(Enc.Encode(c.Message)).Append("</p>");
        // Customer praise is from the customer (their company, if they gave one), never from the supervisor who approved it.
        var from = c.FromCustomer
            ? Texts.In(culture, "Praise.FromCustomer") + (c.ExternalFrom is null ? "" : $" ({c.ExternalFrom})")
            : Texts.In(culture, "Feed.From", Pick(c.GiverZh, c.GiverEn));
        sb.Append("<div class=\"wmeta\">").Append(Enc.Encode(from))
          .Append(" · <time class=\"wtime\" datetime=\"").Append(DateTime.SpecifyKind(c.CreatedUtc, DateTimeKind.Utc).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture))
          .Append("\" data-tz=\"").Append(Enc.Encode(c.TimeZone)).Append("\">")
          // With its date: the wall's script turns this into "today 21:40" / "yesterday 21:40" in the site's time zone.
          .Append(Enc.Encode(SiteTime.ToLocal(c.CreatedUtc, c.TimeZone).ToString(zh ? "M月d日 HH:mm" : "MMM d HH:mm", CultureInfo.InvariantCulture)))
          .Append("</time></div>");
        // Reaction counts, updated in place by the relay's "reactions" messages; never comments, never who reacted.
        sb.Append("<div class=\"wreacts\">").Append(Social.Reactions.Strip(c.ReactionCounts, culture)).Append("</div>");
        sb.Append("</div></article>");
        return sb.ToString();
    }
}
