using PdfSharp.Drawing;
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
            pdf.Paragraph($"■ {Bilingual.Name(r.NameZh, r.NameEn)} — {r.RuleZh} {r.RuleEn}: {r.Text}{(r.Location is null || r.QuickPick is not null ? "" : $" ({r.Location})")}", body, after: 3);
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
        Trends(pdf, h2, body, s);
        return pdf.Finish((n, total) => $"第 {n} / {total} 页 · Page {n} of {total} · Recognition");
    }

    /// <summary>The team's last 12 weeks (a bar per week, its number above) and its values radar, as vector drawings.</summary>
    private static void Trends(PdfCanvas pdf, XFont h2, XFont body, ShiftSummary s)
    {
        if (s.Heat is null && s.Radar is null) return;
        Section(pdf, h2, "班组趋势", "Team trends");
        pdf.Reserve(205);
        var g = pdf.Gfx;
        var top = pdf.Y;
        var small = PdfCanvas.Font(7);
        if (s.Heat is { } heat)
        {
            pdf.Draw("最近 12 周收到的认可 Recognitions received, last 12 weeks", PdfCanvas.Font(9), XBrushes.Black, new XRect(pdf.Margin, top, 260, 12));
            var max = Math.Max(1, heat.Cells.Max(c => c.Value ?? 0));
            for (var i = 0; i < heat.Cells.Count; i++)
            {
                var x = pdf.Margin + i * 21;
                var cell = heat.Cells[i];
                var h = cell.Value is { } v ? 110.0 * v / max : 0;
                if (cell.Value is not null) g.DrawRectangle(XBrushes.DimGray, x, top + 140 - h, 16, h);
                pdf.Draw(cell.ToString(), small, XBrushes.Black, new XRect(x - 2, top + 128 - h, 20, 9), XStringFormats.TopCenter);
                pdf.Draw(Insights.Charts.WeekLabel(s.HeatWeeks[i]), small, XBrushes.DimGray, new XRect(x - 3, top + 143, 22, 9), XStringFormats.TopCenter); // the Monday's date
            }
        }
        if (s.Radar is { Count: >= 3 } axes)
        {
            // The title on its own line, the top axis label below it (label box top = cy - radius - 19 > title bottom).
            double cx = pdf.Margin + 380, cy = top + 96, radius = 58;
            var max = Math.Max(1, axes.Max(a => a.Count));
            XPoint At(int i, double r) => new(cx + r * Math.Cos(-Math.PI / 2 + 2 * Math.PI * i / axes.Count), cy + r * Math.Sin(-Math.PI / 2 + 2 * Math.PI * i / axes.Count));
            var grid = new XPen(XColors.LightGray, 0.6);
            g.DrawPolygon(grid, Enumerable.Range(0, axes.Count).Select(i => At(i, radius)).ToArray());
            g.DrawPolygon(grid, Enumerable.Range(0, axes.Count).Select(i => At(i, radius / 2)).ToArray());
            g.DrawPolygon(new XPen(XColors.Black, 1.2), Enumerable.Range(0, axes.Count).Select(i => At(i, radius * axes[i].Count / max)).ToArray());
            for (var i = 0; i < axes.Count; i++)
            {
                var p = At(i, radius + 14);
                pdf.Draw(PdfCanvas.Printable($"{axes[i].Name} {axes[i].Count}"), small, XBrushes.Black, new XRect(p.X - 40, p.Y - 5, 80, 9), XStringFormats.TopCenter);
            }
            pdf.Draw("价值观雷达 Values radar", PdfCanvas.Font(9), XBrushes.Black, new XRect(cx - 80, top, 160, 12), XStringFormats.TopCenter);
        }
        else if (s.Radar is null)
        {
            pdf.Draw("价值观雷达：班组不足 5 人，不显示 Values radar: not shown for a team under five", small, XBrushes.DimGray, new XRect(pdf.Margin + 290, top, 220, 10));
        }
        pdf.Y = top + 185;
        pdf.Paragraph("线索，不是结论 A clue for a conversation, never a verdict.", PdfCanvas.Font(8), XBrushes.DimGray);
    }

    private static void Section(PdfCanvas pdf, XFont font, string zh, string en)
    {
        pdf.Reserve(60);
        pdf.Y += 6;
        pdf.Paragraph(Bilingual.Label(zh, en), font, after: 2);
    }
}
