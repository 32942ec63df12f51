using PdfSharp;
using PdfSharp.Drawing;
using QRCoder;
using Recognition.Web.Infrastructure.Pdf;
using Recognition.Web.Infrastructure.Web;

namespace Recognition.Web.Features.Printing;

public sealed record Certificate(
    string? RecipientZh, string? RecipientEn, string? BadgeZh, string? BadgeEn, string? ValueZh, string? ValueEn,
    string Message, string? GiverZh, string? GiverEn, string Date, string SiteZh, string SiteEn, string VerifyUrl)
{
    /// <summary>The badge's icon and colour (the value's colour, or a neutral one, when there is no badge).</summary>
    public string? Icon { get; init; }
    public string? Color { get; init; }
    public Branding Branding { get; init; } = Branding.None;
}

/// <summary>
/// A4 landscape certificates, one page each (a second when a very long message needs it): the site's logo, the badge's
/// emblem (its icon on its colour) and a border in that colour, the issuer, a signature line for the signatory, and a
/// vector QR code to the public verification page. Every name and the whole message print: fallback fonts for rare
/// characters and emoji.
/// </summary>
public static class CertificatePdf
{
    private const string Neutral = "#5b6b7a";

    public static byte[] Render(IReadOnlyList<Certificate> certificates)
    {
        using var pdf = new PdfCanvas("Recognition certificates", PageOrientation.Landscape) { Margin = 60 };
        // One image per logo for the whole batch: 30 certificates of a site embed the logo once.
        var logos = new Dictionary<byte[], XImage?>(ReferenceEqualityComparer.Instance);
        try
        {
            foreach (var c in certificates) Page(pdf, c, c.Branding.Logo is { } bytes ? Logo(logos, bytes) : null);
            if (certificates.Count == 0)
            {
                pdf.NewPage();
                pdf.Paragraph("没有可打印的证书 No certificates to print", PdfCanvas.Font(14));
            }
            return pdf.Finish((_, _) => ""); // each certificate stands alone: no "1 / 20" across a batch
        }
        finally
        {
            foreach (var image in logos.Values) image?.Dispose();
        }
    }

    private static XImage? Logo(Dictionary<byte[], XImage?> logos, byte[] bytes)
    {
        if (logos.TryGetValue(bytes, out var image)) return image;
        try { image = XImage.FromStream(new MemoryStream(bytes, writable: false)); }
        catch (Exception e) when (e is InvalidOperationException or NotSupportedException or ArgumentException or IOException) { image = null; } // checked on upload; a certificate prints without it rather than not at all
        return logos[bytes] = image;
    }

    private static void Page(PdfCanvas pdf, Certificate c, XImage? logo)
    {
        pdf.NewPage();
        var g = pdf.Gfx;
        var (w, h) = (pdf.Width, pdf.Height);
        var color = Color(c.Color);
        Border(pdf, color);
        if (logo is not null) DrawFitted(g, logo, new XRect(56, 50, 150, 70));
        Emblem(g, c.Icon, color, w - 56 - 96, 48, 96);
        var center = XStringFormats.TopCenter;
        pdf.Y = 70;
        pdf.Paragraph("荣誉证书", PdfCanvas.Font(34, bold: true), align: center, after: 0);
        pdf.Paragraph("Certificate of Recognition", PdfCanvas.Font(15), align: center, after: 16);
        pdf.Paragraph("授予 Presented to", PdfCanvas.Font(11), XBrushes.DimGray, align: center, after: 2);
        pdf.Paragraph(Bilingual.Name(c.RecipientZh, c.RecipientEn), PdfCanvas.Font(26, bold: true), align: center, after: 10);
        var badge = string.Join("  ·  ", new[] { c.BadgeZh is null ? null : Bilingual.Name(c.BadgeZh, c.BadgeEn), c.ValueZh is null ? null : Bilingual.Name(c.ValueZh, c.ValueEn) }.Where(x => x is not null));
        pdf.Paragraph(badge, PdfCanvas.Font(15, bold: true), new XSolidBrush(color), align: center, after: 12);
        var quoteWidth = pdf.ContentWidth - 200;
        var footY = h - 150;
        var rest = Quote(pdf, $"“{c.Message}”", quoteWidth, footY - 16);
        var b = c.Branding;
        var lines = new List<string>
        {
            $"颁发人 From: {Bilingual.Name(c.GiverZh, c.GiverEn)}",
            $"日期 Date: {c.Date}",
            $"厂区 Site: {Bilingual.Name(c.SiteZh, c.SiteEn)}",
        };
        if (b.IssuerZh is not null || b.IssuerEn is not null) lines.Insert(0, $"颁发单位 Issued by: {Bilingual.Name(b.IssuerZh ?? b.IssuerEn, b.IssuerEn ?? b.IssuerZh)}");
        var left = pdf.Margin + 20;
        for (var i = 0; i < lines.Count; i++) Fitted(pdf, lines[i], 10.5, new XRect(left, footY - 6 + i * 19, 300, 17), XStringFormats.TopLeft);
        // The signature line, for the signatory's hand at the shift meeting; their title (or "Signature") under it.
        var sig = new XRect(left + 330, footY + 48, 210, 0);
        g.DrawLine(new XPen(XColors.Black, 0.8), sig.Left, sig.Top, sig.Right, sig.Top);
        var signatory = b.SignatoryZh is null && b.SignatoryEn is null ? "签名 Signature" : Bilingual.Name(b.SignatoryZh ?? b.SignatoryEn, b.SignatoryEn ?? b.SignatoryZh);
        Fitted(pdf, signatory, 10, new XRect(sig.Left - 10, sig.Top + 5, sig.Width + 20, 14), center);
        DrawQr(g, c.VerifyUrl, w - pdf.Margin - 110, footY - 20, 96);
        pdf.Draw("扫码验证 Scan to verify", PdfCanvas.Font(8), XBrushes.DimGray, new XRect(w - pdf.Margin - 140, footY + 80, 156, 12), XStringFormats.TopCenter);
        if (rest.Count == 0) return;

        // The message never ends silently: what the first page can't hold continues on pages of its own.
        var first = true;
        foreach (var line in rest)
        {
            if (first || pdf.Y + MinQuote * 1.5 > pdf.Height - 60)
            {
                pdf.NewPage();
                Border(pdf, color);
                pdf.Y = 60;
                pdf.Paragraph("荣誉证书（续）Certificate of Recognition (continued)", PdfCanvas.Font(14, bold: true), align: center, after: 2);
                pdf.Paragraph(Bilingual.Name(c.RecipientZh, c.RecipientEn), PdfCanvas.Font(11), XBrushes.DimGray, align: center, after: 10);
                first = false;
            }
            pdf.Draw(line, PdfCanvas.Font(MinQuote), XBrushes.Black, new XRect(pdf.Margin + 100, pdf.Y, quoteWidth, 16), center);
            pdf.Y += MinQuote * 1.5;
        }
    }

