using System.Globalization;
using System.Xml.Linq;
using PdfSharp.Drawing;

namespace Recognition.Web.Infrastructure.Pdf;

/// <summary>
/// Draws one of the shipped stroke icons (24×24 viewBox, Lucide's elements: path, circle, ellipse, rect, line,
/// polyline, polygon) as PDF vector paths, because PDFsharp has no SVG support. Only the shipped sprite is ever
/// parsed (never user input); an element or path command this reader does not know fails the icon's test.
/// </summary>
public static class SvgIcon
{
    /// <summary>Strokes the icon inside the square (x, y, size) with the colour, at Lucide's 2-unit stroke width.</summary>
    public static void Draw(XGraphics g, XElement symbol, double x, double y, double size, XColor color)
    {
        var scale = size / 24;
        var pen = new XPen(color, 2 * scale) { LineCap = XLineCap.Round, LineJoin = XLineJoin.Round };
        foreach (var path in Paths(symbol, x, y, scale)) g.DrawPath(pen, path);
    }

    public static IReadOnlyList<XGraphicsPath> Paths(XElement symbol, double x, double y, double scale)
    {
        XPoint P(double px, double py) => new(x + px * scale, y + py * scale);
        double A(XElement e, string name) => double.Parse((string?)e.Attribute(name) ?? "0", CultureInfo.InvariantCulture);
        var list = new List<XGraphicsPath>();
        foreach (var e in symbol.Elements())
        {
            var p = new XGraphicsPath();
            switch (e.Name.LocalName)
            {
                case "path":
                    PathData(p, (string?)e.Attribute("d") ?? "", P, scale);
                    break;
                case "circle":
                    {
                        var (cx, cy, r) = (A(e, "cx"), A(e, "cy"), A(e, "r"));
                        p.AddEllipse(x + (cx - r) * scale, y + (cy - r) * scale, 2 * r * scale, 2 * r * scale);
                        break;
                    }
                case "ellipse":
                    {
                        var (cx, cy, rx, ry) = (A(e, "cx"), A(e, "cy"), A(e, "rx"), A(e, "ry"));
                        p.AddEllipse(x + (cx - rx) * scale, y + (cy - ry) * scale, 2 * rx * scale, 2 * ry * scale);
                        break;
                    }
                case "rect":
                    {
                        var (rx, ry) = (A(e, "rx"), e.Attribute("ry") is null ? A(e, "rx") : A(e, "ry"));
                        var (rxx, ryy, w, h) = (x + A(e, "x") * scale, y + A(e, "y") * scale, A(e, "width") * scale, A(e, "height") * scale);
                        if (rx > 0 || ry > 0) p.AddRoundedRectangle(rxx, ryy, w, h, 2 * rx * scale, 2 * ry * scale);
                        else p.AddRectangle(rxx, ryy, w, h);
                        break;
                    }
                case "line":
                    p.AddLine(P(A(e, "x1"), A(e, "y1")), P(A(e, "x2"), A(e, "y2")));
                    break;
                case "polyline":
                case "polygon":
                    {
                        var n = Numbers((string?)e.Attribute("points") ?? "").ToList();
                        var points = Enumerable.Range(0, n.Count / 2).Select(i => P(n[2 * i], n[2 * i + 1])).ToArray();
                        if (e.Name.LocalName == "polygon") p.AddPolygon(points); else p.AddLines(points);
                        break;
                    }
                default:
                    throw new FormatException($"icon element <{e.Name.LocalName}> is not supported");
            }
            list.Add(p);
        }
        return list;
    }

