using System.Text;
using System.Text.Json.Nodes;

namespace Recognition.Web.Features.Channels;

/// <summary>
/// WeCom group robot: markdown; the robot's key is in the address. 45009 means "too many". A message that @mentions people
/// is sent as text with mentioned_list (WeCom's markdown cannot carry it).
/// </summary>
public sealed class WeComSender(IHttpClientFactory http) : JsonChannelSender(http)
{
    public override string Kind => ChannelKind.WeCom.Code;

    public override async Task<SendResult> SendAsync(ChannelTarget target, OutMessage message, DateTimeOffset now, CancellationToken ct)
    {
        var json = message.MentionList.Count > 0
            ? new JsonObject
            {
                ["msgtype"] = "text",
                ["text"] = new JsonObject
                {
                    ["content"] = Truncate(string.Join("\n", new[] { message.Title, message.Body, message.Link }.OfType<string>()), 2000),
                    ["mentioned_list"] = new JsonArray([.. message.MentionList.Select(m => (JsonNode)m.Id)]),
                },
            }.ToJsonString()
            : new JsonObject { ["msgtype"] = "markdown", ["markdown"] = new JsonObject { ["content"] = Truncate(Markdown(message), 4000) } }.ToJsonString();
        var (_, body, failure) = await PostAsync(target.Url, json, ct);
        return failure ?? BodyCode(body, "errcode", [45009, -1]);
    }

    /// <summary>WeCom caps markdown content at 4,096 bytes.</summary>
    private static string Truncate(string s, int bytes)
    {
        if (Encoding.UTF8.GetByteCount(s) <= bytes) return s;
        while (Encoding.UTF8.GetByteCount(s) > bytes - 3) s = s[..^1];
        return s + "…";
    }
}

/// <summary>DingTalk custom robot with signing: timestamp (ms) and sign = base64(HMAC-SHA256(secret, timestamp + "\n" + secret)).</summary>
public sealed class DingTalkSender(IHttpClientFactory http) : JsonChannelSender(http)
{
    public override string Kind => ChannelKind.DingTalk.Code;

    public override async Task<SendResult> SendAsync(ChannelTarget target, OutMessage message, DateTimeOffset now, CancellationToken ct)
    {
        var ts = now.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var sign = HmacBase64(Encoding.UTF8.GetBytes(target.Secret ?? ""), ts + "\n" + target.Secret);
        var url = $"{target.Url}{(target.Url.Contains('?') ? '&' : '?')}timestamp={ts}&sign={Uri.EscapeDataString(sign)}";
        // DingTalk highlights a mention only when the text also says @userid.
        var mentions = message.MentionList;
        var text = Markdown(message) + (mentions.Count > 0 ? "\n\n" + string.Join(" ", mentions.Select(m => "@" + m.Id)) : "");
        var json = new JsonObject
        {
            ["msgtype"] = "markdown",
            ["markdown"] = new JsonObject { ["title"] = message.Title, ["text"] = text },
            ["at"] = new JsonObject { ["atUserIds"] = new JsonArray([.. mentions.Select(m => (JsonNode)m.Id)]), ["isAtAll"] = false },
        }.ToJsonString();
        var (_, body, failure) = await PostAsync(url, json, ct);
        return failure ?? BodyCode(body, "errcode", [130101, -1]);
    }
}

/// <summary>Feishu/Lark custom bot with signing: sign = base64(HMAC-SHA256(key = timestamp + "\n" + secret, empty message)); an interactive card.</summary>
public sealed class FeishuSender(IHttpClientFactory http) : JsonChannelSender(http)
{
    public override string Kind => ChannelKind.Feishu.Code;

