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
