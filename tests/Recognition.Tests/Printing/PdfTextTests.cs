using System.Text.RegularExpressions;
using Recognition.Tests.Support;
using Recognition.Web.Features.Printing;
using Recognition.Web.Infrastructure.Pdf;

namespace Recognition.Tests.Printing;

/// <summary>Every name and message prints, whole, in a valid PDF.</summary>
public sealed class PdfTextTests
{
    static PdfTextTests() => PdfFonts.EnsureInitialized(Path.Combine(AppFactory.RepoRoot(), "wwwroot"));

    private static Certificate Cert(string recipientZh, string message) =>
        new(recipientZh, "Test Person", "安全之星", "Safety Star", "安全第一", "Safety first", message, "王伟", "Wei Wang", "2026-11-18", "测试厂", "Test Plant", "https://example.test/verify/abc");

    /// <summary>Renders and keeps the PDF beside the screenshots, for a person to look at (pdftoppm).</summary>
    private static byte[] Render(string name, params Certificate[] certs)
    {
        var pdf = CertificatePdf.Render(certs);
        var dir = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(dir);
        File.WriteAllBytes(Path.Combine(dir, name + ".pdf"), pdf);
        return pdf;
    }

    private static string Flat(string s) => Regex.Replace(s, @"\s+", "");

    [PdfFact]
    public async Task A_single_certificate_is_a_valid_pdf()
    {
        var pdf = Render("certificate-single", Cert("陈静", "你在给客户的汇报里加了两张对比表，客户当场续签了订单。"));
        await Poppler.CheckAsync(pdf);
        Assert.Contains("陈静", await Poppler.TextAsync(pdf)); // pdftotext reads it without a stream error
        Assert.DoesNotContain("1 / 1", await Poppler.TextAsync(pdf));
    }

    [PdfFact]
    public async Task Rare_characters_and_emoji_print_from_fallback_fonts_and_invisible_controls_never_print()
    {
        Assert.Contains("HanaMinB", PdfFonts.Loaded); // Debian fonts-hanazono and fonts-symbola (CI installs them)
        Assert.Contains("Symbola_hint", PdfFonts.Loaded);
        var pdf = Render("certificate-rare-emoji", Cert("𠀀𪚥\u200B李\u202E明\u2066", "谢谢你 👍🏽 帮我们把 🔧 扭矩扳手都校准了一遍，🎉 新人也学会了！"));
        await Poppler.CheckAsync(pdf);
        var fonts = await Poppler.FontsAsync(pdf);
        Assert.Contains("HanaMinB", fonts);
        Assert.Contains("Symbola", fonts);
        var text = await Poppler.TextAsync(pdf);
        Assert.Contains("𠀀𪚥李明", Flat(text));
        Assert.Contains("👍", text);
        Assert.Contains("🔧", text);
        Assert.DoesNotContain("\u200B", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\u202E", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\u2066", text, StringComparison.Ordinal);
    }

    [PdfFact]
    public async Task A_500_character_chinese_message_prints_whole_on_one_page()
    {
        var message = string.Concat(Enumerable.Range(0, 50).Select(i => $"第{i % 10}段谢谢你，")).PadRight(500, '好')[..500];
        var pdf = Render("certificate-500", Cert("陈静", message));
        await Poppler.CheckAsync(pdf);
        Assert.Equal(1, (await Poppler.InfoAsync(pdf)).Pages);
        Assert.Contains(Flat(message), Flat(await Poppler.TextAsync(pdf)));
    }

    [PdfFact]
    public async Task A_message_too_long_for_one_page_continues_on_a_second_never_cut()
    {
        var message = string.Concat(Enumerable.Range(0, 400).Select(i => $"句{i:000}：谢谢你在夜班主动巡检。"));
        var pdf = Render("certificate-continued", Cert("陈静", message));
        await Poppler.CheckAsync(pdf);
        Assert.True((await Poppler.InfoAsync(pdf)).Pages >= 2);
        var text = Flat(await Poppler.TextAsync(pdf));
        Assert.Contains("continuedoverleaf", text);
        foreach (var i in new[] { 0, 199, 399 }) Assert.Contains($"句{i:000}：谢谢你在夜班主动巡检。", text);
    }

    [PdfFact]
    public async Task The_summary_radar_title_stands_clear_of_its_axis_labels()
    {
        var summary = new ShiftSummary
        {
            TeamZh = "冲压一线", TeamEn = "Stamping 1", SiteZh = "测试厂", SiteEn = "Test Plant", TimeZone = "Asia/Shanghai",
            Window = new SummaryWindow(new DateTime(2026, 11, 17, 0, 0, 0, DateTimeKind.Utc), new DateTime(2026, 11, 18, 0, 0, 0, DateTimeKind.Utc)),
            Radar = [new("安全 Safety", 12), new("客户 Customer", 3), new("协作 Teamwork", 8), new("创新 Innovation", 5), new("学习 Learning", 9)],
        };
        var pdf = SummaryPdf.Render(summary);
        var dir = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(dir);
        File.WriteAllBytes(Path.Combine(dir, "summary-radar.pdf"), pdf);
        var words = await Poppler.WordsAsync(pdf);
        var title = words.Where(w => w.Text is "价值观雷达" or "Values" or "radar").ToList();
        var labels = words.Where(w => w.Text is "安全" or "Safety" or "12" or "客户" or "学习").ToList();
        Assert.Equal(3, title.Count);
        Assert.NotEmpty(labels);
        foreach (var t in title)
        {
            foreach (var l in labels) Assert.False(t.Overlaps(l), $"'{t.Text}' overlaps '{l.Text}'");
        }
    }
}
