using PdfSharp.Drawing;
using Recognition.Web.Infrastructure;
using Recognition.Web.Infrastructure.Pdf;

namespace Recognition.Web.Features.Printing;

/// <summary>The shift-meeting summary: A4 portrait, black on white, team and shift in every page's header.</summary>
public static class SummaryPdf
{
    public static byte[] Render(ShiftSummary s)
    {
        var h1 = PdfCanvas.Font(16, bold: true);
        var h2 = PdfCanvas.Font(12.5, bold: true);
        var body = PdfCanvas.Font(10);
        var small = PdfCanvas.Font(8.5);
        var shift = s.ShiftZh is null ? "" : $" · {Bilingual.Name(s.ShiftZh, s.ShiftEn)}";
        using var pdf = new PdfCanvas($"{s.TeamZh} {s.TeamEn} {s.From}", header: c =>
        {
            c.Paragraph(Bilingual.Label("班前会认可摘要", "Shift-meeting recognition summary"), h1, after: 0);
            c.Paragraph($"{Bilingual.Name(s.TeamZh, s.TeamEn)}{shift} · {Bilingual.Name(s.SiteZh, s.SiteEn)}", body, after: 0);
            c.Paragraph($"{s.From} – {s.To} ({s.TimeZone})", small, XBrushes.DimGray, after: 4);
            c.Rule();
        });
        pdf.NewPage();

        Section(pdf, h2, "概览", "Overview");
        pdf.Paragraph($"认可 Recognitions: {s.Recognitions.Count}   ·   安全报告 Safety reports: {s.SafetyReports.Count}   ·   成就勋章 Badges earned: {s.Achievements.Count}", body);
        var customer = s.Recognitions.Count(r => r.FromCustomer);
        if (customer > 0) pdf.Paragraph($"客户表扬 Customer praise: {customer}", body);
        if (s.ByValue.Count > 0)
        {
            pdf.Paragraph("按价值观 By value:  " + string.Join("   ", s.ByValue.Select(v => $"{v.ValueZh} {v.ValueEn} {v.Count}")), body);
        }

        Section(pdf, h2, "认可", $"Recognitions ({s.Recognitions.Count})");
        if (s.Recognitions.Count == 0) pdf.Paragraph("—", body);
        foreach (var r in s.Recognitions)
        {
            pdf.Reserve(48);
            var to = string.Join("、", r.RecipientDetails.Select(p => Bilingual.Name(p.NameZh, p.NameEn)));
            var what = string.Join(" · ", new[] { r.BadgeZh is null ? null : Bilingual.Name(r.BadgeZh, r.BadgeEn), r.ValueZh is null ? null : Bilingual.Name(r.ValueZh, r.ValueEn) }.Where(x => x is not null));
            pdf.Paragraph($"■ {to}  —  {what}", PdfCanvas.Font(10, bold: true), after: 0);
            pdf.Paragraph(r.Message, body, indent: 14, after: 0);
            var from = r.FromCustomer ? $"客户 a customer{(r.ExternalFrom is null ? "" : $" ({r.ExternalFrom})")} · 客户表扬 Customer praise" : Bilingual.Name(r.GiverZh, r.GiverEn);
            pdf.Paragraph($"{Bilingual.Label("来自", "from")} {from} · {SiteTime.Format(r.CreatedUtc, r.TimeZone)}", small, XBrushes.DimGray, indent: 14, after: 6);
        }

        Section(pdf, h2, "感谢安全报告", $"Thank you for reporting ({s.SafetyReports.Count})");
        if (s.SafetyReports.Count == 0) pdf.Paragraph("—", body);
        foreach (var r in s.SafetyReports)
        {
            pdf.Paragraph($"■ {Bilingual.Name(r.NameZh, r.NameEn)} — {r.RuleZh} {r.RuleEn}: {r.Description}{(r.Location is null ? "" : $" ({r.Location})")}", body, after: 3);
        }

        if (s.Achievements.Count > 0)
        {
            Section(pdf, h2, "获得成就勋章", "Achievement badges earned");
            foreach (var a in s.Achievements) pdf.Paragraph($"■ {Bilingual.Name(a.NameZh, a.NameEn)} — {a.BadgeZh} {a.BadgeEn}", body, after: 3);
        }
        if (s.NewJoiners.Count > 0 || s.Anniversaries.Count > 0)
        {
            Section(pdf, h2, "新同事与司龄", "New joiners and anniversaries");
            foreach (var j in s.NewJoiners) pdf.Paragraph($"■ {j.Name} — 欢迎加入 welcome ({SiteTime.FromDay(j.HireDay):yyyy-MM-dd})", body, after: 3);
            foreach (var a in s.Anniversaries) pdf.Paragraph($"■ {a.Name} — 入职 {a.Years} 周年 {a.Years}-year anniversary", body, after: 3);
        }
        return pdf.Finish((n, total) => $"第 {n} / {total} 页 · Page {n} of {total} · Recognition");
    }

    private static void Section(PdfCanvas pdf, XFont font, string zh, string en)
    {
        pdf.Reserve(60);
        pdf.Y += 6;
        pdf.Paragraph(Bilingual.Label(zh, en), font, after: 2);
    }
}
