using System.Globalization;
using PdfSharp;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace Recognition.Web.Infrastructure.Pdf;

/// <summary>
/// A small flow layout over PDFsharp: writes wrapped paragraphs top to bottom, starts a new page
/// (with the caller's header) when one is full, and numbers the pages at the end. Wrapping breaks
/// anywhere between CJK characters and at spaces in Latin text.
/// </summary>
public sealed class PdfCanvas : IDisposable
{
    private static readonly XPdfFontOptions Unicode = new(PdfFontEncoding.Unicode);
    private static readonly HashSet<string> NoLineStart = ["。", "，", "、", "；", "：", "！", "？", "）", "」", "』", "”", "’", "》", ".", ",", ";", ":", "!", "?", ")"];
    private readonly Action<PdfCanvas>? _header;
    private XGraphics? _gfx;

    public PdfCanvas(string title, PageOrientation orientation = PageOrientation.Portrait, Action<PdfCanvas>? header = null)
    {
        Document = new PdfDocument();
        Document.Info.Title = title;
        Document.Info.Creator = "Recognition";
        Orientation = orientation;
        _header = header;
    }

    public PdfDocument Document { get; }
    public PageOrientation Orientation { get; }
    public double Margin { get; init; } = 50;
    public double Y { get; set; }
    public XGraphics Gfx => _gfx ?? throw new InvalidOperationException("No page yet.");
    public double Width => Gfx.PageSize.Width;
    public double Height => Gfx.PageSize.Height;
    public double ContentWidth => Width - 2 * Margin;

    public static XFont Font(double size, bool bold = false) =>
        new(PdfFonts.Family, size, bold ? XFontStyleEx.Bold : XFontStyleEx.Regular, Unicode);

    public void NewPage()
    {
        _gfx?.Dispose();
        var page = Document.AddPage();
        page.Size = PageSize.A4;
        page.Orientation = Orientation;
        _gfx = XGraphics.FromPdfPage(page);
        Y = Margin;
        _header?.Invoke(this);
    }

    /// <summary>Writes a wrapped paragraph at the cursor, moving to a new page when needed.</summary>
    public void Paragraph(string text, XFont font, XBrush? brush = null, double indent = 0, double after = 4, XStringFormat? align = null)
    {
        var lineHeight = font.Size * 1.45;
        foreach (var line in Wrap(text, font, ContentWidth - indent))
        {
            if (Y + lineHeight > Height - Margin - 20) NewPage();
            Gfx.DrawString(line, font, brush ?? XBrushes.Black, new XRect(Margin + indent, Y, ContentWidth - indent, lineHeight), align ?? XStringFormats.TopLeft);
            Y += lineHeight;
        }
        Y += after;
    }

    /// <summary>Makes sure <paramref name="height"/> points fit on this page, else starts a new one.</summary>
    public void Reserve(double height)
    {
        if (Y + height > Height - Margin - 20) NewPage();
    }

    public void Rule(double after = 8)
    {
        Gfx.DrawLine(new XPen(XColors.Gray, 0.5), Margin, Y, Width - Margin, Y);
        Y += after;
    }

    public List<string> Wrap(string text, XFont font, double width)
    {
        var lines = new List<string>();
        foreach (var para in text.Replace("\r", "").Split('\n'))
        {
            var line = "";
            var lastSpace = -1;
            var e = StringInfo.GetTextElementEnumerator(para);
            while (e.MoveNext())
            {
                var el = (string)e.Current;
                var candidate = line + el;
                // Closing punctuation never starts a line (CJK line-breaking rule): let it hang.
                if (line.Length > 0 && !NoLineStart.Contains(el) && Gfx.MeasureString(candidate, font).Width > width)
                {
                    if (el != " " && lastSpace > 0 && line.Length - lastSpace < 24)
                    {
                        lines.Add(line[..lastSpace]);
                        line = line[(lastSpace + 1)..] + el;
                    }
                    else
                    {
                        lines.Add(line.TrimEnd());
                        line = el == " " ? "" : el;
                    }
                    lastSpace = line.LastIndexOf(' ');
                    continue;
                }
                line = candidate;
                if (el == " ") lastSpace = line.Length - 1;
            }
            lines.Add(line);
        }
        return lines;
    }

    /// <summary>Writes "n / total" at the foot of every page, then returns the PDF bytes.</summary>
    public byte[] Finish(Func<int, int, string> footer)
    {
        _gfx?.Dispose();
        _gfx = null;
        var total = Document.PageCount;
        var small = Font(8.5);
        for (var i = 0; i < total; i++)
        {
            using var g = XGraphics.FromPdfPage(Document.Pages[i], XGraphicsPdfPageOptions.Append);
            g.DrawString(footer(i + 1, total), small, XBrushes.Gray,
                new XRect(Margin, g.PageSize.Height - Margin + 10, g.PageSize.Width - 2 * Margin, 14), XStringFormats.TopCenter);
        }
        using var ms = new MemoryStream();
        Document.Save(ms, false);
        return ms.ToArray();
    }

    public void Dispose()
    {
        _gfx?.Dispose();
        Document.Dispose();
    }
}
