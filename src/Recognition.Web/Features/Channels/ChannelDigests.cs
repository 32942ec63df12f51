using System.Globalization;
using Microsoft.Extensions.Localization;

namespace Recognition.Web.Features.Channels;

/// <summary>
/// The messages that summarise a period instead of announcing one event, looked at once a minute by the dispatcher:
/// <list type="bullet">
/// <item>a chat channel on a daily cadence gets, from <c>Channels:DigestHour</c> (17:00 site time) on, one digest of the
/// day's recognitions that reach it (public ones for a site's channel, public and team ones of its members for a team's);
/// a weekly one gets it on Friday from that hour (or at the weekend, if the app was down) for the week since Monday;</item>
/// <item>each person with an address who did not turn it off gets, on Friday from that hour, one "what you gave and
/// received" e-mail for the week, when they gave or received something.</item>
/// </list>
/// Nothing is sent for a period without recognitions. Each digest carries a unique key (channel or person and period),
/// so a restart, a second look or a second instance never sends one twice; private recognitions never appear.
/// </summary>
public sealed class ChannelDigests(Db db, IStringLocalizer<SharedResource> l, ChannelMessages messages, IConfiguration config, TimeProvider clock)
{
    private DateTime _lastRun = DateTime.MinValue;
    private readonly HashSet<string> _weeklyDone = [];

    private sealed record Planned(long ChannelId, long? EmployeeId, string Kind, string Title, string Body, string Link, string Key, DateTime Next);

    private sealed class Chat
    {
        public long Id { get; init; }
        public long SiteId { get; init; }
        public long? TeamId { get; init; }
        public string Locale { get; init; } = "";
        public string Cadence { get; init; } = "";
        public string TimeZone { get; init; } = "";
    }

    private sealed class Line
    {
        public long Id { get; init; }
        public string? GiverZh { get; init; }
        public string? GiverEn { get; init; }
        public string Source { get; init; } = "";
        public string? BadgeZh { get; init; }
        public string? BadgeEn { get; init; }
        public string Message { get; init; } = "";
        public long EmployeeId { get; init; }
        public string? ToZh { get; init; }
        public string? ToEn { get; init; }
    }

    private int Hour => Math.Clamp(config.GetValue("Channels:DigestHour", 17), 0, 23);

