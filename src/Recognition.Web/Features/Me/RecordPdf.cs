using PdfSharp.Drawing;
using Recognition.Web.Infrastructure.Pdf;

namespace Recognition.Web.Features.Me;

public sealed class RecordLine
{
    public long Id { get; init; }
    public DateTime CreatedUtc { get; init; }
    public string? BadgeZh { get; init; }
    public string? BadgeEn { get; init; }
    public string? ValueZh { get; init; }
    public string? ValueEn { get; init; }
    public string? FromZh { get; init; }
    public string? FromEn { get; init; }
    public string Message { get; init; } = "";
    public string? VerifyCode { get; init; }
}

public sealed record RecordPerson(string NameZh, string NameEn, string EmployeeNo, string SiteZh, string SiteEn, string TimeZone);

/// <summary>
/// The printed recognition record (A4, both languages): every recognition the person received and kept (not revoked),
/// grouped by year and then by value, with its badge, who gave it, the words and the verify link; then the achievement
/// badges. Made to go with a job application.
/// </summary>
public static class RecordPdf
{
    public static byte[] Render(RecordPerson p, IReadOnlyList<RecordLine> lines, IReadOnlyList<(DateTime At, string Zh, string En)> achievements, string baseUrl, DateTime nowUtc)
    {
        var h1 = PdfCanvas.Font(16, bold: true);
        var h2 = PdfCanvas.Font(13, bold: true);
        var h3 = PdfCanvas.Font(11, bold: true);
        var body = PdfCanvas.Font(10);
        var small = PdfCanvas.Font(8.5);
        using var pdf = new PdfCanvas($"{p.NameZh} {p.NameEn}", header: c =>
        {
            c.Paragraph(Bilingual.Label("认可记录", "Recognition record"), h1, after: 0);
            c.Paragraph($"{Bilingual.Name(p.NameZh, p.NameEn)} · {p.EmployeeNo} · {Bilingual.Name(p.SiteZh, p.SiteEn)}", body, after: 0);
            c.Paragraph($"{Bilingual.Label("生成于", "Made on")} {SiteTime.Format(nowUtc, p.TimeZone)}", small, XBrushes.DimGray, after: 4);
            c.Rule();
        });
        pdf.NewPage();
        pdf.Paragraph($"{Bilingual.Label("共收到认可", "Recognitions received")}: {lines.Count}   ·   {Bilingual.Label("成就勋章", "Achievement badges")}: {achievements.Count}", body);
        if (lines.Count == 0) pdf.Paragraph("—", body);
        foreach (var year in lines.GroupBy(l => SiteTime.ToLocal(l.CreatedUtc, p.TimeZone).Year).OrderByDescending(g => g.Key))
        {
            pdf.Reserve(60);
            pdf.Paragraph($"{year.Key}  ({year.Count()})", h2, after: 4);
            foreach (var value in year.GroupBy(l => Bilingual.Name(l.ValueZh, l.ValueEn)).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal))
            {
                pdf.Reserve(40);
                pdf.Paragraph($"{(value.Key.Length > 0 ? value.Key : Bilingual.Label("其他", "Other"))}  ({value.Count()})", h3, after: 2);
                foreach (var l in value.OrderBy(l => l.CreatedUtc))
                {
                    pdf.Reserve(40);
                    var badge = l.BadgeZh is null ? "" : $"{Bilingual.Name(l.BadgeZh, l.BadgeEn)} · ";
                    pdf.Paragraph($"■ {badge}{Bilingual.Label("来自", "from")} {Bilingual.Name(l.FromZh, l.FromEn)} · {SiteTime.ToLocal(l.CreatedUtc, p.TimeZone):yyyy-MM-dd}", PdfCanvas.Font(10, bold: true), indent: 8, after: 0);
                    pdf.Paragraph(l.Message, body, indent: 20, after: 0);
                    if (l.VerifyCode is not null) pdf.Paragraph($"{Bilingual.Label("验证", "Verify")}: {baseUrl}/verify/{l.VerifyCode}", small, XBrushes.DimGray, indent: 20, after: 5);
                }
            }
        }
        if (achievements.Count > 0)
        {
            pdf.Reserve(50);
            pdf.Paragraph(Bilingual.Label("成就勋章", "Achievement badges"), h2, after: 4);
            foreach (var a in achievements) pdf.Paragraph($"■ {Bilingual.Name(a.Zh, a.En)} · {SiteTime.ToLocal(a.At, p.TimeZone):yyyy-MM-dd}", body, after: 2);
        }
        return pdf.Finish((n, total) => $"第 {n} / {total} 页 · Page {n} of {total} · Recognition");
    }
}
