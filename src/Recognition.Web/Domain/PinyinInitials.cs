namespace Recognition.Web.Domain;

/// <summary>
/// Finding a Chinese name by the first letters of its pinyin, as people type on a kiosk's letter keyboard: "zhm" finds
/// 赵海敏. The table (Resources/pinyin-initials.txt, made by tools/pinyin from pinyin-pro, MIT) gives every reading's
/// first letter of each character U+4E00–U+9FFF, so a character with two readings (单: dān, shàn) matches either.
/// Letters and digits in a name count as themselves; anything else is skipped.
/// </summary>
public static class PinyinInitials
{
    private const int First = 0x4E00;
    private static readonly Lazy<string[]> Table = new(() => Load("pinyin-initials.txt"));
    private static readonly Lazy<string[]> Syllables = new(() => Load("pinyin-syllables.txt"));

    private static string[] Load(string name)
    {
        using var s = typeof(PinyinInitials).Assembly.GetManifestResourceStream(name) ?? throw new InvalidOperationException(name + " is not embedded");
        using var r = new StreamReader(s);
        return r.ReadToEnd().Split('\n');
    }

    /// <summary>
    /// A readable web address part for a name: ASCII letters and digits kept, each Chinese character as its pinyin,
    /// everything else a dash ("冲压车间大屏" → "chong-ya-che-jian-da-ping", "Line 1 wall" → "line-1-wall").
    /// </summary>
    public static string Slug(string name)
    {
        var b = new System.Text.StringBuilder();
        foreach (var ch in name.ToLowerInvariant())
        {
            if (char.IsAsciiLetterOrDigit(ch)) b.Append(ch);
            else if (ch - First is >= 0 and var i && i < Syllables.Value.Length && Syllables.Value[i].Length > 0) b.Append('-').Append(Syllables.Value[i]).Append('-');
            else b.Append('-');
        }
        return System.Text.RegularExpressions.Regex.Replace(b.ToString(), "-{2,}", "-").Trim('-');
    }

    /// <summary>A query this matches: 1 to 12 ASCII letters.</summary>
    public static bool IsQuery(string q) => q.Length is > 0 and <= 12 && q.All(char.IsAsciiLetter);

    /// <summary>Whether the name's initials begin with the query (case-insensitive), under any reading of its characters.</summary>
    public static bool Matches(string? name, string q)
    {
        if (string.IsNullOrEmpty(name) || !IsQuery(q)) return false;
        var letters = new List<string>();
        foreach (var ch in name)
        {
            if (char.IsAsciiLetterOrDigit(ch)) letters.Add(char.ToLowerInvariant(ch).ToString());
            else if (ch - First is >= 0 and var i && i < Table.Value.Length && Table.Value[i].Length > 0) letters.Add(Table.Value[i]);
        }
        return Walk(letters, 0, q.ToLowerInvariant(), 0);
    }

    /// <summary>Position by position: each query letter must be one of the readings' first letters at its place.</summary>
    private static bool Walk(List<string> letters, int at, string q, int qi)
    {
        if (qi == q.Length) return true;
        if (at == letters.Count) return false;
        return letters[at].Contains(q[qi]) && Walk(letters, at + 1, q, qi + 1);
    }
}
