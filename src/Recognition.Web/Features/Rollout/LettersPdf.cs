using System.Globalization;
using PdfSharp.Drawing;
using Recognition.Web.Infrastructure.Pdf;

namespace Recognition.Web.Features.Rollout;

/// <summary>
/// Welcome letters as an A4 PDF: one letter per page (the person's language first, then the other), or cut-out cards,
/// eight per page. Each says how to sign in at the office (a QR code and short link to set a password, or "use your company
/// account") and at a kiosk (badge or employee number, then the one-time activation code, then a PIN of one's own).
/// People who can already sign in are listed on a cover page.
/// </summary>
public static class LettersPdf
{
    public static byte[] Render(LetterBatch batch)
    {
        using var pdf = new PdfCanvas("Recognition welcome letters") { Margin = 50 };
        if (batch.Skipped.Count > 0) Cover(pdf, batch);
        if (batch.Cards)
        {
            for (var i = 0; i < batch.Letters.Count; i++)
            {
                if (i % 8 == 0) pdf.NewPage();
                Card(pdf, batch.Letters[i], i % 8);
            }
        }
        else
        {
            foreach (var l in batch.Letters) Page(pdf, l);
        }
        if (pdf.Document.PageCount == 0)
        {
            pdf.NewPage();
            pdf.Paragraph("没有需要发送的欢迎信 No letters to print", PdfCanvas.Font(14));
        }
        return pdf.Finish((_, _) => "");
    }

    private static void Cover(PdfCanvas pdf, LetterBatch batch)
    {
        pdf.NewPage();
        pdf.Paragraph("已可登录的人员（未生成欢迎信）", PdfCanvas.Font(16, bold: true), after: 0);
        pdf.Paragraph("Already able to sign in (no letter made)", PdfCanvas.Font(12), XBrushes.DimGray, after: 10);
        pdf.Paragraph($"{batch.Skipped.Count} · {batch.Now.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC", PdfCanvas.Font(10), XBrushes.DimGray, after: 8);
        pdf.Rule();
        foreach (var (no, name) in batch.Skipped) pdf.Paragraph($"{no}   {name}", PdfCanvas.Font(10), after: 1);
    }

    private static void Page(PdfCanvas pdf, Letter l)
    {
        pdf.NewPage();
        var zhFirst = l.Locale != "en-US";
        var name = Bilingual.Name(l.NameZh, l.NameEn);
        pdf.Y = 60;
        pdf.Paragraph(zhFirst ? "欢迎使用「认可」" : "Welcome to Recognition", PdfCanvas.Font(24, bold: true), after: 0);
        pdf.Paragraph(zhFirst ? "Welcome to Recognition" : "欢迎使用「认可」", PdfCanvas.Font(13), XBrushes.DimGray, after: 14);
        pdf.Paragraph(name, PdfCanvas.Font(20, bold: true), after: 2);
        var team = l.TeamZh is null ? "" : " · " + Bilingual.Name(l.TeamZh, l.TeamEn);
        pdf.Paragraph($"{l.EmployeeNo}{team} · {Bilingual.Name(l.SiteZh, l.SiteEn)}", PdfCanvas.Font(11), XBrushes.DimGray, after: 16);
        pdf.Rule(12);

        // At the office
        var top = pdf.Y;
        var officeTitle = Two(zhFirst, "在办公室（电脑或手机）", "At the office (computer or phone)");
        if (l.SsoName is not null || l.PasswordLink is null) pdf.Paragraph(officeTitle, PdfCanvas.Font(14, bold: true), after: 6);
        else Wrapped(pdf, officeTitle, 14, pdf.ContentWidth - 140, bold: true); // beside the QR code, never under it
        if (l.SsoName is not null)
        {
            pdf.Paragraph(Two(zhFirst, $"请用公司账号登录：在登录页点「使用 {l.SsoName} 登录」。", $"Use your company account: on the sign-in page choose \"Sign in with {l.SsoName}\"."), PdfCanvas.Font(11), after: 10);
        }
        else if (l.PasswordLink is { } link)
        {
            QrImage(pdf.Gfx, link, pdf.Width - pdf.Margin - 120, top, 110);
            var textWidth = pdf.ContentWidth - 140;
            Wrapped(pdf, Two(zhFirst, "扫描右侧二维码或打开下面的链接，设置您自己的密码：", "Scan the code on the right or open this link to choose your own password:"), 11, textWidth);
            Wrapped(pdf, link, 12, textWidth, bold: true);
            Wrapped(pdf, Two(zhFirst, $"链接只能使用一次，{Expires(l, true)}前有效。", $"The link works once, until {Expires(l, false)}."), 10, textWidth);
            pdf.Y = Math.Max(pdf.Y, top + 125);
        }
        pdf.Rule(12);

        // At a kiosk
        pdf.Paragraph(Two(zhFirst, "在车间自助终端", "At a shop-floor kiosk"), PdfCanvas.Font(14, bold: true), after: 6);
        var steps = zhFirst
            ? new[] { $"1. 点「首次使用」，{(l.HasBadge ? "刷工牌或" : "")}输入工号 {l.EmployeeNo}", "2. 输入激活码：", "3. 设置您自己的 6 位 PIN，输入两次。以后用工号 + PIN 登录。" }
            : new[] { $"1. Tap \"First time here\", {(l.HasBadge ? "scan your badge or " : "")}type your employee number {l.EmployeeNo}", "2. Type the activation code:", "3. Choose your own 6-digit PIN, twice. From then on sign in with your number + PIN." };
        pdf.Paragraph(steps[0], PdfCanvas.Font(11), after: 2);
        pdf.Paragraph(steps[1], PdfCanvas.Font(11), after: 2);
        pdf.Paragraph(Activation.Format(l.ActivationCode), PdfCanvas.Font(30, bold: true), after: 2);
        pdf.Paragraph(steps[2], PdfCanvas.Font(11), after: 2);
        pdf.Paragraph(Two(zhFirst, $"激活码只能使用一次，{Expires(l, true)}前有效。请勿转交他人。", $"The code works once, until {Expires(l, false)}. Keep it to yourself."),
            PdfCanvas.Font(10), XBrushes.DimGray, after: 12);
        pdf.Rule(10);
        pdf.Paragraph(zhFirst ? "认可是同事之间具体的感谢，不是考核。" : "Recognition is specific thanks between colleagues, never a rating.", PdfCanvas.Font(10), XBrushes.DimGray, after: 0);
        pdf.Paragraph(zhFirst ? "Recognition is specific thanks between colleagues, never a rating." : "认可是同事之间具体的感谢，不是考核。", PdfCanvas.Font(10), XBrushes.DimGray, after: 0);
    }

