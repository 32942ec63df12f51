using System.Globalization;

namespace Recognition.Web.Domain;

/// <summary>
/// Every name in the catalogue and the directory has a Chinese and an English form. Screens pick the reader's
/// language (falling back to the other form); printouts, read by mixed teams, carry both.
/// </summary>
public static class Bilingual
{
    public static bool IsChinese => IsChineseCulture(CultureInfo.CurrentUICulture.Name);

    public static bool IsChineseCulture(string culture) => culture.StartsWith("zh", StringComparison.Ordinal);

    /// <summary>The name in the current reader's language, else the other one.</summary>
    public static string Pick(string? zh, string? en) => Pick(zh, en, IsChinese);

    /// <summary>The name in the given language, else the other one (for messages rendered for someone else).</summary>
    public static string Pick(string? zh, string? en, bool chinese) =>
        (chinese ? (string.IsNullOrWhiteSpace(zh) ? en : zh) : (string.IsNullOrWhiteSpace(en) ? zh : en)) ?? "";

    /// <summary>Both names, for printouts.</summary>
    public static string Name(string? zh, string? en) =>
        string.IsNullOrWhiteSpace(zh) ? en ?? "" : string.IsNullOrWhiteSpace(en) || zh == en ? zh : $"{zh} {en}";

    public static string Label(string zh, string en) => $"{zh} {en}";
}
