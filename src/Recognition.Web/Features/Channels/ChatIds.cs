using System.Text.Json;
using System.Text.Json.Nodes;

namespace Recognition.Web.Features.Channels;

/// <summary>Someone a group robot @mentions: their chat user id (WeCom/DingTalk user id, Feishu open id, Teams UPN) and name.</summary>
public sealed record Mention(string Id, string Name);

/// <summary>
/// People's chat user ids: what an admin may store (letters, digits and . _ - @ +, at most 128 — never markup, since the
/// id is written into Feishu's and Teams' mention tags) and how a delivery carries its mentions (data_json of a chat delivery).
/// </summary>
public static class ChatIds
{
    public static bool IsValid(string id) => id.Length is > 0 and <= 128 && id.All(ch => char.IsAsciiLetterOrDigit(ch) || ch is '.' or '_' or '-' or '@' or '+');

    public static string? ToJson(IReadOnlyList<Mention> mentions) => mentions.Count == 0 ? null
        : new JsonObject { ["mention"] = new JsonArray([.. mentions.Select(m => (JsonNode)new JsonObject { ["id"] = m.Id, ["name"] = m.Name })]) }.ToJsonString();

    /// <summary>The mentions of a chat delivery (none when its data is not a mention list).</summary>
    public static IReadOnlyList<Mention> FromJson(string? json)
    {
        if (string.IsNullOrEmpty(json)) return [];
        try
        {
            return JsonNode.Parse(json)?["mention"] is JsonArray list
                ? [.. list.OfType<JsonObject>().Select(m => new Mention((string?)m["id"] ?? "", (string?)m["name"] ?? "")).Where(m => IsValid(m.Id))]
                : [];
        }
        catch (JsonException)
        {
            return [];
        }
    }
}
