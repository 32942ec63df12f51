using System.Text;
using CsvHelper;

namespace Recognition.Web.Features.Admin.People;

/// <summary>One data row of a people file, with its row number in the file (the header is row 1).</summary>
public sealed record CsvPerson(int Row, IReadOnlyDictionary<string, string> Fields)
{
    public string Get(string column) => Fields.TryGetValue(column, out var v) ? v : "";
    public bool Has(string column) => Fields.ContainsKey(column);
}

/// <summary>The people file: columns, reading what Excel saves in a plant (UTF-8 with or without BOM, GB18030), writing what Excel opens.</summary>
public static class PeopleCsv
{
    public static readonly string[] Columns = ["employee_no", "name_zh", "name_en", "email", "team", "manager_no", "roles", "language", "badge_code", "site", "active"];
    public const int MaxBytes = 10 * 1024 * 1024;
    public const int MaxRows = 20_000;

    static PeopleCsv() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    /// <summary>The rows, or the resource key of why the file can't be read at all.</summary>
    public static (IReadOnlyList<CsvPerson> Rows, string? Error, object[] Args) Read(byte[] bytes)
    {
        if (bytes.Length == 0) return ([], "Import.Empty", []);
        if (bytes.Length > MaxBytes) return ([], "Import.TooBig", [MaxBytes / 1024 / 1024]);
        if (Array.IndexOf(bytes, (byte)0) >= 0) return ([], "Import.NotCsv", []);
        var text = Decode(bytes);
        using var csv = CsvReader.FromText(text, new CsvReaderOptions { HasHeader = true, Separator = DetectSeparator(text) });
        var header = (csv.Headers ?? []).Select(h => h.Trim().TrimStart('\uFEFF').ToLowerInvariant()).ToArray();
        if (!header.Contains("employee_no")) return ([], "Import.NoHeader", [string.Join(", ", Columns)]);
        var unknown = header.Where(h => h.Length > 0 && !Columns.Contains(h)).ToList();
        if (unknown.Count > 0) return ([], "Import.UnknownColumn", [unknown[0], string.Join(", ", Columns)]);
        var rows = new List<CsvPerson>();
        var fromExport = header.SequenceEqual(Columns); // only our own export protected its cells
        var record = 1; // the header is row 1, as Excel numbers rows
        while (csv.Read())
        {
            record++;
            if (rows.Count == MaxRows) return ([], "Import.TooManyRows", [MaxRows]);
            var fields = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i < header.Length; i++)
            {
                if (header[i].Length == 0) continue;
                var cell = i < csv.FieldCount ? (csv.GetString(i) ?? "").Trim() : "";
                fields[header[i]] = fromExport ? Unprotect(cell) : cell;
            }
            if (fields.Values.All(string.IsNullOrWhiteSpace)) continue; // blank lines Excel leaves at the end
            rows.Add(new CsvPerson(record, fields));
        }
        return (rows, null, []);
    }

    /// <summary>Excel saves "CSV" with commas, or semicolons in some locales; a tab-separated export also turns up.</summary>
    private static char DetectSeparator(string text)
    {
        var firstLine = text.AsSpan(0, Math.Max(0, text.IndexOfAny(['\r', '\n']) is var n and >= 0 ? n : text.Length));
        return firstLine.Count(',') >= firstLine.Count(';') ? (firstLine.Count(',') >= firstLine.Count('\t') ? ',' : '\t') : ';';
    }

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

    /// <summary>A UTF-8 file with BOM (so Excel picks the encoding), every cell safe from formula injection.</summary>
    public static byte[] Write(IEnumerable<IReadOnlyList<string?>> rows) => Write(Columns, rows);

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

    private static string Unprotect(string cell) => cell.Length > 1 && cell[0] == '\'' && NeedsProtection(cell[1..]) ? cell[1..] : cell;
}
