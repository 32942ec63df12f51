using System.Globalization;
using System.Text.RegularExpressions;

namespace Recognition.Web.Domain;

/// <summary>What may be stored in a one-line field such as a name, a code or a team name.</summary>
public static partial class TextRules
{
    /// <summary>
    /// One line of visible text: line breaks and tabs become spaces; other control characters, zero-width and bidi controls (Unicode "format" characters)
    /// are removed, runs of whitespace become one space, and the ends are trimmed.
    /// </summary>
    public static string Clean(string? text)
    {
        if (string.IsNullOrEmpty(text)) return "";
        var kept = text.Select(c => char.IsWhiteSpace(c) ? ' ' : c)
            .Where(c => !char.IsControl(c) && CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.Format).ToArray();
        return Spaces().Replace(new string(kept), " ").Trim();
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}

/// <summary>
/// Employee numbers as plants write them: letters, digits and . _ - (A0001, S-12, 2024.017), at most 32. One person, one
/// number whatever its case or width: input is NFKC-normalised and trimmed (a full-width Ａ０００１ is A0001), and numbers
/// and badge codes are compared case-insensitively everywhere — in SQL as <c>UPPER(employee_no) = UPPER(@no)</c>, which the
/// database's unique indexes on the same expression enforce on both engines (migration 0013).
/// </summary>
public static partial class EmployeeNumbers
{
    public static bool IsValid(string? no) => no is not null && Pattern().IsMatch(no);

    /// <summary>What is stored and looked up: NFKC, then trimmed (never null).</summary>
    public static string Normalize(string? no) => (no ?? "").Normalize(System.Text.NormalizationForm.FormKC).Trim();

    /// <summary>A badge code as stored and looked up: NFKC and one clean line, or null when empty.</summary>
    public static string? NormalizeBadge(string? code) => TextRules.Clean((code ?? "").Normalize(System.Text.NormalizationForm.FormKC)) is { Length: > 0 } c ? c : null;

    /// <summary>The comparison key the database's unique indexes use (ASCII upper case, as SQLite's UPPER does).</summary>
    public static string Key(string no) => string.Create(no.Length, no, (span, s) => { for (var i = 0; i < s.Length; i++) span[i] = char.IsAsciiLetterLower(s[i]) ? (char)(s[i] - 32) : s[i]; });

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$")]
    private static partial Regex Pattern();
}
