using System.Collections.Concurrent;

namespace Recognition.Web.Features.Channels;

/// <summary>
/// Sends due deliveries in the background; an award only writes its event, so a slow or dead target never slows it.
/// Each channel is sent to in order and within its target's published limits (a sliding window per second and per
/// minute); when more than a few messages wait for one channel they are folded into one digest rather than dropped.
/// Failures worth retrying (5xx, timeouts, throttling — also when it comes as HTTP 200 with an error code) are tried
/// again with exponential back-off and jitter; others, and anything still failing after the last attempt, become dead
/// letters with the target's answer, which an admin can send again. A delivery is claimed with a lease: after a crash
/// (kill -9) it is sent again once the lease runs out, with the same delivery id (webhooks carry it as webhook-id, so
/// a receiver can drop the repeat); one that was marked sent is never sent again.
/// </summary>
public sealed class ChannelWorker(Db db, IServiceProvider services, TimeProvider clock, IConfiguration config, ILogger<ChannelWorker> log) : BackgroundService
{
    public const int MaxAttempts = 8;
    private readonly Infrastructure.Runtime.Wakeup _wake = new();
    private readonly ConcurrentDictionary<long, Queue<long>> _sent = new();
    private int FoldAt => Math.Max(2, config.GetValue("Channels:FoldAt", 3));
    private TimeSpan Lease => TimeSpan.FromSeconds(config.GetValue("Channels:LeaseSeconds", 120));
    private TimeSpan FirstRetry => TimeSpan.FromMilliseconds(config.GetValue("Channels:FirstRetryMilliseconds", 5000));

    public void Wake() => _wake.Set();

    private sealed class Due
    {
        public long Id { get; init; }
        public long ChannelId { get; init; }
        public string Kind { get; init; } = "";
        public string Title { get; init; } = "";
        public string Body { get; init; } = "";
        public string? Link { get; init; }
        public string? DataJson { get; init; }
        public long Attempts { get; init; }
        public DateTime CreatedUtc { get; init; }
        public long? EmployeeId { get; init; }
    }

    private sealed class ChannelInfo
    {
        public long Id { get; init; }
        public string Kind { get; init; } = "";
        public string UrlEnc { get; init; } = "";
        public string? SecretEnc { get; init; }
        public string Locale { get; init; } = "";
        public long Active { get; init; }
    }

