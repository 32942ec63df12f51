using System.Net;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Recognition.Web.Features.Channels;

/// <summary>
/// E-mail over SMTP with MailKit: smtps:// is TLS from the first byte (465), smtp:// requires STARTTLS (587) — only a
/// loopback relay may be plain. Each message is HTML and text in the recipient's own language. The channel's address is
/// smtp[s]://[user@]host[:port]?from=sender@plant.com, its secret the password.
/// </summary>
public sealed class EmailSender : IChannelSender
{
    public string Kind => ChannelKind.Email.Code;

    public static MailboxAddress? From(Uri url)
    {
        var from = System.Web.HttpUtility.ParseQueryString(url.Query)["from"];
        return from is { Length: > 3 and <= 200 } && MailboxAddress.TryParse(from, out var address) ? address : null;
    }

    public async Task<SendResult> SendAsync(ChannelTarget target, OutMessage message, DateTimeOffset now, CancellationToken ct)
    {
        if (message.To is not { } to || !MailboxAddress.TryParse(to, out var recipient)) return SendResult.Failed("no e-mail address for the recipient", retry: false);
        var url = new Uri(target.Url);
        var mail = new MimeMessage { Subject = message.Title, MessageId = $"recognition-{message.DeliveryId}@{url.Host}" };
        mail.From.Add(From(url)!);
        mail.To.Add(recipient);
        mail.Headers.Add("Content-Language", message.Locale ?? "zh-CN");
        var text = message.Body + (message.Link is { } l ? "\n\n" + l : "");
        var html = $"<!DOCTYPE html><html lang=\"{WebUtility.HtmlEncode(message.Locale ?? "zh-CN")}\"><body style=\"font-family:sans-serif\"><h2>{WebUtility.HtmlEncode(message.Title)}</h2>"
            + string.Join("", message.Body.Split('\n').Select(p => $"<p>{WebUtility.HtmlEncode(p)}</p>"))
            + (message.Link is { } link ? $"<p><a href=\"{WebUtility.HtmlEncode(link)}\">{WebUtility.HtmlEncode(link)}</a></p>" : "") + "</body></html>";
        mail.Body = new BodyBuilder { TextBody = text, HtmlBody = html }.ToMessageBody();
        using var client = new SmtpClient { Timeout = 10_000 };
        try
        {
            var security = url.Scheme == "smtps" ? SecureSocketOptions.SslOnConnect
                : url.IsLoopback ? SecureSocketOptions.StartTlsWhenAvailable : SecureSocketOptions.StartTls;
            await client.ConnectAsync(url.Host, url.IsDefaultPort || url.Port <= 0 ? (url.Scheme == "smtps" ? 465 : 587) : url.Port, security, ct);
            if (Uri.UnescapeDataString(url.UserInfo) is { Length: > 0 } user) await client.AuthenticateAsync(user, target.Secret ?? "", ct);
            var answer = await client.SendAsync(mail, ct);
            await client.DisconnectAsync(true, ct);
            return SendResult.Sent(answer);
        }
        catch (SmtpCommandException e)
        {
            // 4xx: the server asks to try later; 5xx: refused for good.
            return SendResult.Failed($"SMTP {(int)e.StatusCode} {e.Message}", retry: (int)e.StatusCode is >= 400 and < 500);
        }
        catch (AuthenticationException e)
        {
            return SendResult.Failed("SMTP authentication: " + e.Message, retry: false);
        }
        catch (Exception e) when (e is SmtpProtocolException or IOException or System.Net.Sockets.SocketException or SslHandshakeException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            return SendResult.Failed("SMTP: " + e.Message, retry: true);
        }
    }
}
