using PdfSharp.Drawing;
using Recognition.Web.Infrastructure.Pdf;

namespace Recognition.Web.Features.Coaching;

/// <summary>
/// The one-to-one card on paper: A4, one page per person, both languages with the person's own first. The private
/// note of a one-to-one is never printed (paper lies about on a shift desk); the label says these are prompts, not a rating.
/// </summary>
public static class CardPdf
{
    /// <summary><paramref name="text"/>(key, chinese, args) gives a resource string in one language.</summary>
    public static byte[] Render(IReadOnlyList<CoachingCard> cards, Func<string, bool, object[], string> text)
    {
        var h1 = PdfCanvas.Font(15, bold: true);
        var h2 = PdfCanvas.Font(11, bold: true);
        var body = PdfCanvas.Font(9.5);
        var small = PdfCanvas.Font(8);
        using var pdf = new PdfCanvas(cards.Count == 1 ? Bilingual.Name(cards[0].Person.NameZh, cards[0].Person.NameEn) : "1:1");
        foreach (var c in cards)
        {
            var zhFirst = !c.Person.Locale.StartsWith("en", StringComparison.Ordinal);
            string Both(string key, params object[] args)
            {
                var (a, b) = (text(key, zhFirst, args), text(key, !zhFirst, args));
                return a == b ? a : $"{a} · {b}";
            }
            string When(DateTime utc) => SiteTime.ToLocal(utc, c.Person.TimeZone).ToString("yyyy-MM-dd");
            pdf.NewPage();
            pdf.Paragraph(Both("Coach.PrintTitle") + " — " + Bilingual.Name(c.Person.NameZh, c.Person.NameEn), h1, after: 0);
            pdf.Paragraph($"{c.Person.EmployeeNo} · {Bilingual.Name(c.Person.TeamZh, c.Person.TeamEn)} · {When(c.NowUtc)}", small, XBrushes.DimGray, after: 2);
            pdf.Paragraph(Both("Coach.Label"), PdfCanvas.Font(9, bold: true), after: 4);
            if (c.NotRecognisedDays is { } quiet) pdf.Paragraph(Both("Coach.Quiet", quiet), body, after: 4);
            pdf.Rule();

            pdf.Paragraph(Both("Coach.Questions"), h2, after: 2);
            var n = 0;
            foreach (var (key, arg) in c.Questions(zhFirst)) pdf.Paragraph($"{++n}. {Both(key, arg ?? "")}", body, indent: 6, after: 2);

            pdf.Paragraph(Both("Coach.Received", c.Received.Count, c.Last30.Count()), h2, after: 2);
            if (c.Received.Count == 0) pdf.Paragraph("—", body);
            foreach (var r in c.Received.Take(5))
            {
                var from = r.Source == "customer" ? Both("Coach.Customer", r.ExternalFrom ?? "") : Bilingual.Name(r.FromZh, r.FromEn);
                var value = r.ValueZh is null ? "" : " · " + Bilingual.Name(r.ValueZh, r.ValueEn);
                pdf.Paragraph($"“{Cut(r.Message, 160)}” — {from} · {When(r.CreatedUtc)}{value}", body, indent: 6, after: 2);
            }
            if (c.Values.Count > 0)
            {
                pdf.Paragraph(Both("Coach.Values"), h2, after: 2);
                pdf.Paragraph(string.Join("   ", c.Values.Select(v => $"{Bilingual.Name(v.NameZh, v.NameEn)} {v.Then} → {v.Now}")), body, indent: 6, after: 3);
            }
            pdf.Paragraph(Both("Coach.Reports", c.SafetyReports.Count(), c.Ideas.Count()), h2, after: 2);
            foreach (var cl in c.Claims.Take(4)) pdf.Paragraph($"■ {Bilingual.Name(cl.RuleZh, cl.RuleEn)}: {Cut(cl.Description, 120)} ({When(cl.CreatedUtc)})", body, indent: 6, after: 1);
            pdf.Paragraph(Both("Coach.Given", c.Given.Count), h2, after: 2);
            foreach (var g in c.Given.Take(2)) pdf.Paragraph($"“{Cut(g.Message, 140)}” ({When(g.CreatedUtc)})", body, indent: 6, after: 1);
            if (c.OneOnOnes.FirstOrDefault() is { } lastTalk)
            {
                pdf.Paragraph(Both("Coach.Talks"), h2, after: 2);
                pdf.Paragraph($"{lastTalk.HeldDay / 10000}-{lastTalk.HeldDay / 100 % 100:00}-{lastTalk.HeldDay % 100:00}" + (lastTalk.NextStep is null ? "" : $" · {lastTalk.NextStep}"), body, indent: 6);
            }
        }
        return pdf.Finish((page, total) => $"{page} / {total} · Recognition");
    }

    private static string Cut(string s, int max) => s.Length <= max ? s : s[..max] + "…";
}
