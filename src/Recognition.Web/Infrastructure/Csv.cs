using System.Text;

namespace Recognition.Web.Infrastructure;

/// <summary>CSV as plants exchange it with Excel: every export (people, insights, reward reports, team radars) writes through here.</summary>
public static class Csv
{
    static Csv() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    /// <summary>UTF-8 when the bytes are valid UTF-8 (with or without BOM), else GB18030 (what Chinese Excel saves as "CSV").</summary>
    public static string Decode(byte[] bytes)
    {
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes).TrimStart('\uFEFF');
        }
        catch (DecoderFallbackException)
        {
            return Encoding.GetEncoding("GB18030").GetString(bytes);
        }
    }

    /// <summary>UTF-8 with a BOM (Excel opens Chinese correctly), quoted where needed, formula-looking cells defused.</summary>
    public static byte[] Write(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string?>> rows)
    {
        var sb = new StringBuilder();
        sb.AppendJoin(',', header.Select(h => Quote(h))).Append("\r\n");
        foreach (var row in rows) sb.AppendJoin(',', row.Select(cell => Quote(Protect(cell ?? "")))).Append("\r\n");
        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(sb.ToString())];
    }

    private static string Quote(string cell) =>
        cell.IndexOfAny([',', '"', '\r', '\n', ';']) >= 0 ? "\"" + cell.Replace("\"", "\"\"") + "\"" : cell;

    // A cell that starts like a formula is prefixed with an apostrophe, which spreadsheets show as text; so is a cell that
    // already starts with apostrophes before such a character ('-x becomes ''-x). Reading back a file with the export's own
    // header removes exactly that one apostrophe again, so an export re-imports unchanged; any other file is read as written.
    private static bool LooksLikeFormula(string s) => s.Length > 0 && s[0] is '=' or '+' or '-' or '@' or '\t' or '\r';

    private static bool NeedsProtection(string s) => LooksLikeFormula(s.TrimStart('\''));

    public static string Protect(string cell) => NeedsProtection(cell) ? "'" + cell : cell;

    public static string Unprotect(string cell) => cell.Length > 1 && cell[0] == '\'' && NeedsProtection(cell[1..]) ? cell[1..] : cell;
}