    /// <summary>SVG path data (all commands, absolute and relative, implicit repeats, compact arc flags like "0 01").</summary>
    private static void PathData(XGraphicsPath p, string d, Func<double, double, XPoint> at, double scale)
    {
        var r = new Reader(d);
        double cx = 0, cy = 0, sx = 0, sy = 0; // current point and subpath start, in icon units
        double qx = 0, qy = 0; // the last control point, for S and T
        var command = ' ';
        var prev = ' ';
        while (r.More())
        {
            if (r.IsCommand()) command = r.Command();
            else if (command == ' ') throw new FormatException($"path data must start with a command: {d}");
            var rel = char.IsLower(command);
            double ox = rel ? cx : 0, oy = rel ? cy : 0;
            switch (char.ToUpperInvariant(command))
            {
                case 'M':
                    (cx, cy) = (ox + r.Number(), oy + r.Number());
                    (sx, sy) = (cx, cy);
                    p.StartFigure();
                    command = rel ? 'l' : 'L'; // further pairs are line-tos
                    prev = 'M';
                    continue;
                case 'L':
                    Line(ox + r.Number(), oy + r.Number());
                    break;
                case 'H':
                    Line(ox + r.Number(), cy);
                    break;
                case 'V':
                    Line(cx, (rel ? cy : 0) + r.Number());
                    break;
                case 'C':
                    {
                        var (x1, y1, x2, y2, x, y) = (ox + r.Number(), oy + r.Number(), ox + r.Number(), oy + r.Number(), ox + r.Number(), oy + r.Number());
                        Cubic(x1, y1, x2, y2, x, y);
                        break;
                    }
                case 'S':
                    {
                        var (x1, y1) = prev is 'C' or 'S' ? (2 * cx - qx, 2 * cy - qy) : (cx, cy);
                        var (x2, y2, x, y) = (ox + r.Number(), oy + r.Number(), ox + r.Number(), oy + r.Number());
                        Cubic(x1, y1, x2, y2, x, y);
                        break;
                    }
                case 'Q':
                    {
                        var (x1, y1, x, y) = (ox + r.Number(), oy + r.Number(), ox + r.Number(), oy + r.Number());
                        Quad(x1, y1, x, y);
                        break;
                    }
                case 'T':
                    {
                        var (x1, y1) = prev is 'Q' or 'T' ? (2 * cx - qx, 2 * cy - qy) : (cx, cy);
                        Quad(x1, y1, ox + r.Number(), oy + r.Number());
                        break;
                    }
                case 'A':
                    {
                        var (rx, ry, angle) = (r.Number(), r.Number(), r.Number());
                        var (large, sweep) = (r.Flag(), r.Flag());
                        var (x, y) = (ox + r.Number(), oy + r.Number());
                        if (rx == 0 || ry == 0) Line(x, y);
                        else p.AddArc(at(cx, cy), at(x, y), new XSize(rx * scale, ry * scale), angle, large, sweep ? XSweepDirection.Clockwise : XSweepDirection.Counterclockwise);
                        (cx, cy) = (x, y);
                        break;
                    }
                case 'Z':
                    p.CloseFigure();
                    (cx, cy) = (sx, sy);
                    break;
                default:
                    throw new FormatException($"path command '{command}' is not supported");
            }
            prev = char.ToUpperInvariant(command);
            if (prev == 'Z') command = ' ';
        }

        void Line(double x, double y)
        {
            p.AddLine(at(cx, cy), at(x, y));
            (cx, cy) = (x, y);
        }
        void Cubic(double x1, double y1, double x2, double y2, double x, double y)
        {
            p.AddBezier(at(cx, cy), at(x1, y1), at(x2, y2), at(x, y));
            (qx, qy, cx, cy) = (x2, y2, x, y);
        }
        void Quad(double x1, double y1, double x, double y)
        {
            // A quadratic Bézier is the cubic with control points two thirds of the way to the quadratic's one.
            p.AddBezier(at(cx, cy), at(cx + 2.0 / 3 * (x1 - cx), cy + 2.0 / 3 * (y1 - cy)), at(x + 2.0 / 3 * (x1 - x), y + 2.0 / 3 * (y1 - y)), at(x, y));
            (qx, qy, cx, cy) = (x1, y1, x, y);
        }
    }

    private static IEnumerable<double> Numbers(string s)
    {
        var r = new Reader(s);
        while (r.More()) yield return r.Number();
    }

    /// <summary>A cursor over path data: numbers may run together ("1-.81.47"), flags are single digits.</summary>
    private sealed class Reader(string s)
    {
        private int _i;

        public bool More()
        {
            Skip();
            return _i < s.Length;
        }

        public bool IsCommand() => char.IsLetter(s[_i]) && s[_i] is not ('e' or 'E');

        public char Command() => s[_i++];

        public bool Flag()
        {
            Skip();
            if (_i >= s.Length || s[_i] is not ('0' or '1')) throw new FormatException($"arc flag expected at {_i}: {s}");
            return s[_i++] == '1';
        }

        public double Number()
        {
            Skip();
            var start = _i;
            if (_i < s.Length && s[_i] is '-' or '+') _i++;
            var dot = false;
            while (_i < s.Length && (char.IsDigit(s[_i]) || (s[_i] == '.' && !dot)))
            {
                if (s[_i] == '.') dot = true;
                _i++;
            }
            if (_i < s.Length && s[_i] is 'e' or 'E')
            {
                _i++;
                if (_i < s.Length && s[_i] is '-' or '+') _i++;
                while (_i < s.Length && char.IsDigit(s[_i])) _i++;
            }
            if (_i == start) throw new FormatException($"number expected at {start}: {s}");
            return double.Parse(s.AsSpan(start, _i - start), NumberStyles.Float, CultureInfo.InvariantCulture);
        }

        private void Skip()
        {
            while (_i < s.Length && (char.IsWhiteSpace(s[_i]) || s[_i] == ',')) _i++;
        }
    }
}
