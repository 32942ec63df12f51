using Microsoft.AspNetCore.DataProtection;

namespace Recognition.Web.Features.Channels;

public sealed class ChannelRow
{
    public long Id { get; init; }
    public long SiteId { get; init; }
    public long? TeamId { get; init; }
    public string Kind { get; init; } = "";
    public string Name { get; init; } = "";
    public string UrlHint { get; init; } = "";
    public string Locale { get; init; } = "";
    public string Cadence { get; init; } = "each";
    public string? TeamZh { get; init; }
    public string? TeamEn { get; init; }
    public string? SiteZh { get; init; }
    public string? SiteEn { get; init; }
}

public sealed class DeliveryRow
{
    public long Id { get; init; }
    public long ChannelId { get; init; }
    public string ChannelName { get; init; } = "";
    public string Kind { get; init; } = "";
    public string Title { get; init; } = "";
    public string State { get; init; } = "";
    public long Attempts { get; init; }
    public string? LastAnswer { get; init; }
    public DateTime CreatedUtc { get; init; }
    public DateTime? SentUtc { get; init; }
}

public sealed record ChannelForm(long SiteId, long? TeamId, string? Kind, string? Name, string? Url, string? Secret, string? Locale, string? Cadence = null);

/// <summary>How often a chat channel hears: each message as it happens, or one digest a day or a week.</summary>
public static class Cadences
{
    public const string Each = "each", Daily = "daily", Weekly = "weekly";
    public static readonly string[] All = [Each, Daily, Weekly];
}

/// <summary>
/// Admin › Channels: a site's or a team's chat robots and webhooks. Addresses and secrets are stored encrypted with Data
/// Protection (its keys encrypted at rest with the key-encryption key) and shown masked; a webhook's signing secret is
/// made here and shown once. Every change is audited, never with the address or the secret.
/// </summary>
public sealed class ChannelStore(Db db, IDataProtectionProvider protection, ChannelWorker worker)
{
    private readonly IDataProtector _protector = protection.CreateProtector("Recognition.Channels.v1");

    public string Protect(string value) => _protector.Protect(value);
    public string Unprotect(string value) => _protector.Unprotect(value);

    private const string Columns = @"c.id AS Id, c.site_id AS SiteId, c.team_id AS TeamId, c.kind AS Kind, c.name AS Name, c.url_hint AS UrlHint, c.locale AS Locale, c.cadence AS Cadence,
        t.name_zh AS TeamZh, t.name_en AS TeamEn, s.name_zh AS SiteZh, s.name_en AS SiteEn";

