using Microsoft.AspNetCore.SignalR;
using Recognition.Web.Features.Feed;
using Recognition.Web.Features.Notifications;
using Recognition.Web.Infrastructure.Localization;

namespace Recognition.Web.Features.Walls;

public sealed record OutboxEvent(long Id, long SiteId, long? TeamId, string Kind, long SubjectId);

/// <summary>
/// Tails the outbox and pushes each event to the SignalR groups that care. Every app instance runs one:
/// it wakes at once after a local commit and also polls, so instances sharing a SQL Server stay in step
/// without a backplane. It reads only settled events (the dialect's <see cref="ISqlDialect.SettledEventsAfter"/>),
/// so an identity value that commits late on SQL Server is not skipped. Pushes are awaited, in event order; the events
/// of one batch go to each wall group as one frame, handed out one slice of the group at a time.
/// </summary>
public sealed class EventRelay(Db db, FeedQueries feed, IHubContext<WallHub, IWallClient> walls, IHubContext<PersonalHub, IPersonalClient> people,
    WallConnections open, BoardsPublisher boards, IConfiguration config, ILogger<EventRelay> log) : BackgroundService
{
    private readonly Infrastructure.Runtime.Wakeup _wake = new();
    private readonly Dictionary<long, long> _lastPerSite = [];

    /// <summary>From this many walls and kiosks of a site group on this instance, a frame's slices are spaced by a millisecond.</summary>
    public const int PaceFromWalls = 4 * WallHub.Slices;
    private long _last;

    /// <summary>The last event id pushed; tests and the health of the relay can read it.</summary>
    public long Last => Interlocked.Read(ref _last);

    private long _pumps, _pumpTicks, _pumpMaxTicks;

    /// <summary>Batches pushed, and their mean and longest time from reading the outbox to the last frame handed to the hub.</summary>
    public (long Pumps, double MeanMs, double MaxMs) PumpStats()
    {
        var n = Interlocked.Read(ref _pumps);
        return (n, n == 0 ? 0 : Math.Round(TimeSpan.FromTicks(Interlocked.Read(ref _pumpTicks) / n).TotalMilliseconds, 1),
            Math.Round(TimeSpan.FromTicks(Interlocked.Read(ref _pumpMaxTicks)).TotalMilliseconds, 1));
    }

    protected override async Task ExecuteAsync(CancellationToken ct)
    {
        db.Committed += Wake;
        try
        {
            await using (var conn = await db.OpenAsync(ct))
            {
                _last = await conn.ExecuteScalarAsync<long>("SELECT COALESCE(MAX(id), 0) FROM events");
            }
            var poll = TimeSpan.FromMilliseconds(config.GetValue("Walls:PollMilliseconds", 1000));
            var gap = TimeSpan.FromMilliseconds(config.GetValue("Walls:BatchMilliseconds", 250));
            long? lastFrame = null;
            while (!ct.IsCancellationRequested)
            {
                try
                {
                    // At most one batch per Walls:BatchMilliseconds, counted from the start of the previous one: the first event
                    // after a quiet spell goes out at once, and what arrives while a batch is due travels together, one frame per
                    // wall. At 10 awards a second that is ~4 frames instead of 10 per wall.
                    while (true)
                    {
                        if (lastFrame is { } previous && gap - System.Diagnostics.Stopwatch.GetElapsedTime(previous) is { Ticks: > 0 } wait)
                        {
                            await Task.Delay(wait, ct);
                        }
                        var started = System.Diagnostics.Stopwatch.GetTimestamp();
                        if (await PumpAsync(ct) == 0) break;
                        lastFrame = started;
                        var took = System.Diagnostics.Stopwatch.GetElapsedTime(started).Ticks;
                        Interlocked.Increment(ref _pumps);
                        Interlocked.Add(ref _pumpTicks, took);
                        if (took > Interlocked.Read(ref _pumpMaxTicks)) Interlocked.Exchange(ref _pumpMaxTicks, took);
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    log.LogError(ex, "Event relay failed; retrying");
                }
                await _wake.WaitAsync(poll, ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
        finally
        {
            db.Committed -= Wake;
        }
    }

    private void Wake() => _wake.Set();

    /// <summary>Relays one batch; returns how many events it pushed.</summary>
    public async Task<int> PumpAsync(CancellationToken ct)
    {
        List<OutboxEvent> batch;
        await using (var conn = await db.OpenAsync(ct))
        {
            batch = (await conn.QueryAsync<(long Id, long SiteId, long? TeamId, string Kind, long SubjectId)>(
                    db.Dialect.SettledEventsAfter, new { after = _last, take = 500 }))
                .Select(e => new OutboxEvent(e.Id, e.SiteId, e.TeamId, e.Kind, e.SubjectId)).ToList();
            // The batch's recognitions in one query (cards for the walls, names for the recipients' toasts), not one per event.
            var created = batch.Where(e => e.Kind == "recognition.created").Select(e => e.SubjectId).ToList();
            var cards = (await feed.ManyAsync(conn, created, reactions: false)).ToDictionary(c => c.Id);
            var readyIds = batch.Where(e => e.Kind == "order.ready").Select(e => e.SubjectId).ToList();
            var ready = readyIds.Count == 0 ? [] : (await conn.QueryAsync<(long Id, long EmployeeId, string Zh, string En)>(
                    "SELECT o.id, o.employee_id, r.name_zh, r.name_en FROM reward_orders o JOIN rewards r ON r.id = o.reward_id WHERE o.id IN @readyIds", new { readyIds }))
                .ToDictionary(o => o.Id);
            // Reactions: the batch's changes are folded per recognition — the last event of each carries the counts as they are
            // now, earlier ones go as ticks (the sequence stays whole for the walls). Only public cards reach walls.
            var reactedIds = batch.Where(e => e.Kind == "reaction.changed").Select(e => e.SubjectId).Distinct().ToList();
            var reacted = reactedIds.Count == 0 ? new Reacted([], [], []) : new Reacted(
                (await conn.QueryAsync<(long Id, string Visibility, string Status)>("SELECT id, visibility, status FROM recognitions WHERE id IN @reactedIds", new { reactedIds }))
                    .ToDictionary(x => x.Id, x => x.Status == "active" ? x.Visibility : "gone"),
                await Social.Reactions.CountsAsync(conn, reactedIds),
                batch.Where(e => e.Kind == "reaction.changed").GroupBy(e => e.SubjectId).ToDictionary(g => g.Key, g => g.Max(e => e.Id)));
            var celebrated = await Celebrations.CelebrationService.ManyAsync(conn,
                batch.Where(e => e.Kind == "celebration.created").Select(e => e.SubjectId).ToList());
            var feedReactions = new Dictionary<long, HashSet<long>>();
            // Every wall group's messages of this batch, in event order, sent as one frame per group at the end.
            var frames = new Dictionary<string, List<WallMessage>>();
            var feedsChanged = new HashSet<long>();
            foreach (var e in batch)
            {
                if (!_lastPerSite.TryGetValue(e.SiteId, out var prev))
                {
                    prev = await conn.ExecuteScalarAsync<long>("SELECT COALESCE(MAX(id), 0) FROM events WHERE site_id = @SiteId AND id < @Id", e);
                }
                if (e.Kind == "reaction.changed") Reaction(e, prev, reacted, frames, feedReactions);
                else if (e.Kind == "celebration.created") Celebration(e, prev, celebrated.GetValueOrDefault(e.SubjectId), frames);
                else await DispatchAsync(e, prev, cards, frames, feedsChanged);
                if (e.Kind == "order.ready" && ready.TryGetValue(e.SubjectId, out var order))
                {
                    await people.Clients.Group(PersonalHub.UserGroup(order.EmployeeId)).Toast(new ToastMessage(0,
                        Texts.In("zh-CN", "Rewards.ReadyToast", order.Zh), Texts.In("en-US", "Rewards.ReadyToast", order.En), "/Rewards#orders"));
                }
                // Device, order and praise-decision events change nothing the boards show (an approved praise's recognition does).
                if (!e.Kind.StartsWith("device.", StringComparison.Ordinal) && !e.Kind.StartsWith("order.", StringComparison.Ordinal)
                    && !e.Kind.StartsWith("praise.", StringComparison.Ordinal) && !e.Kind.StartsWith("reaction.", StringComparison.Ordinal)) boards.Changed(e.SiteId, e.Id);
                _lastPerSite[e.SiteId] = e.Id;
            }
            foreach (var (group, messages) in frames)
            {
                // One slice of the group's walls at a time (WallHub.Slices), the rest of the app's work let in between; where many
                // walls of the group are connected, a millisecond's pause after each slice, so that 2,000 sockets are written (and 2,000 walls
                // read) over ~130 ms rather than in one burst that requests queue behind (bench react: a reaction's p99 at the
                // client 25-29 ms without the pause, 16 ms with it; the frame reaches the last wall ~80 ms later).
                WallMessage[] frame = [.. messages];
                var pace = open.InGroup(group) >= PaceFromWalls;
                for (var slice = 0; slice < WallHub.Slices; slice++)
                {
                    await walls.Clients.Group(WallHub.SliceGroup(group, slice)).Events(frame);
                    if (pace) await Task.Delay(1, ct);
                    else await Task.Yield();
                }
            }
            foreach (var site in feedsChanged) await people.Clients.Group(PersonalHub.FeedGroup(site)).FeedChanged();
            foreach (var (site, ids) in feedReactions) await people.Clients.Group(PersonalHub.FeedGroup(site)).ReactionsChanged([.. ids]);
            if (batch.Count > 0) Interlocked.Exchange(ref _last, batch[^1].Id);
        }
        return batch.Count;
    }

    /// <summary>A celebration: a line for the walls' strip (a team's wall only for its team), in each wall's language.</summary>
    private static void Celebration(OutboxEvent e, long prev, Celebrations.CelebrationRow? row, Dictionary<string, List<WallMessage>> frames)
    {
        foreach (var culture in LocalizationSetup.Cultures)
        {
            var group = WallHub.SiteGroup(e.SiteId, culture);
            if (!frames.TryGetValue(group, out var list)) frames[group] = list = [];
            list.Add(row is null
                ? new WallMessage(e.Id, prev, "tick", e.SubjectId, [], null)
                : new WallMessage(e.Id, prev, "celebration", e.SubjectId, row.TeamId is { } t ? [t] : [], row.WallHtml(culture)));
        }
    }

    /// <summary>A batch's reacted recognitions: visibility ("gone" once revoked), counts now, and the last event of each.</summary>
    private sealed record Reacted(Dictionary<long, string> Visibility, Dictionary<long, Dictionary<string, int>> Counts, Dictionary<long, long> LastEvent);

    private static void Reaction(OutboxEvent e, long prev, Reacted reacted, Dictionary<string, List<WallMessage>> frames, Dictionary<long, HashSet<long>> feeds)
    {
        var visibility = reacted.Visibility.GetValueOrDefault(e.SubjectId);
        var carries = visibility == "public" && reacted.LastEvent[e.SubjectId] == e.Id;
        foreach (var culture in LocalizationSetup.Cultures)
        {
            var group = WallHub.SiteGroup(e.SiteId, culture);
            if (!frames.TryGetValue(group, out var list)) frames[group] = list = [];
            list.Add(carries
                ? new WallMessage(e.Id, prev, "reactions", e.SubjectId, [], null, reacted.Counts.GetValueOrDefault(e.SubjectId) ?? [])
                : new WallMessage(e.Id, prev, "tick", e.SubjectId, [], null));
        }
        // Feed pages are told which cards changed and ask for their bars through their own, scoped request.
        if (visibility is "public" or "team")
        {
            if (!feeds.TryGetValue(e.SiteId, out var ids)) feeds[e.SiteId] = ids = [];
            ids.Add(e.SubjectId);
        }
    }

    private async Task DispatchAsync(OutboxEvent e, long prev, IReadOnlyDictionary<long, FeedCard> cards, Dictionary<string, List<WallMessage>> frames, HashSet<long> feedsChanged)
    {
        var cultures = LocalizationSetup.Cultures;
        void Add(string culture, WallMessage m)
        {
            var group = WallHub.SiteGroup(e.SiteId, culture);
            if (!frames.TryGetValue(group, out var list)) frames[group] = list = [];
            list.Add(m);
        }
        if (e.Kind == "recognition.created")
        {
            var card = cards.GetValueOrDefault(e.SubjectId);
            var shown = card is { Visibility: "public", Status: "active" };
            // Team ids only for a card the walls show: a tick for a team or private recognition says nothing about whom.
            var teams = shown ? card!.RecipientDetails.Select(p => p.TeamId).Distinct().ToArray() : [];
            foreach (var culture in cultures)
            {
                // Rendered once per language, sent to every wall of the site in that language.
                var html = shown ? WallCard.Render(card!, culture) : null;
                Add(culture, new WallMessage(e.Id, prev, html is null ? "tick" : "card", e.SubjectId, teams, html));
            }
            // The feed pages that watch this site ask for what is new (their scope decides what they get); private ones never nudge.
            if (card is { Visibility: "public" or "team", Status: "active" }) feedsChanged.Add(e.SiteId);
            if (card is not null)
            {
                foreach (var p in card.RecipientDetails)
                {
                    await people.Clients.Group(PersonalHub.UserGroup(p.Id)).Toast(new ToastMessage(card.Id,
                        $"{Bilingual.Pick(card.GiverZh, card.GiverEn, true)} 认可了你：{Bilingual.Pick(card.BadgeZh ?? card.ValueZh, card.BadgeEn ?? card.ValueEn, true)}",
                        $"{Bilingual.Pick(card.GiverZh, card.GiverEn, false)} recognised you: {Bilingual.Pick(card.BadgeZh ?? card.ValueZh, card.BadgeEn ?? card.ValueEn, false)}"));
                }
            }
            return;
        }
        var kind = e.Kind switch
        {
            "recognition.revoked" => "revoked",
            "claim.approved" or "claim.reversed" or "badge.earned" => "stats",
            _ => "tick",
        };
        foreach (var culture in cultures) Add(culture, new WallMessage(e.Id, prev, kind, e.SubjectId, [], null));
        if (e.Kind == "device.reload") await walls.Clients.Group(WallHub.DeviceGroup(e.SubjectId)).Reload();
        if (e.Kind == "device.revoked")
        {
            await walls.Clients.Group(WallHub.DeviceGroup(e.SubjectId)).Unpaired();
            open.Close(e.SubjectId); // told, then closed: a revoked device keeps no open channel on this instance
        }
    }
}
