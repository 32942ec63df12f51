using Recognition.Web.Features.Feed;

namespace Recognition.Web.Features.Channels;

/// <summary>
/// Turns outbox events into deliveries. The events are written in the transaction of the change they announce; this
/// reads them in order from a cursor kept in the database and, in one transaction, adds one delivery per channel and
/// event (a unique index makes a repeat impossible) and moves the cursor — so a restart or a second instance neither
/// loses nor doubles a message. Who gets what:
/// <list type="bullet">
/// <item>a team's chat channel: public and team-visible recognitions of its members (and approved customer praise);</item>
/// <item>a site's chat channel (no team): public recognitions at the site;</item>
/// <item>a webhook: public recognitions, their revocation, every change of an order's state and approved customer praise, with the event's JSON.</item>
/// </list>
/// Private recognitions never leave; points are left out when a recipient opted out of the boards. A chat channel on a
/// daily or weekly cadence gets nothing here: <see cref="ChannelDigests"/> sends it one digest per period. Recipients
/// whose chat user id is known (and who did not turn it off) are @mentioned in their team's or site's chat.
/// </summary>
public sealed class ChannelDispatcher(Db db, FeedQueries feed, ChannelMessages messages, MailDispatcher mail, ChannelDigests digests, ChannelWorker worker, TimeProvider clock, IConfiguration config,
    ILogger<ChannelDispatcher> log) : BackgroundService
{
    public const string Cursor = "channels";
    private readonly Infrastructure.Runtime.Wakeup _wake = new();

    private sealed class Target
    {
        public long Id { get; init; }
        public long SiteId { get; init; }
        public long? TeamId { get; init; }
        public string Kind { get; init; } = "";
        public string Locale { get; init; } = "";
        public string Cadence { get; init; } = Cadences.Each;
        public bool IsWebhook => Kind == ChannelKind.Webhook.Code;
    }

    private sealed record Planned(long ChannelId, long EventId, string Kind, string Title, string Body, string? Link, string? Data);

    public void Wake() => _wake.Set();

    protected override async Task ExecuteAsync(CancellationToken ct)
    {
        db.Committed += Wake;
        try
        {
            var poll = TimeSpan.FromMilliseconds(config.GetValue("Channels:PollMilliseconds", 1000));
            // At most one pass per Channels:BatchMilliseconds, counted from the start of the previous one: every commit wakes
            // this loop, and a pass reads the cursor, the events and the channels and moves the cursor in a write of its own
            // (which wakes it again). At 50 reactions a second that was ~50 write transactions a second beside the people's own,
            // for events no channel takes. The first event after a quiet spell still goes at once.
            var gap = TimeSpan.FromMilliseconds(config.GetValue("Channels:BatchMilliseconds", 250));
            long? lastPass = null;
            while (!ct.IsCancellationRequested)
            {
                if (lastPass is { } previous && gap - System.Diagnostics.Stopwatch.GetElapsedTime(previous) is { Ticks: > 0 } wait)
                {
                    await Task.Delay(wait, ct);
                }
                lastPass = System.Diagnostics.Stopwatch.GetTimestamp();
                try
                {
                    while (await DispatchAsync(ct) > 0) { }
                    var mailed = 0;
                    while (await mail.DispatchAsync(ct) is > 0 and var n) mailed += n;
                    mailed += await mail.DigestApprovalsAsync(config, ct);
                    mailed += await digests.RunAsync(ct);
                    if (mailed > 0) worker.Wake();
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    log.LogError(ex, "Channel dispatcher failed; retrying");
                }
                await _wake.WaitAsync(poll, ct);
            }
        }
        finally
        {
            db.Committed -= Wake;
        }
    }

    /// <summary>One batch of events; returns how many were read (0 when caught up).</summary>
    public async Task<int> DispatchAsync(CancellationToken ct)
    {
        long after;
        bool exists;
        await using (var c = await db.OpenAsync(ct))
        {
            var cursor = await c.ExecuteScalarAsync<long?>("SELECT last_id FROM relay_cursors WHERE name = @Cursor", new { Cursor });
            exists = cursor is not null;
            after = cursor ?? await c.ExecuteScalarAsync<long>("SELECT COALESCE(MAX(id), 0) FROM events"); // a new installation starts from now
        }
        List<Walls.OutboxEvent> events;
        List<Target> targets;
        List<Planned> planned = [];
        await using (var c = await db.OpenAsync(ct))
        {
            events = (await c.QueryAsync<(long Id, long SiteId, long? TeamId, string Kind, long SubjectId)>(db.Dialect.SettledEventsAfter, new { after, take = 200 }))
                .Select(e => new Walls.OutboxEvent(e.Id, e.SiteId, e.TeamId, e.Kind, e.SubjectId)).ToList();
            if (events.Count == 0)
            {
                // Caught up: nothing is written (a write would wake this loop again through Db.Committed), except the first cursor.
                if (!exists) await SaveCursorAsync(after, after, []);
                return 0;
            }
            targets = (await c.QueryAsync<Target>("SELECT id AS Id, site_id AS SiteId, team_id AS TeamId, kind AS Kind, locale AS Locale, cadence AS Cadence FROM channels WHERE active = 1")).ToList();
            if (targets.Count > 0) planned = await PlanAsync(c, events, targets);
        }
        var moved = await SaveCursorAsync(after, events[^1].Id, planned);
        if (moved && planned.Count > 0) worker.Wake();
        return events.Count;
    }

    private sealed class Person
    {
        public long Id { get; init; }
        public string No { get; init; } = "";
        public long OptOut { get; init; }
        public long? TeamId { get; init; }
        public string? ChatId { get; init; }
        public long NotifyChat { get; init; }
        public string? NameZh { get; init; }
        public string? NameEn { get; init; }
    }

    private async Task<List<Planned>> PlanAsync(DbConnection c, List<Walls.OutboxEvent> events, List<Target> targets)
    {
        var planned = new List<Planned>();
        var created = events.Where(e => e.Kind == "recognition.created").Select(e => e.SubjectId).Distinct().ToList();
        var cards = (await feed.ManyAsync(c, created, reactions: false)).ToDictionary(x => x.Id);
        var ids = cards.Values.SelectMany(x => x.RecipientDetails.Select(r => r.Id).Append(x.GiverId)).Distinct().ToList();
        var people = ids.Count == 0 ? [] : (await c.QueryAsync<Person>(
            @"SELECT id AS Id, employee_no AS No, leaderboard_opt_out AS OptOut, team_id AS TeamId, chat_user_id AS ChatId, notify_chat AS NotifyChat,
                name_zh AS NameZh, name_en AS NameEn FROM employees WHERE id IN @ids", new { ids })).ToDictionary(p => p.Id);
        var numbers = people.Values.ToDictionary(p => p.Id, p => p.No);
        var orders = await OrdersAsync(c, events);
        var praise = await PraiseAsync(c, events);
        var celebrations = await Celebrations.CelebrationService.ManyAsync(c, events.Where(e => e.Kind == "celebration.created").Select(e => e.SubjectId).ToList());
        foreach (var e in events)
        {
            var atSite = targets.Where(t => t.SiteId == e.SiteId && t.Kind != ChannelKind.Email.Code).ToList();
            if (atSite.Count == 0) continue;
            var siteHooks = atSite.Where(t => t.IsWebhook && t.TeamId is null);
            switch (e.Kind)
            {
                case "recognition.created" when cards.TryGetValue(e.SubjectId, out var card) && card.Status == "active" && card.Visibility != "private":
                    var teams = card.RecipientDetails.Select(r => r.TeamId).OfType<long>().ToHashSet();
                    var showPoints = !card.RecipientDetails.Any(r => people.TryGetValue(r.Id, out var p) && p.OptOut == 1);
                    foreach (var t in atSite)
                    {
                        var reaches = t.TeamId is { } team ? teams.Contains(team) : card.Visibility == "public";
                        if (!reaches || (t.IsWebhook && card.Visibility != "public") || t.Cadence != Cadences.Each) continue;
                        if (t.IsWebhook)
                        {
                            planned.Add(new Planned(t.Id, e.Id, e.Kind, $"recognition {card.Id}", card.Message, null, messages.RecognitionData(card, showPoints, numbers)));
                        }
                        else
                        {
                            var (title, body, link) = messages.Recognition(card, t.Locale, showPoints);
                            // Mentioned in a team's group only if they are in that team; in a site's group, every recipient.
                            var mentions = card.RecipientDetails
                                .Select(r => people.GetValueOrDefault(r.Id))
                                .Where(p => p is { ChatId: { Length: > 0 }, NotifyChat: 1 } && (t.TeamId is null || p.TeamId == t.TeamId))
                                .Select(p => new Mention(p!.ChatId!, Bilingual.Pick(p.NameZh, p.NameEn, t.Locale == "zh-CN"))).ToList();
                            planned.Add(new Planned(t.Id, e.Id, e.Kind, title, body, link, ChatIds.ToJson(mentions)));
                        }
                    }
                    break;
                case "recognition.revoked":
                    foreach (var t in siteHooks)
                    {
                        planned.Add(new Planned(t.Id, e.Id, e.Kind, $"recognition {e.SubjectId} revoked", "", null, $"{{\"id\":{e.SubjectId}}}"));
                    }
                    break;
                case "order.placed" or "order.approved" or "order.ready" or "order.handed_over" or "order.declined" or "order.cancelled"
                    when orders.TryGetValue(e.SubjectId, out var order):
                    var state = e.Kind["order.".Length..];
                    foreach (var t in siteHooks) planned.Add(new Planned(t.Id, e.Id, e.Kind, $"order {e.SubjectId} {state}", "", null, messages.OrderData(order, state)));
                    break;
                case "celebration.created" when celebrations.TryGetValue(e.SubjectId, out var cel):
                    // The team's chat groups (and the site's); no points in the message, so nobody's opt-out is crossed.
                    foreach (var t in atSite.Where(t => !t.IsWebhook && t.Cadence == Cadences.Each && (t.TeamId is null || t.TeamId == cel.TeamId)))
                    {
                        var (title, body, link) = messages.Celebration(cel, t.Locale);
                        planned.Add(new Planned(t.Id, e.Id, e.Kind, title, body, link, null));
                    }
                    break;
                case "praise.approved" when praise.TryGetValue(e.SubjectId, out var p):
                    foreach (var t in siteHooks) planned.Add(new Planned(t.Id, e.Id, e.Kind, $"praise {e.SubjectId} approved", "", null, messages.PraiseData(p)));
                    break;
            }
        }
        return planned;
    }

    private static async Task<Dictionary<long, OrderInfo>> OrdersAsync(DbConnection c, List<Walls.OutboxEvent> events)
    {
        var ids = events.Where(e => e.Kind.StartsWith("order.", StringComparison.Ordinal)).Select(e => e.SubjectId).Distinct().ToList();
        if (ids.Count == 0) return [];
        return (await c.QueryAsync<OrderInfo>(@"SELECT o.id AS Id, e.employee_no AS EmployeeNo, w.name_zh AS RewardZh, w.name_en AS RewardEn, o.quantity AS Quantity,
                o.points AS Points, o.closed_reason AS Reason FROM reward_orders o JOIN employees e ON e.id = o.employee_id JOIN rewards w ON w.id = o.reward_id
            WHERE o.id IN @ids", new { ids })).ToDictionary(o => o.Id);
    }

    private static async Task<Dictionary<long, PraiseInfo>> PraiseAsync(DbConnection c, List<Walls.OutboxEvent> events)
    {
        var ids = events.Where(e => e.Kind == "praise.approved").Select(e => e.SubjectId).Distinct().ToList();
        if (ids.Count == 0) return [];
        return (await c.QueryAsync<PraiseInfo>(@"SELECT id AS Id, recognition_id AS RecognitionId, team_id AS TeamId, company AS Company, decided_utc AS DecidedUtc
            FROM praise_submissions WHERE id IN @ids AND status = 'approved'", new { ids })).ToDictionary(p => p.Id);
    }

    /// <summary>Adds the deliveries and moves the cursor in one transaction, only if no other instance moved it first.</summary>
    private async Task<bool> SaveCursorAsync(long from, long to, List<Planned> planned)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return await db.WriteAsync(async (c, t) =>
        {
            var current = await c.ExecuteScalarAsync<long?>("SELECT last_id FROM relay_cursors WHERE name = @Cursor", new { Cursor }, t);
            if (current is null) await c.ExecuteAsync("INSERT INTO relay_cursors (name, last_id) VALUES (@Cursor, @to)", new { Cursor, to }, t);
            else if (current != from) return false; // another instance got there first; read again
            else if (to != from) await c.ExecuteAsync("UPDATE relay_cursors SET last_id = @to WHERE name = @Cursor", new { Cursor, to }, t);
            foreach (var p in planned)
            {
                await c.ExecuteAsync(@"INSERT INTO deliveries (channel_id, event_id, kind, title, body, link, data_json, state, attempts, next_utc, created_utc)
                    SELECT @ChannelId, @EventId, @Kind, @Title, @Body, @Link, @Data, 'pending', 0, @now, @now
                    WHERE NOT EXISTS (SELECT 1 FROM deliveries WHERE channel_id = @ChannelId AND event_id = @EventId)",
                    new { p.ChannelId, p.EventId, p.Kind, p.Title, p.Body, p.Link, p.Data, now }, t);
            }
            return true;
        });
    }
}