    /// <summary>The badge's emblem: its icon in white on a disc of its colour, with a thin ring.</summary>
    private static void Emblem(XGraphics g, string? icon, XColor color, double x, double y, double size)
    {
        g.DrawEllipse(new XPen(color, 1.2), x, y, size, size);
        g.DrawEllipse(new XSolidBrush(color), x + 5, y + 5, size - 10, size - 10);
        var inner = size * 0.5;
        SvgIcon.Draw(g, BadgeIcons.Symbol(icon), x + (size - inner) / 2, y + (size - inner) / 2, inner, XColors.White);
    }

    /// <summary>Text in one line at the size given, smaller (down to 7 pt) when it would not fit the box's width.</summary>
    private static void Fitted(PdfCanvas pdf, string text, double size, XRect box, XStringFormat format)
    {
        var font = PdfCanvas.Font(size);
        while (size > 7 && pdf.Measure(text, font) > box.Width) font = PdfCanvas.Font(size -= 0.5);
        pdf.Draw(text, font, XBrushes.Black, box, format);
    }

    private static void DrawFitted(XGraphics g, XImage image, XRect box)
    {
        var scale = Math.Min(box.Width / image.PointWidth, box.Height / image.PointHeight);
        g.DrawImage(image, box.X, box.Y, image.PointWidth * scale, image.PointHeight * scale);
    }

    /// <summary>"#c0392b" → its colour; anything else (never stored, but a PDF must print) → the neutral grey.</summary>
    internal static XColor Color(string? hex)
    {
        var h = hex is { Length: 7 } && hex[0] == '#' && int.TryParse(hex.AsSpan(1), System.Globalization.NumberStyles.HexNumber, null, out var rgb) ? rgb : int.Parse(Neutral[1..], System.Globalization.NumberStyles.HexNumber);
        return XColor.FromArgb((h >> 16) & 0xFF, (h >> 8) & 0xFF, h & 0xFF);
    }

    private const double MinQuote = 9;

    /// <summary>
    /// The message, whole: in 13 pt when it fits above the footer, else a size smaller each time down to 9 pt; past that
    /// the lines that still don't fit are returned (with "continued overleaf" written last on this page).
    /// </summary>
    private static List<string> Quote(PdfCanvas pdf, string text, double width, double bottom)
    {
        var top = pdf.Y;
        foreach (var size in new double[] { 13, 12, 11, 10, MinQuote })
        {
            var font = PdfCanvas.Font(size);
            var lines = pdf.Wrap(text, font, width);
            var lineHeight = size * 1.5;
            var fits = (int)Math.Floor((bottom - top) / lineHeight);
            if (lines.Count <= fits || size == MinQuote)
            {
                var here = lines.Count <= fits ? lines.Count : Math.Max(0, fits - 1);
                foreach (var line in lines.Take(here))
                {
                    pdf.Draw(line, font, XBrushes.Black, new XRect(pdf.Margin + 100, pdf.Y, width, lineHeight), XStringFormats.TopCenter);
                    pdf.Y += lineHeight;
                }
                if (here == lines.Count) return [];
                pdf.Draw("（接下页）(continued overleaf)", PdfCanvas.Font(MinQuote), XBrushes.DimGray, new XRect(pdf.Margin + 100, pdf.Y, width, lineHeight), XStringFormats.TopCenter);
                return lines.Skip(here).ToList();
            }
        }
        return [];
    }

    private static void Border(PdfCanvas pdf, XColor color)
    {
        var (w, h) = (pdf.Width, pdf.Height);
        pdf.Gfx.DrawRectangle(new XPen(color, 3), 28, 28, w - 56, h - 56);
        pdf.Gfx.DrawRectangle(new XPen(color, 0.8), 36, 36, w - 72, h - 72);
    }

    /// <summary>Draws the QR modules as filled squares: vector, sharp at any print size.</summary>
    internal static void DrawQr(XGraphics g, string text, double x, double y, double size)
    {
        using var gen = new QRCodeGenerator();
        using var data = gen.CreateQrCode(text, QRCodeGenerator.ECCLevel.M);
        var matrix = data.ModuleMatrix;
        var n = matrix.Count;
        var cell = size / n;
        for (var row = 0; row < n; row++)
        {
            for (var col = 0; col < n; col++)
            {
                if (matrix[row][col]) g.DrawRectangle(XBrushes.Black, x + col * cell, y + row * cell, cell + 0.05, cell + 0.05);
            }
        }
    }
}
