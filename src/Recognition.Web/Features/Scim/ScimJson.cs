using System.Text.Json;
using System.Text.Json.Nodes;

namespace Recognition.Web.Features.Scim;

public static class ScimSchemas
{
    public const string User = "urn:ietf:params:scim:schemas:core:2.0:User";
    public const string Group = "urn:ietf:params:scim:schemas:core:2.0:Group";
    public const string Enterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
    public const string ListResponse = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
    public const string PatchOp = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
    public const string Error = "urn:ietf:params:scim:api:messages:2.0:Error";
    public const string MediaType = "application/scim+json";
}

/// <summary>A refusal as SCIM has it (RFC 7644 3.12): the HTTP status, the scimType and a detail; thrown before anything is written.</summary>
public sealed class ScimError(int status, string? scimType, string detail) : Exception(detail)
{
    public int Status { get; } = status;
    public string? ScimType { get; } = scimType;
}

public static class ScimJson
{
    public const int MaxBodyBytes = 2 * 1024 * 1024;
    private static readonly JsonSerializerOptions Options = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static async Task WriteErrorAsync(HttpResponse response, int status, string? scimType, string detail)
    {
        var body = new JsonObject
        {
            ["schemas"] = new JsonArray(ScimSchemas.Error),
            ["status"] = status.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["detail"] = detail,
        };
        if (scimType is not null) body["scimType"] = scimType;
        response.StatusCode = status;
        response.ContentType = ScimSchemas.MediaType;
        await response.WriteAsync(body.ToJsonString(Options));
    }

    public static IResult Json(JsonNode node, int status = 200) =>
        Results.Text(node.ToJsonString(Options), ScimSchemas.MediaType, System.Text.Encoding.UTF8, status);

    /// <summary>The request's JSON object, bounded in size and depth; anything else is invalidSyntax.</summary>
    public static async Task<JsonObject> ReadObjectAsync(HttpRequest request)
    {
        if (request.ContentLength > MaxBodyBytes) throw new ScimError(413, null, $"The body is larger than {MaxBodyBytes / 1024 / 1024} MB.");
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes) throw new ScimError(413, null, $"The body is larger than {MaxBodyBytes / 1024 / 1024} MB.");
            buffer.Write(chunk, 0, read);
        }
        try
        {
            var node = JsonNode.Parse(buffer.ToArray(), documentOptions: new JsonDocumentOptions { MaxDepth = 16 });
            return node as JsonObject ?? throw new ScimError(400, "invalidSyntax", "The body must be a JSON object.");
        }
        catch (JsonException ex)
        {
            throw new ScimError(400, "invalidSyntax", "The body is not valid JSON: " + ex.Message);
        }
    }

    /// <summary>Booleans as Entra sends them too: true, "True", "False".</summary>
    public static bool Bool(JsonNode? node, string attribute)
    {
        if (node is JsonValue v)
        {
            if (v.TryGetValue<bool>(out var b)) return b;
            if (v.TryGetValue<string>(out var s) && bool.TryParse(s.Trim(), out var p)) return p;
        }
        throw new ScimError(400, "invalidValue", $"{attribute} must be true or false.");
    }

    /// <summary>A string value (a number is accepted as its text); null for JSON null.</summary>
    public static string? Text(JsonNode? node, string attribute, int max = 255)
    {
        if (node is null) return null;
        if (node is JsonValue v)
        {
            string? s = v.TryGetValue<string>(out var str) ? str : v.TryGetValue<long>(out var n) ? n.ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
            if (s is not null)
            {
                if (s.Length > max) throw new ScimError(400, "invalidValue", $"{attribute} is longer than {max} characters.");
                return s;
            }
        }
        throw new ScimError(400, "invalidValue", $"{attribute} must be a string.");
    }

    public static void RequireSchema(JsonObject body, string schema)
    {
        if (body["schemas"] is not JsonArray schemas || !schemas.Any(s => s is JsonValue v && v.TryGetValue<string>(out var x) && x == schema))
        {
            throw new ScimError(400, "invalidSyntax", $"schemas must include {schema}.");
        }
    }

    public static DateTime? Utc(DateTime? t) => t is { } v ? DateTime.SpecifyKind(v, DateTimeKind.Utc) : null;

    public static string Stamp(DateTime? t) => (Utc(t) ?? DateTime.UnixEpoch).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>
/// The filters Entra ID and Okta send: <c>attribute eq "value"</c>, optionally joined with <c>and</c>. Anything else is
/// refused with invalidFilter rather than answered with everyone.
/// </summary>
public static class ScimFilter
{
    public static IReadOnlyList<(string Attribute, string Value)> Parse(string? filter, IReadOnlySet<string> attributes)
    {
        if (string.IsNullOrWhiteSpace(filter)) return [];
        if (filter.Length > 500) throw new ScimError(400, "invalidFilter", "The filter is too long.");
        var parts = System.Text.RegularExpressions.Regex.Split(filter.Trim(), @"\s+and\s+", System.Text.RegularExpressions.RegexOptions.IgnoreCase);
        var result = new List<(string, string)>();
        foreach (var part in parts)
        {
            var m = System.Text.RegularExpressions.Regex.Match(part.Trim(), "^([A-Za-z0-9:._]+)\\s+eq\\s+\"((?:[^\"\\\\]|\\\\.)*)\"$", System.Text.RegularExpressions.RegexOptions.IgnoreCase);
            if (!m.Success) throw new ScimError(400, "invalidFilter", "Only filters of the form attribute eq \"value\" (joined with and) are supported.");
            var attr = attributes.FirstOrDefault(a => a.Equals(m.Groups[1].Value, StringComparison.OrdinalIgnoreCase))
                ?? throw new ScimError(400, "invalidFilter", $"Filtering on {m.Groups[1].Value} is not supported.");
            result.Add((attr, System.Text.RegularExpressions.Regex.Unescape(m.Groups[2].Value)));
        }
        return result;
    }
}
