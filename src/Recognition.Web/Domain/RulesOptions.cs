using System.Globalization;

namespace Recognition.Web.Domain;

/// <summary>
/// The rules an award and a claim are checked against. The allowance and message part is the site's policy (table
/// policies, edited by HR: <see cref="PolicyStore"/>); the rest are the product's own constants. The defaults here are
/// the product brief's, used where a database has no policy row.
/// </summary>
public sealed class RulesOptions
{
    public int MessageMinLength { get; set; } = 20;
    public int MessageMaxLength { get; set; } = 500;
    /// <summary>A CJK character says about as much as two Latin letters, so it counts twice toward the minimum.</summary>
    public int CjkWeight { get; set; } = 2;
    public int MonthlyAllowance { get; set; } = 100;
    public int SupervisorAllowancePerReport { get; set; } = 20;
    public int MaxSharePercentToOnePerson { get; set; } = 40;
    public int DailyRecognitionCap { get; set; } = 10;
    public int MaxRecipients { get; set; } = 10;
    /// <summary>The allowed points per recipient; empty means the default steps.</summary>
    public int[]? PointSteps { get; set; }
    public int[] Steps => (PointSteps is { Length: > 0 } s ? s : [0, 5, 10, 20, 50]).Where(p => p >= 0).Distinct().Order().ToArray();
    public int ClaimMinLength { get; set; } = 10;
    public int ClaimMaxLength { get; set; } = 1000;
    public int PhotoMaxBytes { get; set; } = 2 * 1024 * 1024;

    /// <summary>The product's own constants (claim lengths, photo size, CJK weight), the same at every site.</summary>
    public static readonly RulesOptions Product = new();
}

/// <summary>Pure rules about text, kept apart so they can be unit-tested.</summary>
public static class MessageRules
{
    public static int WeightedLength(string text, int cjkWeight)
    {
        var n = 0;
        var e = StringInfo.GetTextElementEnumerator(text);
        while (e.MoveNext())
        {
            var el = (string)e.Current;
            n += IsCjk(char.ConvertToUtf32(el, 0)) ? cjkWeight : 1;
        }
        return n;
    }

    public static int Length(string text) => new StringInfo(text).LengthInTextElements;

    public static bool IsCjk(int cp) =>
        cp is >= 0x4E00 and <= 0x9FFF      // CJK Unified Ideographs
            or >= 0x3400 and <= 0x4DBF     // Extension A
            or >= 0x20000 and <= 0x2EBEF   // Extensions B–F
            or >= 0xF900 and <= 0xFAFF     // Compatibility Ideographs
            or >= 0x3040 and <= 0x30FF     // Hiragana, Katakana
            or >= 0xAC00 and <= 0xD7AF;    // Hangul syllables

    /// <summary>
    /// Removes what never prints: control characters other than line breaks, and zero-width and bidi controls (Unicode
    /// "format" characters) — except a zero-width joiner between two visible characters, which joins an emoji
    /// (👩‍🔧). Then trims. wwwroot/js/site.js strips the same before its counter counts.
    /// </summary>
    public static string Clean(string? text)
    {
        var s = (text ?? "").Replace("\r", "");
        var sb = new System.Text.StringBuilder(s.Length);
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (char.IsControl(c) && c != '\n') continue;
            if (IsFormat(c))
            {
                var joins = c == '\u200D' && sb.Length > 0 && Visible(sb[^1]) && i + 1 < s.Length && Visible(s[i + 1]);
                if (!joins) continue;
            }
            sb.Append(c);
        }
        return sb.ToString().Trim();

        static bool Visible(char ch) => !char.IsWhiteSpace(ch) && !char.IsControl(ch) && !IsFormat(ch);
    }

    private static bool IsFormat(char c) => CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.Format;

    /// <summary>Null when the text is acceptable, else the resource key and its argument.</summary>
    public static (string Key, int Arg)? Check(string text, int min, int max, int cjkWeight)
    {
        if (text.Length == 0) return ("Error.MessageEmpty", min);
        if (WeightedLength(text, cjkWeight) < min) return ("Error.MessageTooShort", min);
        if (Length(text) > max) return ("Error.MessageTooLong", max);
        return null;
    }
}
