using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Recognition.Web.Features.Channels;

/// <summary>One message as it leaves: already in the channel's language, with a link through PublicUrl.</summary>
public sealed record OutMessage(long DeliveryId, string Kind, string Title, string Body, string? Link, string? DataJson, DateTime CreatedUtc,
    string? To = null, string? Locale = null, IReadOnlyList<Mention>? Mentions = null)
{
    public IReadOnlyList<Mention> MentionList => Mentions ?? [];
}

/// <summary>Where it goes: the decrypted address and secret of one channel.</summary>
public sealed record ChannelTarget(long Id, string Kind, string Url, string? Secret);

/// <summary>
/// What the target answered. Retry when it is worth trying again (5xx, timeouts, throttling — also throttling that comes
/// as HTTP 200 with an error code in the body); otherwise a failure goes to the dead letters with the answer.
/// </summary>
public sealed record SendResult(bool Ok, bool Retry, string Answer)
{
    public static SendResult Sent(string answer) => new(true, false, answer);
    public static SendResult Failed(string answer, bool retry) => new(false, retry, answer);
}

/// <summary>One small interface per kind of outside system (STYLE 15): a chat robot or a webhook.</summary>
public interface IChannelSender
{
    string Kind { get; }
    Task<SendResult> SendAsync(ChannelTarget target, OutMessage message, DateTimeOffset now, CancellationToken ct);
}

/// <summary>The HTTP part every kind shares: post JSON, read at most 4 KB of the answer, classify transport failures.</summary>
public abstract class JsonChannelSender(IHttpClientFactory http) : IChannelSender
{
    public abstract string Kind { get; }
    public abstract Task<SendResult> SendAsync(ChannelTarget target, OutMessage message, DateTimeOffset now, CancellationToken ct);

    protected async Task<(HttpStatusCode? Status, string Body, SendResult? Failure)> PostAsync(string url, string json, CancellationToken ct, Action<HttpRequestMessage>? headers = null)
    {
        using var req = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        headers?.Invoke(req);
        try
        {
            using var res = await http.CreateClient(ChannelsModule.HttpClientName).SendAsync(req, HttpCompletionOption.ResponseHeadersRead, ct);
            var body = await ReadCappedAsync(res, ct);
            var status = (int)res.StatusCode;
            if (status is 408 or 429 or >= 500) return (res.StatusCode, body, SendResult.Failed($"HTTP {status} {body}", retry: true));
            if (status >= 400) return (res.StatusCode, body, SendResult.Failed($"HTTP {status} {body}", retry: false));
            return (res.StatusCode, body, null);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException && !ct.IsCancellationRequested)
        {
            return (null, "", SendResult.Failed(e is TaskCanceledException ? "timed out" : e.Message, retry: true));
        }
    }

    private static async Task<string> ReadCappedAsync(HttpResponseMessage res, CancellationToken ct)
    {
        await using var s = await res.Content.ReadAsStreamAsync(ct);
        var buffer = new byte[4096];
        var n = 0;
        int read;
        while (n < buffer.Length && (read = await s.ReadAsync(buffer.AsMemory(n), ct)) > 0) n += read;
        return Encoding.UTF8.GetString(buffer, 0, n);
    }

    /// <summary>Chat robots answer 200 with an error code in the body ("errcode" or "code"); 0 is success.</summary>
    protected static SendResult BodyCode(string body, string field, int[] throttled)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.TryGetProperty(field, out var code) && code.TryGetInt32(out var n))
            {
                return n == 0 ? SendResult.Sent(body) : SendResult.Failed(body, retry: throttled.Contains(n));
            }
        }
        catch (JsonException) { }
        return SendResult.Failed("unexpected answer: " + body, retry: true);
    }

    protected static string Markdown(OutMessage m) => m.Link is null ? $"**{m.Title}**\n\n{m.Body}" : $"**{m.Title}**\n\n{m.Body}\n\n[{m.Link}]({m.Link})";

    public static string HmacBase64(byte[] key, string message) => Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(message)));
}

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

/// <summary>
/// A generic outgoing webhook signed the Standard Webhooks way: webhook-id (the delivery's id, the same on every retry,
/// so a receiver can drop repeats), webhook-timestamp (seconds) and webhook-signature "v1,base64(HMAC-SHA256(key, id.timestamp.body))"
/// where the key is the base64 after "whsec_".
/// </summary>
public sealed class WebhookSender(IHttpClientFactory http) : JsonChannelSender(http)
{
    public override string Kind => ChannelKind.Webhook.Code;

    public override async Task<SendResult> SendAsync(ChannelTarget target, OutMessage message, DateTimeOffset now, CancellationToken ct)
    {
        var id = WebhookId(message.DeliveryId);
        var ts = now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var data = message.DataJson is { } d ? JsonNode.Parse(d) : new JsonObject { ["title"] = message.Title, ["text"] = message.Body, ["link"] = message.Link };
        var json = new JsonObject { ["type"] = message.Kind, ["timestamp"] = message.CreatedUtc.ToString("O", System.Globalization.CultureInfo.InvariantCulture), ["data"] = data }.ToJsonString();
        var signature = "v1," + HmacBase64(SecretKey(target.Secret), $"{id}.{ts}.{json}");
        var (_, _, failure) = await PostAsync(target.Url, json, ct, req =>
        {
            req.Headers.Add("webhook-id", id);
            req.Headers.Add("webhook-timestamp", ts);
            req.Headers.Add("webhook-signature", signature);
        });
        return failure ?? SendResult.Sent("2xx");
    }

    public static string WebhookId(long deliveryId) => "msg_" + deliveryId.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static byte[] SecretKey(string? secret) =>
        secret is { } s && s.StartsWith("whsec_", StringComparison.Ordinal) ? Convert.FromBase64String(s["whsec_".Length..]) : Encoding.UTF8.GetBytes(secret ?? "");

    public static string NewSecret() => "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
}
