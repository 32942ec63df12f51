using System.Globalization;
using Microsoft.Extensions.Localization;
using Recognition.Web.Infrastructure.Web;

namespace Recognition.Web.Features.Channels;

/// <summary>
/// Personal messages by e-mail: reads the notifications table (written in the transaction of each change: recognition
/// received, claim decided, order ready or declined) from its own cursor and queues one delivery per notification for a
/// person who has an address, has not turned e-mail off, and whose site has an e-mail channel — in the person's language,
/// and after their quiet hours (in the site's zone) when it arrives during them. Same guarantees as the chat channels:
/// one delivery per channel and notification, the cursor moved in the same transaction.
/// </summary>
public sealed partial class MailDispatcher(Db db, IStringLocalizer<SharedResource> l, PublicUrl publicUrl, TimeProvider clock)
{
    public const string Cursor = "mail";

    private sealed class Note
    {
        public long Id { get; init; }
        public long EmployeeId { get; init; }
        public string Kind { get; init; } = "";
        public long SubjectId { get; init; }
    }

    private sealed class Person
    {
        public long Id { get; init; }
        public long SiteId { get; init; }
        public string Locale { get; init; } = "";
        public string? Email { get; init; }
        public long NotifyEmail { get; init; }
        public long Active { get; init; }
        public int? QuietFrom { get; init; }
        public int? QuietTo { get; init; }
        public string TimeZone { get; init; } = "";
    }

    private sealed record Planned(long ChannelId, long NoteId, long EmployeeId, string Kind, string Title, string Body, string Link, DateTime Next);

    public static readonly string[] Kinds = ["recognition", "addon", "budget.low", "claim.approved", "claim.rejected", "order.ready", "order.declined", "oneonone.due"];

