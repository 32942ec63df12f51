using PdfSharp.Drawing;
using Recognition.Web.Features.Printing;
using Recognition.Web.Infrastructure.Pdf;

namespace Recognition.Web.Features.Praise;

public sealed record PraiseCard(string? NameZh, string? NameEn, string SiteZh, string SiteEn, string Url);

/// <summary>
/// A4 sheets of QR cards to cut out and put on a counter or a delivery note: six cards a page, each bilingual
/// ("扫码表扬我们 / Scan to thank us"), the team, person or area, a vector QR code to its public form, the link, and one
/// line on what happens to the message.
/// </summary>
public static class PraiseCardsPdf
{
    private const int Columns = 2, Rows = 3;

    public static byte[] Render(IReadOnlyList<PraiseCard> cards)
    {
        using var pdf = new PdfCanvas("Scan to thank us") { Margin = 30 };
        for (var i = 0; i < cards.Count; i++)
        {
            if (i % (Columns * Rows) == 0) pdf.NewPage();
            var slot = i % (Columns * Rows);
            var cw = (pdf.Width - 2 * pdf.Margin) / Columns;
            var ch = (pdf.Height - 2 * pdf.Margin) / Rows;
            Card(pdf, cards[i], pdf.Margin + slot % Columns * cw, pdf.Margin + slot / Columns * ch, cw, ch);
        }
        if (cards.Count == 0)
        {
            pdf.NewPage();
            pdf.Paragraph("没有可打印的二维码 No codes to print", PdfCanvas.Font(14));
        }
        return pdf.Finish((_, _) => "");
    }

    private static void Card(PdfCanvas pdf, PraiseCard c, double x, double y, double w, double h)
    {
        var g = pdf.Gfx;
        g.DrawRectangle(new XPen(XColors.Gray, 0.6) { DashStyle = XDashStyle.Dash }, x, y, w, h); // cut here
        var inner = w - 24;
        pdf.Draw("扫码表扬我们", PdfCanvas.Font(20, bold: true), XBrushes.Black, new XRect(x + 12, y + 14, inner, 24), XStringFormats.TopCenter);
        pdf.Draw("Scan to thank us", PdfCanvas.Font(12), XBrushes.Black, new XRect(x + 12, y + 40, inner, 16), XStringFormats.TopCenter);
        pdf.Draw(PdfCanvas.Printable(Bilingual.Name(c.NameZh, c.NameEn)), PdfCanvas.Font(11, bold: true), XBrushes.Black, new XRect(x + 12, y + 60, inner, 16), XStringFormats.TopCenter);
        pdf.Draw(PdfCanvas.Printable(Bilingual.Name(c.SiteZh, c.SiteEn)), PdfCanvas.Font(8), XBrushes.DimGray, new XRect(x + 12, y + 76, inner, 12), XStringFormats.TopCenter);
        var qr = Math.Min(h - 150, w - 60);
        CertificatePdf.DrawQr(g, c.Url, x + (w - qr) / 2, y + 92, qr);
        pdf.Draw(c.Url, PdfCanvas.Font(7), XBrushes.DimGray, new XRect(x + 12, y + 96 + qr, inner, 10), XStringFormats.TopCenter);
        pdf.Draw("留言经主管审核后才会展示给班组；联系方式不公开。", PdfCanvas.Font(7.5), XBrushes.Black, new XRect(x + 12, y + h - 30, inner, 10), XStringFormats.TopCenter);
        pdf.Draw("A supervisor reads each message before the team sees it; contact details are never shown.", PdfCanvas.Font(6.5), XBrushes.Black,
            new XRect(x + 12, y + h - 19, inner, 10), XStringFormats.TopCenter);
    }
}
