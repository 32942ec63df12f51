using System.Buffers.Binary;
using System.Collections;
using PdfSharp.Fonts;

namespace Recognition.Web.Infrastructure.Pdf;

/// <summary>
/// PDFsharp on Linux has no system fonts, so this resolver supplies them: Noto Sans SC from wwwroot/fonts (Latin and
/// CJK; bold is simulated), then a fallback chain for what it lacks — by default Debian's HanaMinB (CJK Extension B,
/// 𠀀 𪚥), HanaMinA (rare BMP ideographs) and Symbola (monochrome emoji and symbols). Each character is drawn in the
/// first font whose character map has it (<see cref="FamilyFor"/>). Fallback paths come from Pdf:FallbackFonts; a
/// missing file is skipped (its characters then print as the primary font's missing-glyph box).
/// </summary>
public sealed class PdfFonts : IFontResolver
{
    public const string Family = "Noto Sans SC";
    public static readonly string[] DefaultFallbacks =
    [
        "/usr/share/fonts/truetype/hanazono/HanaMinB.ttf",
        "/usr/share/fonts/truetype/hanazono/HanaMinA.ttf",
        "/usr/share/fonts/truetype/ancient-scripts/Symbola_hint.ttf",
    ];

    private static readonly object Gate = new();
    private static PdfFonts? _current;
    private readonly List<Face> _faces;

    private sealed record Face(string Family, string Path, BitArray Coverage)
    {
        public Lazy<byte[]> Bytes { get; } = new(() => File.ReadAllBytes(Path));
    }

    private PdfFonts(List<Face> faces) => _faces = faces;

    private static (string WebRoot, string[] Fallbacks)? _configured;

    /// <summary>Where the fonts are (the app's web root and Pdf:FallbackFonts); loaded on first use.</summary>
    public static void Configure(string webRoot, string[]? fallbacks)
    {
        lock (Gate) _configured = (webRoot, fallbacks ?? DefaultFallbacks);
    }

    /// <summary>Loads the configured fonts unless already loaded (every PDF starts here).</summary>
    public static void EnsureInitialized()
    {
        if (_current is not null) return;
        var (root, fallbacks) = _configured ?? throw new InvalidOperationException("PdfFonts.Configure was not called.");
        EnsureInitialized(root, fallbacks);
    }

    /// <summary>Sets the font resolver, once.</summary>
    public static void EnsureInitialized(string webRoot, IEnumerable<string>? fallbacks = null)
    {
        lock (Gate)
        {
            if (_current is not null) return;
            var primary = Path.Combine(webRoot, "fonts", "NotoSansSC-Regular.ttf");
            if (!File.Exists(primary)) throw new FileNotFoundException($"The PDF font is missing: {primary}");
            var faces = new List<Face> { new(Family, primary, Coverage(primary)) };
            foreach (var path in (fallbacks ?? DefaultFallbacks).Where(File.Exists))
            {
                faces.Add(new Face(System.IO.Path.GetFileNameWithoutExtension(path), path, Coverage(path)));
            }
            var fonts = new PdfFonts(faces);
            GlobalFontSettings.FontResolver = fonts;
            _current = fonts;
        }
    }

    /// <summary>The fallback fonts found (for the README's check and the tests).</summary>
    public static IReadOnlyList<string> Loaded => _current?._faces.Select(f => f.Family).ToList() ?? [];

    /// <summary>The family of the first font that has this character (the primary one when none has it).</summary>
    public static string FamilyFor(int codePoint)
    {
        var faces = _current?._faces;
        if (faces is null) return Family;
        foreach (var f in faces)
        {
            if (codePoint < f.Coverage.Length && f.Coverage[codePoint]) return f.Family;
        }
        return Family;
    }

    public FontResolverInfo ResolveTypeface(string familyName, bool isBold, bool isItalic) =>
        new(_faces.Any(f => f.Family == familyName) ? familyName : Family, isBold, isItalic);

    public byte[] GetFont(string faceName) => (_faces.FirstOrDefault(f => f.Family == faceName) ?? _faces[0]).Bytes.Value;

    /// <summary>Which code points the font maps to a glyph, from its cmap table (formats 4 and 12).</summary>
    internal static BitArray Coverage(string path)
    {
        var bits = new BitArray(0x110000);
        using var file = File.OpenRead(path);
        var head = new byte[12];
        file.ReadExactly(head);
        var tables = BinaryPrimitives.ReadUInt16BigEndian(head.AsSpan(4));
        var records = new byte[tables * 16];
        file.ReadExactly(records);
        for (var i = 0; i < tables; i++)
        {
            var r = records.AsSpan(i * 16);
            if (!r[..4].SequenceEqual("cmap"u8)) continue;
            var cmap = new byte[BinaryPrimitives.ReadUInt32BigEndian(r[12..])];
            file.Position = BinaryPrimitives.ReadUInt32BigEndian(r[8..]);
            file.ReadExactly(cmap);
            Read(cmap, bits);
        }
        return bits;
    }

    private static void Read(ReadOnlySpan<byte> cmap, BitArray bits)
    {
        var n = BinaryPrimitives.ReadUInt16BigEndian(cmap[2..]);
        for (var i = 0; i < n; i++)
        {
            var rec = cmap[(4 + i * 8)..];
            var platform = BinaryPrimitives.ReadUInt16BigEndian(rec);
            var encoding = BinaryPrimitives.ReadUInt16BigEndian(rec[2..]);
            if (!(platform == 0 || (platform == 3 && encoding is 1 or 10))) continue;
            var sub = cmap[(int)BinaryPrimitives.ReadUInt32BigEndian(rec[4..])..];
            switch (BinaryPrimitives.ReadUInt16BigEndian(sub))
            {
                case 4:
                    var segs = BinaryPrimitives.ReadUInt16BigEndian(sub[6..]) / 2;
                    var ends = sub[14..];
                    var starts = ends[(segs * 2 + 2)..];
                    var deltas = starts[(segs * 2)..];
                    var rangeOffsets = deltas[(segs * 2)..];
                    for (var s = 0; s < segs; s++)
                    {
                        int end = BinaryPrimitives.ReadUInt16BigEndian(ends[(s * 2)..]), start = BinaryPrimitives.ReadUInt16BigEndian(starts[(s * 2)..]);
                        int delta = BinaryPrimitives.ReadInt16BigEndian(deltas[(s * 2)..]), ro = BinaryPrimitives.ReadUInt16BigEndian(rangeOffsets[(s * 2)..]);
                        for (var c = start; c <= end && c != 0xFFFF; c++)
                        {
                            int glyph;
                            if (ro == 0) glyph = (c + delta) & 0xFFFF;
                            else
                            {
                                var at = s * 2 + ro + (c - start) * 2;
                                glyph = at + 2 <= rangeOffsets.Length ? BinaryPrimitives.ReadUInt16BigEndian(rangeOffsets[at..]) : 0;
                                if (glyph != 0) glyph = (glyph + delta) & 0xFFFF;
                            }
                            if (glyph != 0) bits[c] = true;
                        }
                    }
                    break;
                case 12:
                    var groups = BinaryPrimitives.ReadUInt32BigEndian(sub[12..]);
                    for (var g = 0; g < groups; g++)
                    {
                        var grp = sub[(16 + g * 12)..];
                        var (first, last) = (BinaryPrimitives.ReadUInt32BigEndian(grp), BinaryPrimitives.ReadUInt32BigEndian(grp[4..]));
                        for (var c = first; c <= last && c < 0x110000; c++) bits[(int)c] = true;
                    }
                    break;
            }
        }
    }
}
