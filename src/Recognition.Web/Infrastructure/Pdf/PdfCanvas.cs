using System.Globalization;
using System.Text;
using PdfSharp;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace Recognition.Web.Infrastructure.Pdf;

/// <summary>
/// A small flow layout over PDFsharp: writes wrapped paragraphs top to bottom, starts a new page
/// (with the caller's header) when one is full, and numbers the pages at the end. Wrapping breaks
/// anywhere between CJK characters and at spaces in Latin text.
/// </summary>
public sealed partial class PdfCanvas : IDisposable
{
    private static readonly XPdfFontOptions Unicode = new(PdfFontEncoding.Unicode);
    private static readonly HashSet<string> NoLineStart = ["。", "，", "、", "；", "：", "！", "？", "）", "」", "』", "”", "’", "》", ".", ",", ";", ":", "!", "?", ")"];
    private readonly Action<PdfCanvas>? _header;
    private XGraphics? _gfx;

    public PdfCanvas(string title, PageOrientation orientation = PageOrientation.Portrait, Action<PdfCanvas>? header = null)
    {
        PdfFonts.EnsureInitialized();
        Document = new PdfDocument();
        Document.Info.Title = title;
        Document.Info.Creator = "Recognition";
        Document.Options.CompressContentStreams = false; // PDFsharp 6.5 leaves bytes after the end of its deflated page streams (qpdf warns)
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

    public static XFont Font(double size, bool bold = false) => Font(PdfFonts.Family, size, bold);

    private static XFont Font(string family, double size, bool bold) =>
        new(family, size, bold ? XFontStyleEx.Bold : XFontStyleEx.Regular, Unicode);

    /// <summary>
    /// What can be printed: no control characters (line breaks aside), no zero-width or bidi controls (they would print
    /// as boxes), no variation selectors, skin-tone modifiers or tag characters (emoji are drawn monochrome, one glyph each).
    /// </summary>
    public static string Printable(string? text)
    {
        var sb = new System.Text.StringBuilder((text ?? "").Length);
        foreach (var r in (text ?? "").Replace("\r", "").EnumerateRunes())
        {
            var v = r.Value;
            if (v == '\n') { sb.Append('\n'); continue; }
            var cat = Rune.GetUnicodeCategory(r);
            if (cat is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse) continue;
            if (v is >= 0xFE00 and <= 0xFE0F or >= 0x1F3FB and <= 0x1F3FF or >= 0xE0000 and <= 0xE01EF) continue;
            sb.Append(r.ToString());
        }
        return sb.ToString();
    }

    /// <summary>The text cut into runs that one font draws: each character in the first font that has it.</summary>
    public static IEnumerable<(string Text, XFont Font)> Runs(string text, XFont font)
    {
        var bold = font.Style.HasFlag(XFontStyleEx.Bold);
        var run = new System.Text.StringBuilder();
        string? family = null;
        foreach (var r in text.EnumerateRunes())
        {
            var f = r.Value == ' ' ? family ?? PdfFonts.Family : PdfFonts.FamilyFor(r.Value);
            if (family is not null && f != family)
            {
                yield return (run.ToString(), Font(family, font.Size, bold));
                run.Clear();
            }
            family = f;
            run.Append(r.ToString());
        }
        if (run.Length > 0) yield return (run.ToString(), Font(family!, font.Size, bold));
    }

    public double Measure(string text, XFont font) => Runs(text, font).Sum(r => Gfx.MeasureString(r.Text, r.Font).Width);

    /// <summary>Draws one line through the font fallback chain, aligned in the box as the format says (left, centre, right).</summary>
    public void Draw(string text, XFont font, XBrush brush, XRect box, XStringFormat? format = null)
    {
        text = Printable(text);
        var alignment = (format ?? XStringFormats.TopLeft).Alignment;
        var width = Measure(text, font);
        var x = alignment switch
        {
            XStringAlignment.Center => box.X + (box.Width - width) / 2,
            XStringAlignment.Far => box.Right - width,
            _ => box.X,
        };
        foreach (var (run, f) in Runs(text, font))
        {
            var w = Gfx.MeasureString(run, f).Width;
            Gfx.DrawString(run, f, brush, new XRect(x, box.Y, w + 1, box.Height), XStringFormats.TopLeft);
            x += w;
        }
    }

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
            Draw(line, font, brush ?? XBrushes.Black, new XRect(Margin + indent, Y, ContentWidth - indent, lineHeight), align);
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
        foreach (var para in Printable(text).Split('\n'))
        {
            // Most lines fit whole: one measurement instead of one per character (2,000 welcome letters: 6 s → 2 s).
            if (Measure(para, font) <= width)
            {
                lines.Add(para);
                continue;
            }
            var line = "";
            var lastSpace = -1;
            var e = StringInfo.GetTextElementEnumerator(para);
            while (e.MoveNext())
            {
                var el = (string)e.Current;
                var candidate = line + el;
                // Closing punctuation never starts a line (CJK line-breaking rule): let it hang.
                if (line.Length > 0 && !NoLineStart.Contains(el) && Measure(candidate, font) > width)
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

    /// <summary>Writes "n / total" at the foot of every page (none where the footer is empty), then returns the PDF bytes.</summary>
    public byte[] Finish(Func<int, int, string> footer)
    {
        _gfx?.Dispose();
        _gfx = null;
        var total = Document.PageCount;
        var small = Font(8.5);
        for (var i = 0; i < total; i++)
        {
            // Nothing to write, nothing appended: an empty appended content stream is a malformed PDF.
            if (footer(i + 1, total) is not { Length: > 0 } text) continue;
            using var g = XGraphics.FromPdfPage(Document.Pages[i], XGraphicsPdfPageOptions.Append);
            g.DrawString(text, small, XBrushes.Gray,
                new XRect(Margin, g.PageSize.Height - Margin + 10, g.PageSize.Width - 2 * Margin, 14), XStringFormats.TopCenter);
        }
        using var ms = new MemoryStream();
        Document.Save(ms, false);
        return AstralToUnicode(ms.ToArray());
    }

    [System.Text.RegularExpressions.GeneratedRegex("<([0-9A-F]{4})><([0-9A-F]{4})><([0-9A-F]{5,6})>")]
    private static partial System.Text.RegularExpressions.Regex AstralRange();

    /// <summary>
    /// PDFsharp 6.5 writes a character beyond U+FFFF (𠀀, 👍) into a font's ToUnicode map as 5 hex digits, which readers
    /// take as the first 4: copied or searched text then reads a wrong character although the right glyph is drawn.
    /// The maps are rewritten with UTF-16 surrogate pairs, as the PDF specification says, in a second pass over the file.
    /// </summary>
    private static byte[] AstralToUnicode(byte[] pdf)
    {
        if (!AstralRange().IsMatch(Encoding.Latin1.GetString(pdf))) return pdf;
        using var input = new MemoryStream(pdf);
        using var doc = PdfSharp.Pdf.IO.PdfReader.Open(input, PdfSharp.Pdf.IO.PdfDocumentOpenMode.Modify);
        doc.Options.CompressContentStreams = false;
        foreach (var o in doc.Internals.GetAllObjects().OfType<PdfDictionary>())
        {
            if (o.Stream?.Value is not { } bytes) continue;
            var text = Encoding.Latin1.GetString(bytes);
            if (!text.Contains("beginbfrange", StringComparison.Ordinal)) continue;
            o.Stream.Value = Encoding.Latin1.GetBytes(AstralRange().Replace(text, m =>
            {
                var cp = Convert.ToInt32(m.Groups[3].Value, 16);
                var utf16 = char.ConvertFromUtf32(cp);
                return $"<{m.Groups[1].Value}><{m.Groups[2].Value}><{(int)utf16[0]:X4}{(int)utf16[1]:X4}>";
            }));
        }
        using var output = new MemoryStream();
        doc.Save(output, false);
        return output.ToArray();
    }

    public void Dispose()
    {
        _gfx?.Dispose();
        Document.Dispose();
    }
}