    /// <summary>Looks at most once a minute; returns how many digests were queued.</summary>
    public async Task<int> RunAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        if (now >= _lastRun && now - _lastRun < TimeSpan.FromMinutes(1)) return 0; // a clock set back (NTP, a restored VM) looks again at once
        _lastRun = now;
        var planned = new List<Planned>();
        await using (var c = await db.OpenAsync(ct))
        {
            var chats = (await c.QueryAsync<Chat>(@"SELECT c.id AS Id, c.site_id AS SiteId, c.team_id AS TeamId, c.locale AS Locale, c.cadence AS Cadence, s.time_zone AS TimeZone
                FROM channels c JOIN sites s ON s.id = c.site_id WHERE c.active = 1 AND c.cadence IN ('daily', 'weekly')")).ToList();
            foreach (var ch in chats)
            {
                if (Period(now, ch.TimeZone, ch.Cadence == Cadences.Weekly) is not { } period) continue;
                var key = $"channel:{ch.Id}:{ch.Cadence}:{period.Key}";
                if (await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM deliveries WHERE digest_key = @key", new { key }) > 0) continue;
                if (await ChannelDigestAsync(c, ch, period.FromUtc, now, key) is { } p) planned.Add(p);
            }
            var mail = (await c.QueryAsync<(long Id, long SiteId, string TimeZone)>(
                "SELECT c.id, c.site_id, s.time_zone FROM channels c JOIN sites s ON s.id = c.site_id WHERE c.kind = 'email' AND c.active = 1")).ToList();
            foreach (var m in mail.DistinctBy(m => m.SiteId))
            {
                if (Period(now, m.TimeZone, weekly: true) is not { } week || _weeklyDone.Contains($"{m.SiteId}:{week.Key}")) continue;
                planned.AddRange(await WeeklyMailAsync(c, m.Id, m.SiteId, m.TimeZone, week.FromUtc, now, week.Key));
                _weeklyDone.Add($"{m.SiteId}:{week.Key}");
            }
        }
        if (planned.Count == 0) return 0;
        return await db.WriteAsync(async (c, t) =>
        {
            var made = 0;
            foreach (var p in planned)
            {
                made += await c.ExecuteAsync(@"INSERT INTO deliveries (channel_id, event_id, employee_id, kind, title, body, link, data_json, state, attempts, next_utc, created_utc, digest_key)
                    SELECT @ChannelId, NULL, @EmployeeId, @Kind, @Title, @Body, @Link, NULL, 'pending', 0, @Next, @now, @Key
                    WHERE NOT EXISTS (SELECT 1 FROM deliveries WHERE digest_key = @Key)",
                    new { p.ChannelId, p.EmployeeId, p.Kind, p.Title, p.Body, p.Link, p.Next, now, p.Key }, t);
            }
            return made;
        }, ct);
    }

    /// <summary>The period a digest due now covers: today, or this week from Monday (from Friday at the hour on).</summary>
    private (string Key, DateTime FromUtc)? Period(DateTime utc, string zone, bool weekly)
    {
        var local = SiteTime.ToLocal(utc, zone);
        if (!weekly)
        {
            return local.Hour < Hour ? null : (SiteTime.Day(local).ToString(CultureInfo.InvariantCulture), SiteTime.ToUtc(local.Date, zone));
        }
        var due = local.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday || (local.DayOfWeek == DayOfWeek.Friday && local.Hour >= Hour);
        return due ? ("w" + SiteTime.Week(local).ToString(CultureInfo.InvariantCulture), SiteTime.ToUtc(SiteTime.WeekStart(local), zone)) : null;
    }

    private async Task<Planned?> ChannelDigestAsync(DbConnection c, Chat ch, DateTime from, DateTime now, string key)
    {
        // What the channel would have heard one by one: a team's channel its members' public and team recognitions, a site's its public ones.
        var where = ch.TeamId is null ? "r.visibility = 'public'" : "r.visibility IN ('public', 'team') AND rr.team_id = @TeamId";
        var lines = (await c.QueryAsync<Line>($@"SELECT r.id AS Id, g.name_zh AS GiverZh, g.name_en AS GiverEn, r.source AS Source, b.name_zh AS BadgeZh, b.name_en AS BadgeEn,
                r.message AS Message, e.id AS EmployeeId, e.name_zh AS ToZh, e.name_en AS ToEn
            FROM recognitions r JOIN recognition_recipients rr ON rr.recognition_id = r.id JOIN employees e ON e.id = rr.employee_id
            JOIN employees g ON g.id = r.giver_id LEFT JOIN badges b ON b.id = r.badge_id
            WHERE r.site_id = @SiteId AND r.status = 'active' AND r.created_utc >= @from AND r.created_utc < @now AND {where}
            ORDER BY r.id", new { ch.SiteId, ch.TeamId, from, now })).ToList();
        if (lines.Count == 0) return null;
        var zh = ch.Locale == "zh-CN";
        var grouped = lines.GroupBy(x => x.Id).ToList();
        var (title, body) = In(ch.Locale, () =>
        {
            var heading = ch.Cadence == Cadences.Weekly ? l["Channels.WeekDigestTitle", grouped.Count].Value : l["Channels.DayDigestTitle", grouped.Count].Value;
            var text = grouped.Take(15).Select(g =>
            {
                var r = g.First();
                var giver = r.Source == "customer" ? l["Channels.ACustomer"].Value : Bilingual.Pick(r.GiverZh, r.GiverEn, zh);
                var to = string.Join(zh ? "、" : ", ", g.Select(x => Bilingual.Pick(x.ToZh, x.ToEn, zh)));
                var badge = r.BadgeZh is null ? "" : $" · {Bilingual.Pick(r.BadgeZh, r.BadgeEn, zh)}";
                return $"• {giver} → {to}{badge}";
            });
            return (heading, string.Join("\n", text) + (grouped.Count > 15 ? "\n" + l["Channels.AndMore", grouped.Count - 15].Value : ""));
        });
        return new Planned(ch.Id, null, "digest." + ch.Cadence, title, body, messages.Base + "/Feed", key, now);
    }

    private sealed class Weekly
    {
        public long Id { get; init; }
        public string Locale { get; init; } = "";
        public int? QuietFrom { get; init; }
        public int? QuietTo { get; init; }
    }

    /// <summary>One e-mail per person who gave or received something at the site this week: counts, points, the words they received.</summary>
    private async Task<List<Planned>> WeeklyMailAsync(DbConnection c, long channelId, long siteId, string zone, DateTime from, DateTime now, string week)
    {
        var gave = (await c.QueryAsync<(long Id, long N)>(@"SELECT r.giver_id, COUNT(*) FROM recognitions r
            WHERE r.site_id = @siteId AND r.status = 'active' AND r.source = 'peer' AND r.created_utc >= @from AND r.created_utc < @now GROUP BY r.giver_id",
            new { siteId, from, now })).ToDictionary(x => x.Id, x => x.N);
        var received = (await c.QueryAsync<Line>(@"SELECT r.id AS Id, g.name_zh AS GiverZh, g.name_en AS GiverEn, r.source AS Source, b.name_zh AS BadgeZh, b.name_en AS BadgeEn,
                r.message AS Message, rr.employee_id AS EmployeeId
            FROM recognitions r JOIN recognition_recipients rr ON rr.recognition_id = r.id JOIN employees g ON g.id = r.giver_id LEFT JOIN badges b ON b.id = r.badge_id
            WHERE r.site_id = @siteId AND r.status = 'active' AND r.created_utc >= @from AND r.created_utc < @now ORDER BY r.id DESC",
            new { siteId, from, now })).ToLookup(x => x.EmployeeId);
        var points = (await c.QueryAsync<(long Id, long Points)>(@"SELECT employee_id, SUM(points) FROM points_ledger
            WHERE site_id = @siteId AND points > 0 AND created_utc >= @from AND created_utc < @now GROUP BY employee_id", new { siteId, from, now })).ToDictionary(x => x.Id, x => x.Points);
        var ids = gave.Keys.Concat(received.Select(g => g.Key)).Distinct().ToList();
        if (ids.Count == 0) return [];
        var people = new List<Weekly>();
        foreach (var chunk in ids.Chunk(500))
        {
            people.AddRange(await c.QueryAsync<Weekly>(@"SELECT id AS Id, locale AS Locale, quiet_from AS QuietFrom, quiet_to AS QuietTo FROM employees
                WHERE id IN @chunk AND site_id = @siteId AND active = 1 AND notify_email = 1 AND notify_weekly = 1 AND email IS NOT NULL", new { chunk, siteId }));
        }
        var link = messages.Base + "/Me";
        return people.Select(p =>
        {
            var zh = p.Locale == "zh-CN";
            var mine = received[p.Id].ToList();
            var (title, body) = In(p.Locale, () =>
            {
                var lines = new List<string> { l["Mail.WeekCounts", gave.GetValueOrDefault(p.Id), mine.Count].Value };
                if (points.GetValueOrDefault(p.Id) is > 0 and var pts) lines.Add(l["Mail.WeekPoints", pts].Value);
                lines.AddRange(mine.Take(5).Select(r =>
                    $"• “{r.Message}” — {(r.Source == "customer" ? l["Channels.ACustomer"].Value : Bilingual.Pick(r.GiverZh, r.GiverEn, zh))}"
                    + (r.BadgeZh is null ? "" : $" · {Bilingual.Pick(r.BadgeZh, r.BadgeEn, zh)}")));
                if (mine.Count == 0) lines.Add(l["Mail.WeekThanks"].Value);
                return (l["Mail.WeekTitle"].Value, string.Join("\n", lines));
            });
            return new Planned(channelId, p.Id, "weekly", title, body, link, $"weekly:{p.Id}:{week}", MailDispatcher.AfterQuietHours(now, p.QuietFrom, p.QuietTo, zone));
        }).ToList();
    }

    private static T In<T>(string locale, Func<T> render)
    {
        var previous = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(locale == "en-US" ? "en-US" : "zh-CN");
        try { return render(); }
        finally { CultureInfo.CurrentUICulture = previous; }
    }
}
