using System.Globalization;
using System.Net;
using System.Text;

namespace Recognition.Web.Features.Insights;

/// <summary>
/// Server-rendered SVG: no script, no inline styles (the CSP), readable without colour — every heatmap cell carries its
/// number as a title and a text label when there is room, suppressed cells are hatched, and each chart has its data table
/// next to it on the page.
/// </summary>
public static class Charts
{
    private static string N(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);
    private static string E(string s) => WebUtility.HtmlEncode(s);

    /// <summary>An ISO week (yyyyww) as the date its Monday falls on ("11-03"), which people read more easily than "W45".</summary>
    public static string WeekLabel(int week) =>
        ISOWeek.ToDateTime(week / 100, week % 100, DayOfWeek.Monday).ToString("MM-dd", CultureInfo.InvariantCulture);

    /// <summary>Rows × weeks; darker is more. Columns are named by the date of each week's Monday.</summary>
    public static string Heatmap(IReadOnlyList<HeatRow> rows, IReadOnlyList<int> weeks, string title, string suppressed)
    {
        const int cell = 22, left = 170, top = 34;
        var width = left + weeks.Count * cell + 10;
        var height = top + rows.Count * cell + 10;
        var max = Math.Max(1, rows.SelectMany(r => r.Cells).Max(c => c.Value ?? 0));
        var sb = new StringBuilder();
        sb.Append($"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart heatmap\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"{E(title)}\">");
        sb.Append("<defs><pattern id=\"hatch\" width=\"4\" height=\"4\" patternUnits=\"userSpaceOnUse\"><path d=\"M0 4L4 0\" stroke=\"#999\" stroke-width=\"1\"/></pattern></defs>");
        for (var w = 0; w < weeks.Count; w += 4)
            sb.Append($"<text x=\"{left + w * cell}\" y=\"{top - 10}\" font-size=\"13\" fill=\"#333\">{WeekLabel(weeks[w])}</text>");
        for (var r = 0; r < rows.Count; r++)
        {
            var y = top + r * cell;
            var label = rows[r].Team.Length > 18 ? rows[r].Team[..17] + "…" : rows[r].Team;
            sb.Append($"<text x=\"{left - 6}\" y=\"{y + 16}\" font-size=\"13\" text-anchor=\"end\" fill=\"#222\">{E(label)}</text>");
            for (var w = 0; w < weeks.Count; w++)
            {
                var f = rows[r].Cells[w];
                var x = left + w * cell;
                if (f.Hidden)
                {
                    sb.Append($"<rect x=\"{x}\" y=\"{y}\" width=\"{cell - 1}\" height=\"{cell - 1}\" fill=\"url(#hatch)\"><title>{E(rows[r].Team)} {WeekLabel(weeks[w])}: {E(suppressed)}</title></rect>");
                    continue;
                }
                var v = f.Value!.Value;
                // Lightness from 97 % (none) to 25 % (most): the order reads in greyscale too.
                var light = v == 0 ? 97 : 85 - 60.0 * v / max;
                sb.Append($"<rect x=\"{x}\" y=\"{y}\" width=\"{cell - 1}\" height=\"{cell - 1}\" fill=\"hsl(8,55%,{N(light)}%)\"><title>{E(rows[r].Team)} {WeekLabel(weeks[w])}: {v}</title></rect>");
            }
        }
        sb.Append("</svg>");
        return sb.ToString();
    }

    /// <summary>A values radar: one axis per value, the polygon at each value's share of the largest.</summary>
    public static string Radar(IReadOnlyList<RadarAxis> axes, string title)
    {
        const double size = 320, cx = 160, cy = 160, radius = 110;
        var sb = new StringBuilder();
        sb.Append($"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart radar\" viewBox=\"0 0 {size} {size}\" role=\"img\" aria-label=\"{E(title)}\">");
        if (axes.Count < 3)
        {
            sb.Append("</svg>");
            return sb.ToString();
        }
        var max = Math.Max(1, axes.Max(a => a.Count));
        (double X, double Y) At(int i, double r)
        {
            var angle = -Math.PI / 2 + 2 * Math.PI * i / axes.Count;
            return (cx + r * Math.Cos(angle), cy + r * Math.Sin(angle));
        }
        foreach (var ring in new[] { 0.25, 0.5, 0.75, 1.0 })
        {
            var pts = string.Join(" ", Enumerable.Range(0, axes.Count).Select(i => At(i, radius * ring)).Select(p => $"{N(p.X)},{N(p.Y)}"));
            sb.Append($"<polygon points=\"{pts}\" fill=\"none\" stroke=\"#ccc\" stroke-width=\"1\"/>");
        }
        for (var i = 0; i < axes.Count; i++)
        {
            var (x, y) = At(i, radius);
            sb.Append($"<line x1=\"{cx}\" y1=\"{cy}\" x2=\"{N(x)}\" y2=\"{N(y)}\" stroke=\"#ccc\"/>");
            var (lx, ly) = At(i, radius + 18);
            var anchor = Math.Abs(lx - cx) < 8 ? "middle" : lx < cx ? "end" : "start";
            sb.Append($"<text x=\"{N(lx)}\" y=\"{N(ly + 4)}\" font-size=\"11\" text-anchor=\"{anchor}\" fill=\"#222\">{E(axes[i].Name)} {axes[i].Count}</text>");
        }
        var shape = string.Join(" ", axes.Select((a, i) => At(i, radius * a.Count / max)).Select(p => $"{N(p.X)},{N(p.Y)}"));
        sb.Append($"<polygon points=\"{shape}\" fill=\"rgba(179,38,30,.25)\" stroke=\"#b3261e\" stroke-width=\"2\"/>");
        sb.Append("</svg>");
        return sb.ToString();
    }
}
