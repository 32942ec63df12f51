using PdfSharp;
using PdfSharp.Drawing;
using QRCoder;
using Recognition.Web.Infrastructure.Pdf;

namespace Recognition.Web.Features.Printing;

public sealed record Certificate(
    string? RecipientZh, string? RecipientEn, string? BadgeZh, string? BadgeEn, string? ValueZh, string? ValueEn,
    string Message, string? GiverZh, string? GiverEn, string Date, string SiteZh, string SiteEn, string VerifyUrl);

/// <summary>
/// A4 landscape certificates, one page each (a second when a very long message needs it), with a vector QR code to the
/// public verification page. Every name and the whole message print: fallback fonts for rare characters and emoji.
/// </summary>
public static class CertificatePdf
{
    public static byte[] Render(IReadOnlyList<Certificate> certificates)
    {
        using var pdf = new PdfCanvas("Recognition certificates", PageOrientation.Landscape) { Margin = 60 };
        foreach (var c in certificates) Page(pdf, c);
        if (certificates.Count == 0)
        {
            pdf.NewPage();
            pdf.Paragraph("没有可打印的证书 No certificates to print", PdfCanvas.Font(14));
        }
        return pdf.Finish((_, _) => ""); // each certificate stands alone: no "1 / 20" across a batch
    }

    private static void Page(PdfCanvas pdf, Certificate c)
    {
        pdf.NewPage();
        var g = pdf.Gfx;
        var (w, h) = (pdf.Width, pdf.Height);
        Border(pdf);
        var center = XStringFormats.TopCenter;
        pdf.Y = 70;
        pdf.Paragraph("荣誉证书", PdfCanvas.Font(34, bold: true), align: center, after: 0);
        pdf.Paragraph("Certificate of Recognition", PdfCanvas.Font(15), align: center, after: 16);
        pdf.Paragraph("授予 Presented to", PdfCanvas.Font(11), XBrushes.DimGray, align: center, after: 2);
        pdf.Paragraph(Bilingual.Name(c.RecipientZh, c.RecipientEn), PdfCanvas.Font(26, bold: true), align: center, after: 10);
        var badge = string.Join("  ·  ", new[] { c.BadgeZh is null ? null : Bilingual.Name(c.BadgeZh, c.BadgeEn), c.ValueZh is null ? null : Bilingual.Name(c.ValueZh, c.ValueEn) }.Where(x => x is not null));
        pdf.Paragraph(badge, PdfCanvas.Font(15, bold: true), align: center, after: 12);
        var quoteWidth = pdf.ContentWidth - 200;
        var footY = h - 150;
        var rest = Quote(pdf, $"“{c.Message}”", quoteWidth, footY - 16);
        var lines = new[]
        {
            $"颁发人 From: {Bilingual.Name(c.GiverZh, c.GiverEn)}",
            $"日期 Date: {c.Date}",
            $"厂区 Site: {Bilingual.Name(c.SiteZh, c.SiteEn)}",
        };
        for (var i = 0; i < lines.Length; i++)
        {
            pdf.Draw(lines[i], PdfCanvas.Font(11), XBrushes.Black, new XRect(pdf.Margin + 20, footY + i * 20, 420, 18));
        }
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
                Border(pdf);
                pdf.Y = 60;
                pdf.Paragraph("荣誉证书（续）Certificate of Recognition (continued)", PdfCanvas.Font(14, bold: true), align: center, after: 2);
                pdf.Paragraph(Bilingual.Name(c.RecipientZh, c.RecipientEn), PdfCanvas.Font(11), XBrushes.DimGray, align: center, after: 10);
                first = false;
            }
            pdf.Draw(line, PdfCanvas.Font(MinQuote), XBrushes.Black, new XRect(pdf.Margin + 100, pdf.Y, quoteWidth, 16), center);
            pdf.Y += MinQuote * 1.5;
        }
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

    private static void Border(PdfCanvas pdf)
    {
        var (w, h) = (pdf.Width, pdf.Height);
        pdf.Gfx.DrawRectangle(new XPen(XColors.Black, 2.5), 28, 28, w - 56, h - 56);
        pdf.Gfx.DrawRectangle(new XPen(XColors.Black, 0.7), 36, 36, w - 72, h - 72);
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
