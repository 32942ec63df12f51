namespace Recognition.Web.Features.Channels;

/// <summary>
/// The kinds of channel and what each target allows: the hosts its webhook addresses live on (loopback is accepted for
/// the tests' fakes and a plant's own relay) and its published rate limits, which the sender never exceeds.
/// </summary>
public sealed record ChannelKind(string Code, string[] Hosts, bool NeedsSecret, int PerSecond, int PerMinute)
{
    public static readonly ChannelKind WeCom = new("wecom", ["qyapi.weixin.qq.com"], false, 20, 20);
    public static readonly ChannelKind DingTalk = new("dingtalk", ["oapi.dingtalk.com"], true, 20, 20);
    public static readonly ChannelKind Feishu = new("feishu", ["open.feishu.cn", "open.larksuite.com"], true, 5, 100);
    public static readonly ChannelKind Teams = new("teams", [".logic.azure.com", ".powerplatform.com", ".api.powerplatform.com"], false, 4, 240);
    public static readonly ChannelKind Webhook = new("webhook", [], true, 10, 600);
    /// <summary>
    /// A site's SMTP server for messages to people: smtp://user@host:587?from=… (STARTTLS) or smtps://…:465 (TLS). Its limits
    /// are the plant relay's, set with Channels:EmailPerSecond / Channels:EmailPerMinute (20 and 1,200 unless set).
    /// </summary>
    public static readonly ChannelKind Email = new("email", [], false, 20, 1200);

    public static readonly IReadOnlyList<ChannelKind> All = [WeCom, DingTalk, Feishu, Teams, Webhook, Email];

    /// <summary>Chat kinds: one group, so a burst can be folded into one digest (never e-mail or webhooks).</summary>
    public bool Folds => this != Webhook && this != Email;

    public static ChannelKind? Find(string? code) => All.FirstOrDefault(k => k.Code == code);

    /// <summary>https to the kind's own hosts (any host for a generic webhook), or http(s) to loopback.</summary>
    public bool Accepts(Uri url)
    {
        if (Code == "email") return url.Scheme is "smtp" or "smtps" && url.Host.Length > 0 && EmailSender.From(url) is not null;
        if (url.IsLoopback && url.Scheme is "http" or "https") return true;
        if (url.Scheme != "https" || url.UserInfo.Length > 0) return false;
        if (Hosts.Length == 0) return true; // a generic webhook: the plant's own systems, wherever they are
        return Hosts.Any(h => h.StartsWith('.') ? url.Host.EndsWith(h, StringComparison.OrdinalIgnoreCase) : string.Equals(url.Host, h, StringComparison.OrdinalIgnoreCase));
    }
}