    public override async Task<SendResult> SendAsync(ChannelTarget target, OutMessage message, DateTimeOffset now, CancellationToken ct)
    {
        var ts = now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var sign = HmacBase64(Encoding.UTF8.GetBytes(ts + "\n" + target.Secret), "");
        var elements = new JsonArray { new JsonObject { ["tag"] = "markdown", ["content"] = message.Body } };
        if (message.MentionList.Count > 0)
        {
            elements.Add(new JsonObject { ["tag"] = "markdown", ["content"] = string.Join(" ", message.MentionList.Select(m => $"<at id={m.Id}></at>")) });
        }
        if (message.Link is { } link)
        {
            elements.Add(new JsonObject
            {
                ["tag"] = "action",
                ["actions"] = new JsonArray { new JsonObject { ["tag"] = "button", ["text"] = new JsonObject { ["tag"] = "plain_text", ["content"] = "↗" }, ["url"] = link, ["type"] = "default" } },
            });
        }
        var json = new JsonObject
        {
            ["timestamp"] = ts,
            ["sign"] = sign,
            ["msg_type"] = "interactive",
            ["card"] = new JsonObject
            {
                ["header"] = new JsonObject { ["title"] = new JsonObject { ["tag"] = "plain_text", ["content"] = message.Title }, ["template"] = "orange" },
                ["elements"] = elements,
            },
        }.ToJsonString();
        var (_, body, failure) = await PostAsync(target.Url, json, ct);
        return failure ?? BodyCode(body, "code", [9499, 11232, 11233]);
    }
}

/// <summary>Microsoft Teams through a Workflows webhook: an Adaptive Card in a "message" attachment (connectors are retired).</summary>
public sealed class TeamsSender(IHttpClientFactory http) : JsonChannelSender(http)
{
    public override string Kind => ChannelKind.Teams.Code;

    public override async Task<SendResult> SendAsync(ChannelTarget target, OutMessage message, DateTimeOffset now, CancellationToken ct)
    {
        var card = new JsonObject
        {
            ["$schema"] = "http://adaptivecards.io/schemas/adaptive-card.json",
            ["type"] = "AdaptiveCard",
            ["version"] = "1.4",
            ["body"] = new JsonArray
            {
                new JsonObject { ["type"] = "TextBlock", ["text"] = message.Title, ["weight"] = "Bolder", ["size"] = "Medium", ["wrap"] = true },
                new JsonObject { ["type"] = "TextBlock", ["text"] = message.Body, ["wrap"] = true },
            },
        };
        if (message.Link is { } link) card["actions"] = new JsonArray { new JsonObject { ["type"] = "Action.OpenUrl", ["title"] = "↗", ["url"] = link } };
        if (message.MentionList.Count > 0)
        {
            // A Teams mention: <at>name</at> in the text, and an entity naming the person's UPN.
            ((JsonArray)card["body"]!).Add(new JsonObject { ["type"] = "TextBlock", ["text"] = string.Join(" ", message.MentionList.Select(m => $"<at>{m.Name}</at>")), ["wrap"] = true });
            card["msteams"] = new JsonObject
            {
                ["entities"] = new JsonArray([.. message.MentionList.Select(m => (JsonNode)new JsonObject
                {
                    ["type"] = "mention", ["text"] = $"<at>{m.Name}</at>", ["mentioned"] = new JsonObject { ["id"] = m.Id, ["name"] = m.Name },
                })]),
            };
        }
        var json = new JsonObject
        {
            ["type"] = "message",
            ["attachments"] = new JsonArray { new JsonObject { ["contentType"] = "application/vnd.microsoft.card.adaptive", ["contentUrl"] = null, ["content"] = card } },
        }.ToJsonString();
        var (_, body, failure) = await PostAsync(target.Url, json, ct);
        if (failure is not null) return failure;
        // Workflows can answer 200/202 and still report throttling in the body.
        return body.Contains("\"statusCode\":429", StringComparison.Ordinal) || body.Contains("TooManyRequests", StringComparison.Ordinal)
            ? SendResult.Failed(body, retry: true) : SendResult.Sent(body.Length == 0 ? "accepted" : body);
    }
}
