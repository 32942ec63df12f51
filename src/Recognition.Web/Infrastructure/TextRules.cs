using System.Globalization;
using System.Text.RegularExpressions;

namespace Recognition.Web.Infrastructure;

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

/// <summary>Employee numbers as plants write them: letters, digits and . _ - (A0001, S-12, 2024.017), at most 32.</summary>
public static partial class EmployeeNumbers
{
    public static bool IsValid(string? no) => no is not null && Pattern().IsMatch(no);

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$")]
    private static partial Regex Pattern();
}
