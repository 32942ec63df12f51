using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Recognition.Tests.Support;

/// <summary>
/// Loopback counterparts of the chat targets and a webhook receiver (a real HTTP server, started by the tests), each
/// checking the exact request shape and verifying the signature the way the real service does, answering as it would:
/// WeCom and DingTalk with "errcode" in a 200 body, Feishu with "code", Teams Workflows with 202, a Standard Webhooks
/// receiver 204 or 401. They count messages per robot (per key, token or hook; a webhook per address) per second and
/// minute against the published limits. Keys, tokens and hooks that start with the constants below are accepted, so
/// one fake serves many robots (the notify bench gives each team its own).
/// </summary>
public sealed class ChannelFakes : IAsyncDisposable
{
    public const string WeComKey = "wecom-key-7b1f";
    public const string DingTalkToken = "ding-token-42";
    public const string DingTalkSecret = "SEC-dingtalk-secret-0123456789";
    public const string FeishuHook = "feishu-hook-9";
    public const string FeishuSecret = "feishu-secret-abcdef";

    private readonly WebApplication _app;
    public string Base { get; }
    /// <summary>What each target accepted, in order: (target, time, body).</summary>
    public ConcurrentQueue<(string Target, DateTimeOffset At, JsonElement Body, Dictionary<string, string> Headers)> Received { get; } = new();
    public ConcurrentQueue<(string Target, string Reason)> Refused { get; } = new();
    /// <summary>The webhook receiver's secret ("whsec_…"), set once the app has made it; each one set is accepted (a receiver per channel).</summary>
    public string? WebhookSecret
    {
        get => _secrets.LastOrDefault();
        set { if (value is not null) _secrets.Enqueue(value); }
    }

    private readonly ConcurrentQueue<string> _secrets = new();
    /// <summary>Answer 503 to this many requests (any target) before behaving.</summary>
    public int FailNext;
    /// <summary>WeCom answers "too many" (errcode 45009, in a 200 body) to this many requests.</summary>
    public int ThrottleNext;
    public int RateLimitViolations;
    /// <summary>The webhook receiver holds this many valid requests without answering (a send in flight when the app dies).</summary>
    public int HoldNext;
    /// <summary>The webhook-id of the request being held.</summary>
    public TaskCompletionSource<string> Held { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentDictionary<string, ConcurrentQueue<DateTimeOffset>> _times = new();

    private ChannelFakes(WebApplication app, string @base) => (_app, Base) = (app, @base);

    public string WeComUrl => $"{Base}/cgi-bin/webhook/send?key={WeComKey}";
    public string DingTalkUrl => $"{Base}/robot/send?access_token={DingTalkToken}";
    public string FeishuUrl => $"{Base}/open-apis/bot/v2/hook/{FeishuHook}";
    public string TeamsUrl => $"{Base}/workflows/teams-channel/triggers/manual/paths/invoke";
    public string WebhookUrl => $"{Base}/hr/recognition-events";

    public IEnumerable<JsonElement> For(string target) => Received.Where(r => r.Target == target).Select(r => r.Body);

    public static async Task<ChannelFakes> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        ChannelFakes? fakes = null;
        app.MapPost("/cgi-bin/webhook/send", (Delegate)((HttpContext ctx) => fakes!.HandleAsync(ctx, "wecom", fakes.WeComAsync)));
        app.MapPost("/robot/send", (Delegate)((HttpContext ctx) => fakes!.HandleAsync(ctx, "dingtalk", fakes.DingTalkAsync)));
        app.MapPost("/open-apis/bot/v2/hook/{hook}", (Delegate)((HttpContext ctx) => fakes!.HandleAsync(ctx, "feishu", fakes.FeishuAsync)));
        app.MapPost("/workflows/teams-channel/triggers/manual/paths/invoke", (Delegate)((HttpContext ctx) => fakes!.HandleAsync(ctx, "teams", fakes.TeamsAsync)));
        app.MapPost("/hr/recognition-events", (Delegate)((HttpContext ctx) => fakes!.HandleAsync(ctx, "webhook", fakes.WebhookAsync)));
        await app.StartAsync();
        fakes = new ChannelFakes(app, app.Urls.First());
        return fakes;
    }