    private static void Card(PdfCanvas pdf, Letter l, int slot)
    {
        var g = pdf.Gfx;
        const double margin = 30;
        var w = (pdf.Width - 2 * margin) / 2;
        var h = (pdf.Height - 2 * margin) / 4;
        var x = margin + slot % 2 * w;
        var y = margin + slot / 2 * h;
        g.DrawRectangle(new XPen(XColors.Gray, 0.5) { DashStyle = XDashStyle.Dash }, x, y, w, h);
        var pad = 10;
        var left = x + pad;
        var textWidth = w - 2 * pad - (l.PasswordLink is null ? 0 : 86);
        pdf.Draw(Bilingual.Name(l.NameZh, l.NameEn), PdfCanvas.Font(13, bold: true), XBrushes.Black, new XRect(left, y + pad, textWidth, 18));
        pdf.Draw($"{l.EmployeeNo}{(l.TeamZh is null ? "" : " · " + Bilingual.Name(l.TeamZh, l.TeamEn))}", PdfCanvas.Font(8.5), XBrushes.DimGray, new XRect(left, y + pad + 19, textWidth, 12));
        pdf.Draw("自助终端激活码 Kiosk activation code", PdfCanvas.Font(8), XBrushes.Black, new XRect(left, y + pad + 38, textWidth, 12));
        pdf.Draw(Activation.Format(l.ActivationCode), PdfCanvas.Font(20, bold: true), XBrushes.Black, new XRect(left, y + pad + 50, textWidth, 26));
        pdf.Draw($"首次使用 → 工号 + 激活码 → 自设 PIN · First time here → number + code → your PIN", PdfCanvas.Font(7), XBrushes.DimGray, new XRect(left, y + pad + 80, w - 2 * pad, 10));
        var office = l.SsoName is not null ? $"办公室：使用 {l.SsoName} 登录 · Office: sign in with {l.SsoName}" : l.PasswordLink is { } link ? $"办公室设置密码 Office password: {link}" : "";
        pdf.Draw(office, PdfCanvas.Font(7), XBrushes.Black, new XRect(left, y + pad + 94, w - 2 * pad, 10));
        pdf.Draw($"{Expires(l, true)} 前有效 · valid until {Expires(l, false)}", PdfCanvas.Font(7), XBrushes.DimGray, new XRect(left, y + pad + 106, w - 2 * pad, 10));
        if (l.PasswordLink is { } qr) QrImage(g, qr, x + w - pad - 78, y + pad, 78);
    }

    /// <summary>
    /// The QR code as a small 1-bit image drawn without smoothing (sharp when printed): for 2,000 letters a vector code of
    /// hundreds of rectangles each made the PDF 40 MB larger and 4 s slower.
    /// </summary>
    private static void QrImage(XGraphics g, string text, double x, double y, double size)
    {
        using var gen = new QRCoder.QRCodeGenerator();
        using var data = gen.CreateQrCode(text, QRCoder.QRCodeGenerator.ECCLevel.M);
        var png = new QRCoder.BitmapByteQRCode(data).GetGraphic(1); // one pixel per module: drawn unsmoothed, it prints as sharp as any size
        var image = XImage.FromStream(new MemoryStream(png));
        image.Interpolate = false;
        g.DrawImage(image, x, y, size, size);
    }

    private static void Wrapped(PdfCanvas pdf, string text, double size, double width, bool bold = false)
    {
        var font = PdfCanvas.Font(size, bold);
        foreach (var line in pdf.Wrap(text, font, width))
        {
            pdf.Draw(line, font, XBrushes.Black, new XRect(pdf.Margin, pdf.Y, width, size * 1.45));
            pdf.Y += size * 1.45;
        }
        pdf.Y += 4;
    }

    private static string Two(bool zhFirst, string zh, string en) => zhFirst ? $"{zh}  {en}" : $"{en}  {zh}";

    private static string Expires(Letter l, bool zh) =>
        l.ExpiresUtc.ToString(zh ? "yyyy年M月d日" : "d MMM yyyy", zh ? CultureInfo.GetCultureInfo("zh-CN") : CultureInfo.InvariantCulture);

    /// <summary>A supervisor's slip: one card with a fresh code for one person.</summary>
    public static byte[] RenderSlip(Activation.Slip s, string siteZh, string siteEn) =>
        Render(new LetterBatch([new Letter(s.EmployeeNo, s.NameZh, s.NameEn, null, null, siteZh, siteEn, "zh-CN", s.HasBadge, s.Code, null, null, s.ExpiresUtc)], [], true, s.ExpiresUtc));
}
