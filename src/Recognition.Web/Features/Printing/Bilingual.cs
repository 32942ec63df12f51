namespace Recognition.Web.Features.Printing;

/// <summary>Printouts are read by mixed teams, so names and headings carry both languages.</summary>
public static class Bilingual
{
    public static string Name(string? zh, string? en) =>
        string.IsNullOrWhiteSpace(zh) ? en ?? "" : string.IsNullOrWhiteSpace(en) || zh == en ? zh : $"{zh} {en}";

    public static string Label(string zh, string en) => $"{zh} {en}";
}
