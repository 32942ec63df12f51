using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.Extensions.Localization;

namespace Recognition.Web.Features.Walls;

/// <summary>
/// The wall's side panel (today's numbers and the four leaderboards) as HTML, built in code like <see cref="WallCard"/>:
/// the page, the catch-up and the pushed updates send identical markup, rendered once per group and language.
/// </summary>
public static class BoardsHtml
{
    private static readonly HtmlEncoder Enc = HtmlEncoder.Create(System.Text.Unicode.UnicodeRanges.All);

    public static string Render(WallBoards b, string culture, IStringLocalizer L)
    {
        var previous = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(culture);
        try
        {
            var sb = new StringBuilder(2048);
            sb.Append("<div class=\"stats-row\">");
            Stat(sb, "stat-today", b.RecognitionsToday, L["Wall.Today"]);
            Stat(sb, "stat-hazards", b.HazardReportsWeek, L["Wall.Hazards"]);
            sb.Append("</div>");
            Board(sb, "teams-week", L["Wall.TeamsWeek"], b.TeamsWeek.Take(5));
            Board(sb, "teams-month", L["Wall.TeamsMonth"], b.TeamsMonth.Take(5));
            Board(sb, "people-week", L["Wall.PeopleWeek"], b.PeopleWeek.Take(8));
            Board(sb, "people-month", L["Wall.PeopleMonth"], b.PeopleMonth.Take(8));
            return sb.ToString();
        }
        finally
        {
            CultureInfo.CurrentUICulture = previous;
        }
    }

    private static void Stat(StringBuilder sb, string id, int value, string label) =>
        sb.Append("<div class=\"wstat\"><span class=\"big\" id=\"").Append(id).Append("\">").Append(value.ToString(CultureInfo.InvariantCulture))
          .Append("</span><span>").Append(Enc.Encode(label)).Append("</span></div>");

    private static void Board(StringBuilder sb, string id, string title, IEnumerable<BoardRow> rows)
    {
        sb.Append("<section class=\"board\" id=\"").Append(id).Append("\"><h2>").Append(Enc.Encode(title)).Append("</h2><ol>");
        var rank = 0;
        foreach (var r in rows)
        {
            sb.Append("<li data-id=\"").Append(r.Id.ToString(CultureInfo.InvariantCulture)).Append("\"><span class=\"brank\">")
              .Append((++rank).ToString(CultureInfo.InvariantCulture)).Append("</span><span class=\"bname\">").Append(Enc.Encode(r.Name))
              .Append("</span><span class=\"bpts\">").Append(r.Points.ToString(CultureInfo.InvariantCulture)).Append("</span></li>");
        }
        sb.Append("</ol></section>");
    }
}
