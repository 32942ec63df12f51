using CsvHelper;
using Recognition.Web.Infrastructure;

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
    public static readonly string[] Columns = ["employee_no", "name_zh", "name_en", "email", "team", "manager_no", "roles", "language", "badge_code", "site", "active", "chat_user_id", "hire_date", "gender"];
    public const int MaxBytes = 10 * 1024 * 1024;
    public const int MaxRows = 20_000;


    /// <summary>The rows, or the resource key of why the file can't be read at all.</summary>
    public static (IReadOnlyList<CsvPerson> Rows, string? Error, object[] Args) Read(byte[] bytes)
    {
        if (bytes.Length == 0) return ([], "Import.Empty", []);
        if (bytes.Length > MaxBytes) return ([], "Import.TooBig", [MaxBytes / 1024 / 1024]);
        if (Array.IndexOf(bytes, (byte)0) >= 0) return ([], "Import.NotCsv", []);
        var text = Csv.Decode(bytes);
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
                fields[header[i]] = fromExport ? Csv.Unprotect(cell) : cell;
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

    /// <summary>A UTF-8 file with BOM (so Excel picks the encoding), every cell safe from formula injection.</summary>
    public static byte[] Write(IEnumerable<IReadOnlyList<string?>> rows) => Csv.Write(Columns, rows);
}