    /// <summary>One batch; returns how many notifications were read.</summary>
    public async Task<int> DispatchAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        long after;
        List<Note> notes;
        var planned = new List<Planned>();
        await using (var c = await db.OpenAsync(ct))
        {
            if (await c.ExecuteScalarAsync<long?>("SELECT last_id FROM relay_cursors WHERE name = @Cursor", new { Cursor }) is not { } cursor)
            {
                // A new installation starts from now: notifications from before e-mail existed are not sent.
                await db.WriteAsync((w, t) => w.ExecuteAsync(db.Dialect.InsertIfMissing("relay_cursors", ["name"], ["name", "last_id"]),
                    new { name = Cursor, last_id = w.ExecuteScalar<long>("SELECT COALESCE(MAX(id), 0) FROM notifications", transaction: t) }, t), ct);
                return 0;
            }
            after = cursor;
            notes = (await c.QueryAsync<Note>(db.Dialect.SettledNotificationsAfter, new { after, take = 200 })).ToList();
            var channels = notes.Count == 0 ? [] : (await c.QueryAsync<(long Id, long SiteId)>("SELECT id, site_id FROM channels WHERE kind = 'email' AND active = 1")).ToList();
            if (channels.Count > 0)
            {
                var ids = notes.Where(n => Kinds.Contains(n.Kind)).Select(n => n.EmployeeId).Distinct().ToList();
                var people = ids.Count == 0 ? [] : (await c.QueryAsync<Person>(@"SELECT e.id AS Id, e.site_id AS SiteId, e.locale AS Locale, e.email AS Email, e.notify_email AS NotifyEmail,
                        e.active AS Active, e.quiet_from AS QuietFrom, e.quiet_to AS QuietTo, s.time_zone AS TimeZone
                    FROM employees e JOIN sites s ON s.id = e.site_id WHERE e.id IN @ids", new { ids })).ToDictionary(p => p.Id);
                foreach (var n in notes.Where(n => Kinds.Contains(n.Kind)))
                {
                    if (!people.TryGetValue(n.EmployeeId, out var p) || p.Active != 1 || p.NotifyEmail != 1 || p.Email is not { Length: > 3 }) continue;
                    var channel = channels.FirstOrDefault(x => x.SiteId == p.SiteId);
                    if (channel.Id == 0) continue;
                    if (await TextAsync(c, n, p.Locale) is not { } text) continue;
                    planned.Add(new Planned(channel.Id, n.Id, p.Id, n.Kind, text.Title, text.Body, text.Link, AfterQuietHours(now, p)));
                }
            }
        }
        if (notes.Count == 0) return 0;
        var to = notes[^1].Id;
        await db.WriteAsync(async (c, t) =>
        {
            // Only if no other instance moved the cursor meanwhile; otherwise the batch is read again.
            if (await c.ExecuteAsync("UPDATE relay_cursors SET last_id = @to WHERE name = @Cursor AND last_id = @after", new { Cursor, to, after }, t) == 0) return 0;
            foreach (var p in planned)
            {
                await c.ExecuteAsync(@"INSERT INTO deliveries (channel_id, event_id, employee_id, kind, title, body, link, data_json, state, attempts, next_utc, created_utc)
                    SELECT @ChannelId, @NoteId, @EmployeeId, @Kind, @Title, @Body, @Link, NULL, 'pending', 0, @Next, @now
                    WHERE NOT EXISTS (SELECT 1 FROM deliveries WHERE channel_id = @ChannelId AND event_id = @NoteId)",
                    new { p.ChannelId, p.NoteId, p.EmployeeId, p.Kind, p.Title, p.Body, p.Link, p.Next, now }, t);
            }
            return 0;
        }, ct);
        return notes.Count;
    }

    private DateTime _lastDigestRun = DateTime.MinValue;

    /// <summary>What a supervisor is asked to decide: reports (claims) of the teams they lead, and customer praise for them to moderate.</summary>
    private sealed record Waiting(string Kind, string CountSql, string LinesSql, string TitleKey, string Path);

    private static readonly Waiting[] ToDecide =
    [
        new("approvals.digest",
            @"SELECT l.employee_id, COUNT(*), MAX(c.id) FROM claims c JOIN team_leaders l ON l.team_id = c.team_id WHERE c.status = 'pending' GROUP BY l.employee_id",
            @"SELECT e.name_zh, e.name_en, r.name_zh, r.name_en FROM claims c JOIN team_leaders l ON l.team_id = c.team_id
              JOIN employees e ON e.id = c.employee_id JOIN behaviour_rules r ON r.id = c.rule_id
              WHERE c.status = 'pending' AND l.employee_id = @Id ORDER BY c.id DESC",
            "Mail.ApprovalsWaiting", "/Supervisor/Approvals"),
        new("praise.digest",
            @"SELECT l.employee_id, COUNT(*), MAX(p.id) FROM praise_submissions p JOIN team_leaders l ON l.team_id = p.team_id WHERE p.status = 'pending' GROUP BY l.employee_id",
            @"SELECT COALESCE(p.company, p.author_name, '—'), COALESCE(p.company, p.author_name, '—'), p.message, p.message FROM praise_submissions p
              JOIN team_leaders l ON l.team_id = p.team_id WHERE p.status = 'pending' AND l.employee_id = @Id ORDER BY p.id DESC",
            "Mail.PraiseWaiting", "/Supervisor/Praise"),
    ];

    /// <summary>
    /// Supervisors get one message about what waits for them, not one per item: when reports of the teams they lead wait
    /// for approval (or customer praise for them waits for moderation) and some arrived since their last digest of that
    /// kind, at most one digest per Channels:ApprovalDigestMinutes (60), by e-mail where their site has it. Looked at once a minute.
    /// </summary>
    public async Task<int> DigestApprovalsAsync(IConfiguration config, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        if (now >= _lastDigestRun && now - _lastDigestRun < TimeSpan.FromMinutes(1)) return 0; // a clock set back (NTP, a restored VM) looks again at once
        _lastDigestRun = now;
        var every = TimeSpan.FromMinutes(Math.Max(1, config.GetValue("Channels:ApprovalDigestMinutes", 60)));
        var planned = new List<Planned>();
        await using (var c = await db.OpenAsync(ct))
        {
            foreach (var w in ToDecide) planned.AddRange(await DigestAsync(c, w, every, now));
        }
        if (planned.Count == 0) return 0;
        var since = now - every;
        return await db.WriteAsync(async (c, t) =>
        {
            var made = 0;
            foreach (var p in planned)
            {
                // Once per period even if two instances looked at the same minute.
                made += await c.ExecuteAsync(@"INSERT INTO deliveries (channel_id, event_id, employee_id, kind, title, body, link, data_json, state, attempts, next_utc, created_utc)
                    SELECT @ChannelId, NULL, @EmployeeId, @Kind, @Title, @Body, @Link, @covered, 'pending', 0, @Next, @now
                    WHERE NOT EXISTS (SELECT 1 FROM deliveries WHERE employee_id = @EmployeeId AND kind = @Kind AND created_utc > @since)",
                    new { p.ChannelId, p.EmployeeId, p.Kind, p.Title, p.Body, p.Link, covered = p.NoteId.ToString(CultureInfo.InvariantCulture), p.Next, now, since }, t);
            }
            return made;
        }, ct);
    }

    private async Task<List<Planned>> DigestAsync(DbConnection c, Waiting source, TimeSpan every, DateTime now)
    {
        var planned = new List<Planned>();
        var waiting = (await c.QueryAsync<(long SupervisorId, long Pending, long Newest)>(source.CountSql)).ToList();
        if (waiting.Count == 0) return planned;
        var channels = (await c.QueryAsync<(long Id, long SiteId)>("SELECT id, site_id FROM channels WHERE kind = 'email' AND active = 1")).ToList();
        if (channels.Count == 0) return planned;
        var ids = waiting.Select(w => w.SupervisorId).ToList();
        var people = (await c.QueryAsync<Person>(@"SELECT e.id AS Id, e.site_id AS SiteId, e.locale AS Locale, e.email AS Email, e.notify_email AS NotifyEmail,
                e.active AS Active, e.quiet_from AS QuietFrom, e.quiet_to AS QuietTo, s.time_zone AS TimeZone
            FROM employees e JOIN sites s ON s.id = e.site_id WHERE e.id IN @ids", new { ids })).ToDictionary(p => p.Id);
        foreach (var w in waiting)
        {
            if (!people.TryGetValue(w.SupervisorId, out var p) || p.Active != 1 || p.NotifyEmail != 1 || p.Email is not { Length: > 3 }) continue;
            var channel = channels.FirstOrDefault(x => x.SiteId == p.SiteId);
            if (channel.Id == 0) continue;
            // The last digest remembers the newest item it covered: a new one only when newer items wait.
            var last = await c.QuerySingleOrDefaultAsync<(DateTime Created, string? Data)?>(db.Dialect.Page(
                "SELECT created_utc, data_json FROM deliveries WHERE employee_id = @Id AND kind = @Kind ORDER BY id DESC"), new { p.Id, source.Kind, skip = 0, take = 1 });
            if (last is { } prev && (now - prev.Created < every
                || (long.TryParse(prev.Data, NumberStyles.None, CultureInfo.InvariantCulture, out var covered) && w.Newest <= covered))) continue;
            var lines = (await c.QueryAsync<(string? Zh, string? En, string WhatZh, string WhatEn)>(db.Dialect.Page(source.LinesSql), new { p.Id, skip = 0, take = 10 })).ToList();
            var zh = p.Locale == "zh-CN";
            var text = In(p.Locale, () => (
                title: l[source.TitleKey, w.Pending].Value,
                body: string.Join("\n", lines.Select(x => $"• {Bilingual.Pick(x.Zh, x.En, zh)} · {Excerpt(Bilingual.Pick(x.WhatZh, x.WhatEn, zh))}")) + (w.Pending > lines.Count ? "\n…" : "")));
            var link = (publicUrl.Value ?? "http://localhost:5000").TrimEnd('/') + source.Path;
            planned.Add(new Planned(channel.Id, w.Newest, p.Id, source.Kind, text.title, text.body, link, AfterQuietHours(now, p)));
        }
        return planned;
    }

    private static string Excerpt(string s) => s.Length <= 80 ? s : s[..79] + "…";

    /// <summary>Now, or the end of the person's quiet hours (local hours from–to, which may wrap past midnight).</summary>
    public static DateTime AfterQuietHours(DateTime utc, int? from, int? to, string zone)
    {
        if (from is not { } f || to is not { } t || f == t || f is < 0 or > 23 || t is < 0 or > 23) return utc;
        var local = SiteTime.ToLocal(utc, zone);
        var h = local.Hour;
        var quiet = f < t ? h >= f && h < t : h >= f || h < t;
        if (!quiet) return utc;
        var end = local.Date.AddHours(t);
        if (end <= local) end = end.AddDays(1);
        return SiteTime.ToUtc(end, zone);
    }

    private static DateTime AfterQuietHours(DateTime utc, Person p) => AfterQuietHours(utc, p.QuietFrom, p.QuietTo, p.TimeZone);
}