    protected override async Task ExecuteAsync(CancellationToken ct)
    {
        var poll = TimeSpan.FromMilliseconds(config.GetValue("Channels:SenderPollMilliseconds", 500));
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await SendDueAsync(ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                log.LogError(ex, "Channel sender failed; retrying");
            }
            await _wake.WaitAsync(poll, ct);
        }
    }

    /// <summary>One round: every channel with something due sends what its limits allow now.</summary>
    public async Task SendDueAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        List<Due> due;
        await using (var c = await db.OpenAsync(ct))
        {
            due = (await c.QueryAsync<Due>(db.Dialect.Page(@"SELECT id AS Id, channel_id AS ChannelId, kind AS Kind, title AS Title, body AS Body, link AS Link,
                    data_json AS DataJson, attempts AS Attempts, created_utc AS CreatedUtc, employee_id AS EmployeeId FROM deliveries
                WHERE (state = 'pending' AND next_utc <= @now) OR (state = 'sending' AND lease_utc < @now) ORDER BY id"), new { now, skip = 0, take = 2000 })).ToList();
        }
        if (due.Count == 0) return;
        await Task.WhenAll(due.GroupBy(d => d.ChannelId).Select(g => SendChannelAsync(g.Key, g.ToList(), ct)));
    }

    private async Task SendChannelAsync(long channelId, List<Due> due, CancellationToken ct)
    {
        ChannelInfo? info;
        await using (var c = await db.OpenAsync(ct))
        {
            info = await c.QuerySingleOrDefaultAsync<ChannelInfo>("SELECT id AS Id, kind AS Kind, url_enc AS UrlEnc, secret_enc AS SecretEnc, locale AS Locale, active AS Active FROM channels WHERE id = @channelId", new { channelId });
        }
        if (info is null || info.Active == 0 || ChannelKind.Find(info.Kind) is not { } kind) return;
        var store = services.GetRequiredService<ChannelStore>();
        var target = new ChannelTarget(info.Id, info.Kind, store.Unprotect(info.UrlEnc), info.SecretEnc is { } s ? store.Unprotect(s) : null);
        var sender = services.GetServices<IChannelSender>().First(x => x.Kind == info.Kind);
        var messages = services.GetRequiredService<ChannelMessages>();
        var queue = new Queue<Due>(due);
        while (queue.Count > 0 && !ct.IsCancellationRequested)
        {
            var now = clock.GetUtcNow();
            if (!Allowed(channelId, kind, now)) return; // the rest waits for the next round, still pending
            // A burst: fold what waits beyond the first few into one digest message (a webhook gets every event by itself).
            var batch = kind.Folds && queue.Count >= FoldAt ? Drain(queue, 50) : [queue.Dequeue()];
            var claimed = await ClaimAsync(batch, now.UtcDateTime, ct);
            if (claimed.Count == 0) continue;
            var first = claimed[0];
            OutMessage message;
            if (claimed.Count == 1)
            {
                var (to, locale) = first.EmployeeId is { } person ? await RecipientAsync(person, ct) : (null, null);
                message = new OutMessage(first.Id, first.Kind, first.Title, first.Body, first.Link, first.DataJson, first.CreatedUtc, to, locale,
                    kind.Folds ? ChatIds.FromJson(first.DataJson) : null);
            }
            else
            {
                var (title, body) = messages.Digest(info.Locale, claimed.Select(d => d.Title).ToList());
                var mentions = claimed.SelectMany(d => ChatIds.FromJson(d.DataJson)).DistinctBy(m => m.Id).Take(20).ToList();
                message = new OutMessage(first.Id, "digest", title, body, messages.Base + "/Feed", null, first.CreatedUtc, Mentions: mentions);
            }
            Record(channelId, now);
            SendResult result;
            try
            {
                result = await sender.SendAsync(target, message, now, ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                result = SendResult.Failed(ex.GetType().Name + ": " + ex.Message, retry: true);
            }
            await SettleAsync(claimed, result, clock.GetUtcNow().UtcDateTime);
            if (!result.Ok) return; // a failing target: the rest waits for the next round
        }
    }

    /// <summary>A person's current address and language, read when the message leaves (an address changed meanwhile is used).</summary>
    private async Task<(string? To, string? Locale)> RecipientAsync(long employeeId, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        var row = await c.QuerySingleOrDefaultAsync<(string? Email, string Locale, long Active, long Notify)?>(
            "SELECT email, locale, active, notify_email FROM employees WHERE id = @employeeId", new { employeeId });
        return row is { Active: 1, Notify: 1 } r ? (r.Email, r.Locale) : (null, null);
    }

    private static List<Due> Drain(Queue<Due> queue, int max)
    {
        var list = new List<Due>();
        while (queue.Count > 0 && list.Count < max) list.Add(queue.Dequeue());
        return list;
    }

    /// <summary>Takes the deliveries for this instance until the lease ends; one another instance holds is left alone.</summary>
    private async Task<List<Due>> ClaimAsync(List<Due> batch, DateTime now, CancellationToken ct)
    {
        var claimed = new List<Due>();
        await db.WriteAsync(async (c, t) =>
        {
            foreach (var d in batch)
            {
                var n = await c.ExecuteAsync(@"UPDATE deliveries SET state = 'sending', lease_utc = @until
                    WHERE id = @Id AND ((state = 'pending' AND next_utc <= @now) OR (state = 'sending' AND lease_utc < @now))", new { d.Id, now, until = now + Lease }, t);
                if (n == 1) claimed.Add(d);
            }
            if (claimed.Count > 1)
            {
                await c.ExecuteAsync("UPDATE deliveries SET folded_into = @first WHERE id IN @rest", new { first = claimed[0].Id, rest = claimed.Skip(1).Select(d => d.Id).ToList() }, t);
            }
            return 0;
        }, ct);
        return claimed;
    }

    private async Task SettleAsync(List<Due> claimed, SendResult result, DateTime now)
    {
        var answer = result.Answer.Length > 900 ? result.Answer[..900] : result.Answer;
        var ids = claimed.Select(d => d.Id).ToList();
        var attempts = claimed.Max(d => d.Attempts) + 1;
        await db.WriteAsync(async (c, t) =>
        {
            if (result.Ok)
            {
                await c.ExecuteAsync("UPDATE deliveries SET state = 'sent', sent_utc = @now, lease_utc = NULL, attempts = attempts + 1, last_answer = @answer WHERE id IN @ids", new { now, answer, ids }, t);
            }
            else if (result.Retry && attempts < MaxAttempts)
            {
                // Exponential back-off with ±25 % jitter: 5 s, 10 s, 20 s … capped at 30 minutes. Folded ones go back on their own.
                var wait = TimeSpan.FromMilliseconds(Math.Min(FirstRetry.TotalMilliseconds * Math.Pow(2, attempts - 1), TimeSpan.FromMinutes(30).TotalMilliseconds)
                    * (0.75 + Random.Shared.NextDouble() / 2));
                await c.ExecuteAsync("UPDATE deliveries SET state = 'pending', next_utc = @next, lease_utc = NULL, attempts = @attempts, last_answer = @answer, folded_into = NULL WHERE id IN @ids",
                    new { next = now + wait, attempts, answer, ids }, t);
            }
            else
            {
                await c.ExecuteAsync("UPDATE deliveries SET state = 'dead', lease_utc = NULL, attempts = @attempts, last_answer = @answer, folded_into = NULL WHERE id IN @ids", new { attempts, answer, ids }, t);
            }
            return 0;
        });
    }

    /// <summary>The target's window: fewer than its per-second and per-minute limits sent in the last second and minute.</summary>
    private bool Allowed(long channelId, ChannelKind kind, DateTimeOffset now)
    {
        var q = _sent.GetOrAdd(channelId, _ => new Queue<long>());
        lock (q)
        {
            var ms = now.ToUnixTimeMilliseconds();
            while (q.Count > 0 && q.Peek() <= ms - 60_000) q.Dequeue();
            var (perSecond, perMinute) = Limits(kind);
            return q.Count < perMinute && q.Count(x => x > ms - 1000) < perSecond;
        }
    }

    /// <summary>A chat target's published limits; an SMTP server's are the plant's own (Channels:EmailPerSecond, Channels:EmailPerMinute).</summary>
    private (int PerSecond, int PerMinute) Limits(ChannelKind kind) => kind == ChannelKind.Email
        ? (Math.Max(1, config.GetValue("Channels:EmailPerSecond", kind.PerSecond)), Math.Max(1, config.GetValue("Channels:EmailPerMinute", kind.PerMinute)))
        : (kind.PerSecond, kind.PerMinute);

    private void Record(long channelId, DateTimeOffset now)
    {
        var q = _sent.GetOrAdd(channelId, _ => new Queue<long>());
        lock (q) q.Enqueue(now.ToUnixTimeMilliseconds());
    }
}
