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
/// <item>a webhook: public recognitions, their revocation, and orders ready for pickup, with the event's JSON.</item>
/// </list>
/// Private recognitions never leave; points are left out when a recipient opted out of the boards.
/// </summary>
public sealed class ChannelDispatcher(Db db, FeedQueries feed, ChannelMessages messages, MailDispatcher mail, ChannelWorker worker, TimeProvider clock, IConfiguration config,
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
            while (!ct.IsCancellationRequested)
            {
                try
                {
                    while (await DispatchAsync(ct) > 0) { }
                    var mailed = 0;
                    while (await mail.DispatchAsync(ct) is > 0 and var n) mailed += n;
                    mailed += await mail.DigestApprovalsAsync(config, ct);
                    if (mailed > 0) worker.Wake();
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
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
            targets = (await c.QueryAsync<Target>("SELECT id AS Id, site_id AS SiteId, team_id AS TeamId, kind AS Kind, locale AS Locale FROM channels WHERE active = 1")).ToList();
            if (targets.Count > 0) planned = await PlanAsync(c, events, targets);
        }
        var moved = await SaveCursorAsync(after, events[^1].Id, planned);
        if (moved && planned.Count > 0) worker.Wake();
        return events.Count;
    }

    private async Task<List<Planned>> PlanAsync(DbConnection c, List<Walls.OutboxEvent> events, List<Target> targets)
    {
        var planned = new List<Planned>();
        var created = events.Where(e => e.Kind == "recognition.created").Select(e => e.SubjectId).Distinct().ToList();
        var cards = (await feed.ManyAsync(c, created)).ToDictionary(x => x.Id);
        var people = cards.Values.SelectMany(x => x.RecipientDetails.Select(r => r.Id).Append(x.GiverId)).Distinct().ToList();
        var rows = people.Count == 0 ? [] : (await c.QueryAsync<(long Id, string No, long OptOut)>(
            "SELECT id, employee_no, leaderboard_opt_out FROM employees WHERE id IN @people", new { people })).ToList();
        var numbers = rows.ToDictionary(r => r.Id, r => r.No);
        var optedOut = rows.Where(r => r.OptOut == 1).Select(r => r.Id).ToHashSet();
        foreach (var e in events)
        {
            var atSite = targets.Where(t => t.SiteId == e.SiteId && t.Kind != ChannelKind.Email.Code).ToList();
            if (atSite.Count == 0) continue;
            switch (e.Kind)
            {
                case "recognition.created" when cards.TryGetValue(e.SubjectId, out var card) && card.Status == "active" && card.Visibility != "private":
                    var teams = card.RecipientDetails.Select(r => r.TeamId).OfType<long>().ToHashSet();
                    var showPoints = !card.RecipientDetails.Any(r => optedOut.Contains(r.Id));
                    foreach (var t in atSite)
                    {
                        var reaches = t.TeamId is { } team ? teams.Contains(team) : card.Visibility == "public";
                        if (!reaches || (t.IsWebhook && card.Visibility != "public")) continue;
                        if (t.IsWebhook)
                        {
                            planned.Add(new Planned(t.Id, e.Id, e.Kind, $"recognition {card.Id}", card.Message, null, messages.RecognitionData(card, showPoints, numbers)));
                        }
                        else
                        {
                            var (title, body, link) = messages.Recognition(card, t.Locale, showPoints);
                            planned.Add(new Planned(t.Id, e.Id, e.Kind, title, body, link, null));
                        }
                    }
                    break;
                case "recognition.revoked":
                    foreach (var t in atSite.Where(t => t.IsWebhook && t.TeamId is null))
                    {
                        planned.Add(new Planned(t.Id, e.Id, e.Kind, $"recognition {e.SubjectId} revoked", "", null, $"{{\"id\":{e.SubjectId}}}"));
                    }
                    break;
                case "order.ready":
                    foreach (var t in atSite.Where(t => t.IsWebhook && t.TeamId is null))
                    {
                        planned.Add(new Planned(t.Id, e.Id, e.Kind, $"order {e.SubjectId} ready", "", null, $"{{\"id\":{e.SubjectId},\"state\":\"ready\"}}"));
                    }
                    break;
            }
        }
        return planned;
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