    private async Task<IResult> HandleAsync(HttpContext ctx, string target, Func<HttpContext, string, JsonElement, IResult?> check)
    {
        var raw = await new StreamReader(ctx.Request.Body).ReadToEndAsync();
        if (Interlocked.Decrement(ref FailNext) >= 0) return Results.StatusCode(503);
        Interlocked.Exchange(ref FailNext, Math.Max(FailNext, 0));
        if (ctx.Request.ContentType?.StartsWith("application/json", StringComparison.Ordinal) != true) return Refuse(target, "content type", Results.StatusCode(415));
        JsonElement body;
        try { body = JsonDocument.Parse(raw).RootElement.Clone(); }
        catch (JsonException) { return Refuse(target, "not json", Results.BadRequest()); }
        var answer = check(ctx, raw, body);
        if (answer is not null) return answer;
        if (target == "webhook" && Interlocked.Decrement(ref HoldNext) >= 0)
        {
            Held.TrySetResult(ctx.Request.Headers["webhook-id"].ToString());
            try { await Task.Delay(Timeout.Infinite, ctx.RequestAborted); }
            catch (OperationCanceledException) { }
            return Results.StatusCode(499); // the sender is gone; nobody reads this
        }
        Interlocked.Exchange(ref HoldNext, Math.Max(HoldNext, 0));
        var now = DateTimeOffset.UtcNow;
        var robot = target + "|" + target switch
        {
            "wecom" => ctx.Request.Query["key"].ToString(),
            "dingtalk" => ctx.Request.Query["access_token"].ToString(),
            "feishu" => (string?)ctx.Request.RouteValues["hook"],
            _ => ctx.Request.QueryString.Value,
        };
        var times = _times.GetOrAdd(robot, _ => new());
        times.Enqueue(now);
        var (perSecond, perMinute) = target switch { "wecom" or "dingtalk" => (20, 20), "feishu" => (5, 100), "teams" => (4, 240), _ => (1000, 100000) };
        if (times.Count(t => t > now.AddSeconds(-1)) > perSecond || times.Count(t => t > now.AddMinutes(-1)) > perMinute) Interlocked.Increment(ref RateLimitViolations);
        Received.Enqueue((target, now, body, ctx.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString())));
        return target switch
        {
            "wecom" or "dingtalk" => Results.Json(new { errcode = 0, errmsg = "ok" }),
            "feishu" => Results.Json(new { code = 0, msg = "success", data = new { } }),
            "teams" => Results.StatusCode(202),
            _ => Results.NoContent(),
        };
    }

    private IResult Refuse(string target, string reason, IResult answer)
    {
        Refused.Enqueue((target, reason));
        return answer;
    }

    private IResult? WeComAsync(HttpContext ctx, string raw, JsonElement body)
    {
        if (!ctx.Request.Query["key"].ToString().StartsWith(WeComKey, StringComparison.Ordinal)) return Refuse("wecom", "key", Results.Json(new { errcode = 93000, errmsg = "invalid webhook url" }));
        if (Interlocked.Decrement(ref ThrottleNext) >= 0) return Refuse("wecom", "throttled", Results.Json(new { errcode = 45009, errmsg = "api freq out of limit" }));
        var type = body.GetProperty("msgtype").GetString();
        if (type is not ("markdown" or "text") || !body.GetProperty(type).TryGetProperty("content", out var content) || Encoding.UTF8.GetByteCount(content.GetString()!) > 4096)
        {
            return Refuse("wecom", "shape", Results.Json(new { errcode = 40008, errmsg = "invalid message type" }));
        }
        return null;
    }

    private IResult? DingTalkAsync(HttpContext ctx, string raw, JsonElement body)
    {
        var q = ctx.Request.Query;
        if (!q["access_token"].ToString().StartsWith(DingTalkToken, StringComparison.Ordinal)) return Refuse("dingtalk", "token", Results.Json(new { errcode = 300001, errmsg = "token is not exist" }));
        var ts = q["timestamp"].ToString();
        var expected = Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(DingTalkSecret), Encoding.UTF8.GetBytes(ts + "\n" + DingTalkSecret)));
        if (!long.TryParse(ts, out var ms) || Math.Abs(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - ms) > 3_600_000 || q["sign"] != expected)
        {
            return Refuse("dingtalk", "sign", Results.Json(new { errcode = 310000, errmsg = "sign not match" }));
        }
        if (body.GetProperty("msgtype").GetString() != "markdown" || body.GetProperty("markdown").GetProperty("title").GetString() is not { Length: > 0 })
        {
            return Refuse("dingtalk", "shape", Results.Json(new { errcode = 40035, errmsg = "missing parameter" }));
        }
        return null;
    }

    private IResult? FeishuAsync(HttpContext ctx, string raw, JsonElement body)
    {
        if (((string?)ctx.Request.RouteValues["hook"])?.StartsWith(FeishuHook, StringComparison.Ordinal) != true) return Refuse("feishu", "hook", Results.Json(new { code = 19001, msg = "param invalid: incoming webhook access token invalid" }));
        var ts = body.GetProperty("timestamp").GetString()!;
        var expected = Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(ts + "\n" + FeishuSecret), Array.Empty<byte>()));
        if (!long.TryParse(ts, out var s) || Math.Abs(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - s) > 3600 || body.GetProperty("sign").GetString() != expected)
        {
            return Refuse("feishu", "sign", Results.Json(new { code = 19021, msg = "sign match fail or timestamp is not within one hour from current time" }));
        }
        if (body.GetProperty("msg_type").GetString() != "interactive" || body.GetProperty("card").GetProperty("elements").GetArrayLength() == 0)
        {
            return Refuse("feishu", "shape", Results.Json(new { code = 9499, msg = "Bad Request" }));
        }
        return null;
    }

    private IResult? TeamsAsync(HttpContext ctx, string raw, JsonElement body)
    {
        var a = body.GetProperty("attachments");
        if (body.GetProperty("type").GetString() != "message" || a.GetArrayLength() != 1
            || a[0].GetProperty("contentType").GetString() != "application/vnd.microsoft.card.adaptive"
            || a[0].GetProperty("content").GetProperty("type").GetString() != "AdaptiveCard")
        {
            return Refuse("teams", "shape", Results.BadRequest(new { error = new { code = "InvalidRequestContent" } }));
        }
        return null;
    }

    /// <summary>Standard Webhooks verification, as a receiver writes it: the signed content is id.timestamp.body.</summary>
    private IResult? WebhookAsync(HttpContext ctx, string raw, JsonElement body)
    {
        var h = ctx.Request.Headers;
        var id = h["webhook-id"].ToString();
        var ts = h["webhook-timestamp"].ToString();
        if (_secrets.IsEmpty || id.Length == 0 || !long.TryParse(ts, out var s) || Math.Abs(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - s) > 300)
        {
            return Refuse("webhook", "headers", Results.StatusCode(401));
        }
        var signatures = h["webhook-signature"].ToString().Split(' ');
        if (!_secrets.Any(secret => signatures.Contains("v1," + Convert.ToBase64String(HMACSHA256.HashData(
                Convert.FromBase64String(secret["whsec_".Length..]), Encoding.UTF8.GetBytes($"{id}.{ts}.{raw}"))))))
        {
            return Refuse("webhook", "signature", Results.StatusCode(401));
        }
        if (body.GetProperty("type").GetString() is not { Length: > 0 } || !body.TryGetProperty("data", out _)) return Refuse("webhook", "shape", Results.BadRequest());
        return null;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
