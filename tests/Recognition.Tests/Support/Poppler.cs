using System.Diagnostics;

namespace Recognition.Tests.Support;

/// <summary>PDF tests read the output with poppler's pdftotext/pdfinfo (apt-get install -y poppler-utils); CI always runs them.</summary>
public sealed class PdfFactAttribute : FactAttribute
{
    public PdfFactAttribute()
    {
        if (!File.Exists(Poppler.PdfToText) && Environment.GetEnvironmentVariable("CI") != "true")
        {
            Skip = $"PDF test: {Poppler.PdfToText} not found (apt-get install -y poppler-utils).";
        }
    }
}

public static class Poppler
{
    public const string PdfToText = "/usr/bin/pdftotext";

    public static async Task<string> TextAsync(byte[] pdf) => await RunAsync("pdftotext", pdf, "-layout", "{file}", "-");

    public static async Task<(int Pages, string PageSize)> InfoAsync(byte[] pdf)
    {
        var info = await RunAsync("pdfinfo", pdf, "{file}");
        var pages = int.Parse(info.Split('\n').First(l => l.StartsWith("Pages:", StringComparison.Ordinal))[6..].Trim());
        var size = info.Split('\n').First(l => l.StartsWith("Page size:", StringComparison.Ordinal))[10..].Trim();
        return (pages, size);
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
            return output;
        }
        finally
        {
            File.Delete(file);
        }
    }
}
