using Recognition.Web.Infrastructure.Localization;

namespace Recognition.Web.Domain;

/// <summary>
/// A claim's words as a reader sees them. A kiosk hazard report stores its quick-pick choice (a resource key), the area and
/// the reporter's note: each reader gets the choice and the area in their own language ("Oil or water on the floor (Press
/// shop) near press 3" for an English supervisor, 地面有油或水（冲压车间） for a Chinese one); the note stays as written.
/// Any other claim is its description as the person wrote it.
/// </summary>
public static class ClaimText
{
    public static string Describe(string? description, string? quickPick, string? areaZh, string? areaEn, string? note, string culture)
    {
        if (string.IsNullOrEmpty(quickPick)) return description ?? "";
        var zh = culture.StartsWith("zh", StringComparison.Ordinal);
        var what = Texts.In(zh ? "zh-CN" : "en-US", quickPick);
        var area = areaZh is null && areaEn is null ? "" : zh ? $"（{Bilingual.Pick(areaZh, areaEn, true)}）" : $" ({Bilingual.Pick(areaZh, areaEn, false)})";
        return string.IsNullOrEmpty(note) ? what + area : $"{what}{area} {note}";
    }

    public static string Describe(string? description, string? quickPick, string? areaZh, string? areaEn, string? note) =>
        Describe(description, quickPick, areaZh, areaEn, note, System.Globalization.CultureInfo.CurrentUICulture.Name);
}