    public async Task<IReadOnlyList<ChannelRow>> ListAsync(AdminScope scope)
    {
        await using var c = await db.OpenAsync();
        return (await c.QueryAsync<ChannelRow>($@"SELECT {Columns} FROM channels c JOIN sites s ON s.id = c.site_id LEFT JOIN teams t ON t.id = c.team_id
            WHERE c.active = 1 AND (@org = 1 OR c.site_id = @site) ORDER BY c.site_id, c.team_id, c.id", new { org = scope.Org ? 1 : 0, site = scope.HomeSite })).ToList();
    }

    /// <summary>The latest deliveries (or only the dead letters) of the channels the admin covers.</summary>
    public async Task<IReadOnlyList<DeliveryRow>> DeliveriesAsync(AdminScope scope, bool deadOnly, int take)
    {
        await using var c = await db.OpenAsync();
        return (await c.QueryAsync<DeliveryRow>(db.Dialect.Page($@"SELECT d.id AS Id, d.channel_id AS ChannelId, c.name AS ChannelName, d.kind AS Kind, d.title AS Title,
                d.state AS State, d.attempts AS Attempts, d.last_answer AS LastAnswer, d.created_utc AS CreatedUtc, d.sent_utc AS SentUtc
            FROM deliveries d JOIN channels c ON c.id = d.channel_id
            WHERE (@org = 1 OR c.site_id = @site) {(deadOnly ? "AND d.state = 'dead'" : "AND d.folded_into IS NULL")} ORDER BY d.id DESC"),
            new { org = scope.Org ? 1 : 0, site = scope.HomeSite, skip = 0, take })).ToList();
    }

    /// <summary>Adds a channel; for a webhook the signing secret is made here and returned once.</summary>
    public async Task<(Outcome Outcome, string? ShownOnce)> CreateAsync(ChannelForm f, AdminScope scope, string? ip, DateTime now)
    {
        if (!scope.Covers(f.SiteId)) return (Outcome.Refused("People.SiteNotYours"), null);
        if (ChannelKind.Find(f.Kind) is not { } kind) return (Outcome.Refused("Channels.KindRequired"), null);
        var name = TextRules.Clean(f.Name ?? "");
        if (name.Length is 0 or > 100) return (Outcome.Refused("Channels.NameRequired"), null);
        if ((f.Url ?? "").Trim() is not { Length: > 0 and <= 1000 } text || !Uri.TryCreate(text, UriKind.Absolute, out var url) || !kind.Accepts(url))
        {
            return (Outcome.Refused("Channels.BadUrl", kind == ChannelKind.Email ? "smtp(s)://host:port?from=sender@…" : string.Join(", ", kind.Hosts.DefaultIfEmpty("https://…"))), null);
        }
        var secret = kind == ChannelKind.Webhook ? WebhookSender.NewSecret() : (f.Secret ?? "").Trim();
        if (kind.NeedsSecret && secret.Length is 0 or > 200) return (Outcome.Refused("Channels.SecretRequired"), null);
        var locale = f.Locale is "en-US" ? "en-US" : "zh-CN";
        if (kind == ChannelKind.Email) f = f with { TeamId = null }; // mail goes to people, one server per site
        var cadence = string.IsNullOrEmpty(f.Cadence) ? Cadences.Each : f.Cadence;
        if (!Cadences.All.Contains(cadence)) return (Outcome.Refused("Channels.BadCadence"), null);
        if (!kind.Folds) cadence = Cadences.Each; // webhooks and e-mail get every event by itself
        var outcome = await db.WriteAsync(async (c, t) =>
        {
            if (f.TeamId is { } team && await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM teams WHERE id = @team AND site_id = @site AND active = 1", new { team, site = f.SiteId }, t) == 0)
            {
                return Outcome.Refused("Channels.BadTeam");
            }
            var newId = await c.ScalarAsync<long>(t, db.Dialect.InsertReturningId("channels",
                "site_id, team_id, kind, name, url_enc, url_hint, secret_enc, locale, cadence, active, created_by, created_utc",
                "@SiteId, @TeamId, @kind, @name, @urlEnc, @hint, @secretEnc, @locale, @cadence, 1, @actor, @now"),
                new { f.SiteId, f.TeamId, kind = kind.Code, name, urlEnc = Protect(url.ToString()), hint = Mask(url), secretEnc = secret.Length > 0 ? Protect(secret) : null, locale, cadence, actor = scope.Actor, now });
            await Audit.WriteAsync(c, t, new AuditEntry(scope.Actor, "channel.create", $"channel:{newId}", f.SiteId,
                After: new { kind = kind.Code, name, team = f.TeamId, locale, cadence, url = Mask(url) }, Ip: ip), now);
            return Outcome.Created(newId);
        });
        if (!outcome.Ok) return (outcome, null);
        return (outcome, kind == ChannelKind.Webhook ? secret : null);
    }

    public async Task<Outcome> RemoveAsync(long id, AdminScope scope, string? ip, DateTime now) =>
        await db.WriteAsync(async (c, t) =>
        {
            var site = await c.ExecuteScalarAsync<long?>("SELECT site_id FROM channels WHERE id = @id AND active = 1", new { id }, t);
            if (site is null || !scope.Covers(site.Value)) return Outcome.Refused("Channels.NotFound");
            await c.ExecAsync(t, "UPDATE channels SET active = 0 WHERE id = @id", new { id });
            await c.ExecAsync(t, "UPDATE deliveries SET state = 'dead', last_answer = 'channel removed' WHERE channel_id = @id AND state IN ('pending', 'sending')", new { id });
            await Audit.WriteAsync(c, t, new AuditEntry(scope.Actor, "channel.remove", $"channel:{id}", site, Ip: ip), now);
            return Outcome.Created(id);
        });

    /// <summary>"Send a test message": queued like any other (messages leave through the outbox, never from a request).</summary>
    public async Task<Outcome> TestAsync(long id, AdminScope scope, Func<string, (string Title, string Body)> text, string? ip, DateTime now)
    {
        var outcome = await db.WriteAsync(async (c, t) =>
        {
            var ch = await c.QuerySingleOrDefaultAsync<(long SiteId, string Locale)?>("SELECT site_id, locale FROM channels WHERE id = @id AND active = 1", new { id }, t);
            if (ch is null || !scope.Covers(ch.Value.SiteId)) return Outcome.Refused("Channels.NotFound");
            var (title, body) = text(ch.Value.Locale);
            var delivery = await c.ScalarAsync<long>(t, db.Dialect.InsertReturningId("deliveries",
                "channel_id, event_id, kind, title, body, link, data_json, state, attempts, next_utc, created_utc",
                "@id, NULL, 'test', @title, @body, NULL, NULL, 'pending', 0, @now, @now"), new { id, title, body, now });
            await Audit.WriteAsync(c, t, new AuditEntry(scope.Actor, "channel.test", $"channel:{id}", ch.Value.SiteId, Ip: ip), now);
            return Outcome.Created(delivery);
        });
        worker.Wake();
        return outcome;
    }

    /// <summary>A dead letter goes back in the queue, its attempts counted from zero.</summary>
    public async Task<Outcome> RetryAsync(long deliveryId, AdminScope scope, string? ip, DateTime now)
    {
        var outcome = await db.WriteAsync(async (c, t) =>
        {
            var site = await c.ExecuteScalarAsync<long?>(@"SELECT c.site_id FROM deliveries d JOIN channels c ON c.id = d.channel_id
                WHERE d.id = @deliveryId AND d.state = 'dead' AND c.active = 1", new { deliveryId }, t);
            if (site is null || !scope.Covers(site.Value)) return Outcome.Refused("Channels.NotFound");
            await c.ExecAsync(t, "UPDATE deliveries SET state = 'pending', attempts = 0, next_utc = @now, lease_utc = NULL WHERE id = @deliveryId", new { deliveryId, now });
            await Audit.WriteAsync(c, t, new AuditEntry(scope.Actor, "channel.retry", $"delivery:{deliveryId}", site, Ip: ip), now);
            return Outcome.Created(deliveryId);
        });
        worker.Wake();
        return outcome;
    }

    /// <summary>Enough to recognise the address, never enough to use it: the host and the last four characters.</summary>
    public static string Mask(Uri url)
    {
        var s = url.ToString();
        return $"{url.Scheme}://{url.Authority}/…{(s.Length > 12 ? s[^4..] : "")}";
    }
}
