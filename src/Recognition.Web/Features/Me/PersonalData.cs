using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Recognition.Web.Features.Me;

/// <summary>
/// The personal export (GDPR/PIPL-style access): every section of <see cref="Sections"/> for one person, written to the
/// response as it is read — JSON (one property per section) or CSV (one block per section) — so a person with thousands
/// of recognitions costs a few rows of memory, not the whole history.
/// </summary>
public sealed partial class PersonalData(Db db, TimeProvider clock)
{
    public async Task WriteJsonAsync(long me, Stream output, CancellationToken ct = default)
    {
        await using var json = new Utf8JsonWriter(output, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping, Indented = true });
        json.WriteStartObject();
        json.WriteString("generated_utc", clock.GetUtcNow().UtcDateTime);
        json.WriteString("format", "recognition-personal-export/1");
        await using var c = await db.OpenAsync();
        foreach (var section in Sections)
        {
            json.WriteStartArray(section.Key);
            await foreach (IDictionary<string, object?> row in c.QueryUnbufferedAsync(section.Sql, Params(me)).WithCancellation(ct))
            {
                json.WriteStartObject();
                foreach (var (name, value) in row) WriteValue(json, name, value);
                json.WriteEndObject();
                if (json.BytesPending > 64 * 1024) await json.FlushAsync(ct);
            }
            json.WriteEndArray();
        }
        json.WriteEndObject();
        await json.FlushAsync(ct);
    }

    public async Task WriteCsvAsync(long me, Stream output, CancellationToken ct = default)
    {
        await using var w = new StreamWriter(output, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), 64 * 1024);
        await using var c = await db.OpenAsync();
        foreach (var section in Sections)
        {
            await w.WriteAsync($"# {section.Key}\r\n");
            var header = false;
            await foreach (IDictionary<string, object?> row in c.QueryUnbufferedAsync(section.Sql, Params(me)).WithCancellation(ct))
            {
                if (!header)
                {
                    await w.WriteAsync(string.Join(',', row.Keys) + "\r\n");
                    header = true;
                }
                await w.WriteAsync(string.Join(',', row.Values.Select(v => Cell(v))) + "\r\n");
            }
            await w.WriteAsync("\r\n");
        }
    }

    private static object Params(long me) => new { me, target = $"employee:{me.ToString(CultureInfo.InvariantCulture)}" };

    private static string Cell(object? v) =>
        "\"" + Infrastructure.Csv.Protect(Text(v) ?? "").Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static string? Text(object? v) => v switch
    {
        null or DBNull => null,
        DateTime d => DateTime.SpecifyKind(d, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => v.ToString(),
    };

    private static void WriteValue(Utf8JsonWriter json, string name, object? value)
    {
        switch (value)
        {
            case null or DBNull: json.WriteNull(name); break;
            case long or int or short or byte: json.WriteNumber(name, Convert.ToInt64(value, CultureInfo.InvariantCulture)); break;
            case double or float or decimal: json.WriteNumber(name, Convert.ToDecimal(value, CultureInfo.InvariantCulture)); break;
            case bool b: json.WriteBoolean(name, b); break;
            default: json.WriteString(name, Text(value)); break;
        }
    }
}
