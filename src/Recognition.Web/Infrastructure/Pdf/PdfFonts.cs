using PdfSharp.Fonts;

namespace Recognition.Web.Infrastructure.Pdf;

/// <summary>
/// PDFsharp on Linux has no system fonts: every face resolves to the Noto Sans SC TrueType file shipped
/// in wwwroot/fonts (Latin and CJK in one face; bold and italic are simulated). Loaded once per process.
/// </summary>
public sealed class PdfFonts : IFontResolver
{
    public const string Family = "Noto Sans SC";
    private const string Face = "NotoSansSC-Regular";
    private static readonly object Gate = new();
    private static bool _ready;
    private readonly byte[] _regular;

    private PdfFonts(byte[] regular) => _regular = regular;

    /// <summary>Sets the AGPL licence (PDFsharp 6.5 requires a choice) and the font resolver, once.</summary>
    public static void EnsureInitialized(string webRoot)
    {
        lock (Gate)
        {
            if (_ready) return;
            var path = Path.Combine(webRoot, "fonts", "NotoSansSC-Regular.ttf");
            if (!File.Exists(path)) throw new FileNotFoundException($"The PDF font is missing: {path}");
            PdfSharp.PdfSharpLicense.SetAgplLicense();
            GlobalFontSettings.FontResolver = new PdfFonts(File.ReadAllBytes(path));
            _ready = true;
        }
    }

    public FontResolverInfo ResolveTypeface(string familyName, bool isBold, bool isItalic) => new(Face, isBold, isItalic);

    public byte[] GetFont(string faceName) => _regular;
}
