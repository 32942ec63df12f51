using System.Diagnostics;

namespace Recognition.Tests.Support;

/// <summary>PDF tests read the output with poppler's pdftotext/pdfinfo (apt-get install -y poppler-utils); CI always runs them.</summary>
public sealed class PdfFactAttribute : FactAttribute
{
    public PdfFactAttribute()
    {
        var needed = new[] { Poppler.PdfToText, Poppler.Qpdf }.Concat(Recognition.Web.Infrastructure.Pdf.PdfFonts.DefaultFallbacks);
        if (needed.FirstOrDefault(f => !File.Exists(f)) is { } missing && Environment.GetEnvironmentVariable("CI") != "true")
        {
            Skip = $"PDF test: {missing} not found (apt-get install -y poppler-utils qpdf fonts-hanazono fonts-symbola).";
        }
    }
}

public static class Poppler
{
    public const string PdfToText = "/usr/bin/pdftotext";
    public const string Qpdf = "/usr/bin/qpdf";

    /// <summary>qpdf's structural check: every object, stream and cross-reference must be valid (exit 0, no warnings).</summary>
    public static async Task CheckAsync(byte[] pdf) => Assert.Contains("No syntax or stream encoding errors found", await RunAsync("qpdf", pdf, "--check", "{file}"));

    /// <summary>The fonts embedded in the PDF, one name per line (pdffonts).</summary>
    public static async Task<string> FontsAsync(byte[] pdf) => await RunAsync("pdffonts", pdf, "{file}");

    /// <summary>How many images the PDF embeds: pdfimages -list has two header lines, then a line per use of an image on a page; distinct objects count.</summary>
    public static async Task<int> ImageCountAsync(byte[] pdf) =>
        (await RunAsync("pdfimages", pdf, "-list", "{file}")).Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(2)
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Select(f => $"{f[10]} {f[11]}").Distinct().Count();

    public sealed record Word(string Text, double XMin, double YMin, double XMax, double YMax)
    {
        public bool Overlaps(Word o) => XMin < o.XMax && o.XMin < XMax && YMin < o.YMax && o.YMin < YMax;
    }

    /// <summary>Every word with its box in points (pdftotext -bbox), to check that things printed apart stay apart.</summary>
    public static async Task<IReadOnlyList<Word>> WordsAsync(byte[] pdf)
    {
        var xml = await RunAsync("pdftotext", pdf, "-bbox", "{file}", "-");
        var words = System.Text.RegularExpressions.Regex.Matches(xml, "<word xMin=\"([0-9.]+)\" yMin=\"([0-9.]+)\" xMax=\"([0-9.]+)\" yMax=\"([0-9.]+)\">([^<]*)</word>");
        double D(System.Text.RegularExpressions.Match m, int i) => double.Parse(m.Groups[i].Value, System.Globalization.CultureInfo.InvariantCulture);
        return words.Select(m => new Word(System.Net.WebUtility.HtmlDecode(m.Groups[5].Value), D(m, 1), D(m, 2), D(m, 3), D(m, 4))).ToList();
    }

    public static async Task<string> TextAsync(byte[] pdf) => await RunAsync("pdftotext", pdf, "-layout", "{file}", "-");

    public static async Task<(int Pages, string PageSize)> InfoAsync(byte[] pdf)
    {
        var info = await RunAsync("pdfinfo", pdf, "{file}");
        var pages = int.Parse(info.Split('\n').First(l => l.StartsWith("Pages:", StringComparison.Ordinal))[6..].Trim());
        var size = info.Split('\n').First(l => l.StartsWith("Page size:", StringComparison.Ordinal))[10..].Trim();
        return (pages, size);
    }

    /// <summary>One page rendered as a printer or camera would see it: 8-bit grey pixels at the given resolution (pdftoppm).</summary>
    public static async Task<(int Width, int Height, byte[] Pixels)> RenderGrayAsync(byte[] pdf, int page, int dpi)
    {
        var file = Path.Combine(Path.GetTempPath(), $"rec-{Guid.NewGuid():N}");
        await File.WriteAllBytesAsync(file + ".pdf", pdf);
        try
        {
            var psi = new ProcessStartInfo("pdftoppm", ["-gray", "-r", dpi.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "-f", page.ToString(System.Globalization.CultureInfo.InvariantCulture), "-l", page.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "-singlefile", file + ".pdf", file])
            { RedirectStandardError = true };
            using var p = Process.Start(psi)!;
            var err = await p.StandardError.ReadToEndAsync();
            await p.WaitForExitAsync();
            Assert.True(p.ExitCode == 0, $"pdftoppm failed: {err}");
            return ParsePgm(await File.ReadAllBytesAsync(file + ".pgm"));
        }
        finally
        {
            File.Delete(file + ".pdf");
            File.Delete(file + ".pgm");
        }
    }

    /// <summary>A binary PGM (P5, maxval 255): header "P5 w h 255" then the pixels.</summary>
    private static (int, int, byte[]) ParsePgm(byte[] data)
    {
        var pos = 0;
        string Token()
        {
            while (char.IsWhiteSpace((char)data[pos])) pos++;
            var start = pos;
            while (!char.IsWhiteSpace((char)data[pos])) pos++;
            return System.Text.Encoding.ASCII.GetString(data, start, pos - start);
        }
        Assert.Equal("P5", Token());
        var w = int.Parse(Token(), System.Globalization.CultureInfo.InvariantCulture);
        var h = int.Parse(Token(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal("255", Token());
        pos++; // the single whitespace before the pixels
        return (w, h, data[pos..(pos + w * h)]);
    }

    /// <summary>Every QR code a reader finds on the page (ZXing, an implementation independent of the one that drew them).</summary>
    public static async Task<IReadOnlyList<string>> QrCodesAsync(byte[] pdf, int page, int dpi)
    {
        var (w, h, pixels) = await RenderGrayAsync(pdf, page, dpi);
        var bitmap = new ZXing.BinaryBitmap(new ZXing.Common.HybridBinarizer(new ZXing.RGBLuminanceSource(pixels, w, h, ZXing.RGBLuminanceSource.BitmapFormat.Gray8)));
        var found = new ZXing.Multi.QrCode.QRCodeMultiReader().decodeMultiple(bitmap, new Dictionary<ZXing.DecodeHintType, object> { [ZXing.DecodeHintType.TRY_HARDER] = true });
        return found?.Select(r => r.Text).ToList() ?? [];
    }

    private static async Task<string> RunAsync(string tool, byte[] pdf, params string[] args)
    {
        var file = Path.Combine(Path.GetTempPath(), $"rec-{Guid.NewGuid():N}.pdf");
        await File.WriteAllBytesAsync(file, pdf);
        try
        {
            var psi = new ProcessStartInfo(tool, args.Select(a => a == "{file}" ? file : a)) { RedirectStandardOutput = true, RedirectStandardError = true };
            using var p = Process.Start(psi)!;
            var output = await p.StandardOutput.ReadToEndAsync();
            var err = await p.StandardError.ReadToEndAsync();
            await p.WaitForExitAsync();
            Assert.True(p.ExitCode == 0, $"{tool} failed: {err}");
            Assert.True(err.Trim().Length == 0, $"{tool} reported: {err}"); // e.g. "Bad block header in flate stream"
            return output;
        }
        finally
        {
            File.Delete(file);
        }
    }
}
