using System.Globalization;
using System.Resources;

namespace Recognition.Web.Infrastructure.Localization;

/// <summary>
/// A resource string in a named language, for text rendered for someone other than the current reader: the relay renders
/// each wall card once per language, and a message leaves in its recipient's language. Same files as IStringLocalizer.
/// </summary>
public static class Texts
{
    private static readonly ResourceManager Resources = new("Recognition.Web.Resources.SharedResource", typeof(SharedResource).Assembly);

    public static string In(string culture, string key, params object[] args)
    {
        var format = Resources.GetString(key, CultureInfo.GetCultureInfo(culture)) ?? key;
        return args.Length == 0 ? format : string.Format(CultureInfo.GetCultureInfo(culture), format, args);
    }
}
