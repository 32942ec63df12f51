using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Dapper;
using Recognition.Tests.Support;

namespace Recognition.Bench;

/// <summary>
/// Awards while messages leave: the app in Release on SQLite; a giver awards through the Recognise page (GET the form,
/// POST it) at --rate per second on a fixed schedule for --seconds, to people spread over 10 teams. Run twice on fresh
/// databases: first with no channels (the baseline), then with every team given a chat channel (WeCom, DingTalk, Feishu
/// and Teams in turn, each team its own robot) and a signed webhook, and the site an e-mail server — all made through
/// Admin › Channels, as an admin does, and all loopback counterparts that check each request and its signature (the
/// tests' own, and the real SMTP server). Reports the award POST's p99 in both runs, how many messages were expected
/// and how many reached the counterparts (a folded digest counts the recognitions it names), how long after the last
/// award the queue was empty, and the counterparts' count of requests beyond a robot's published limits.
/// </summary>
public static partial class NotifyBench
{
    private static readonly string[] ChatKinds = ["wecom", "dingtalk", "feishu", "teams"];

    public static async Task<Dictionary<string, object>> RunAsync(Options o)
    {
        var rate = o.Int("rate", 10);
        var seconds = o.Int("seconds", 60);
        var baseline = await OneAsync(rate, seconds, channels: false);
        var run = await OneAsync(rate, seconds, channels: true);
        var ratio = baseline.P99 > 0 ? run.P99 / baseline.P99 : 0;
        return new Dictionary<string, object>
        {
            ["scenario"] = "notify",
            ["awards"] = run.Awards,
            ["expected"] = run.Expected,
            ["delivered"] = run.Delivered,
            ["p99_ms"] = Stats.Round(run.P99),
            ["baseline_p99_ms"] = Stats.Round(baseline.P99),
            ["ratio"] = Math.Round(ratio, 2),
            ["drain_ms"] = Stats.Round(run.DrainMs),
            ["rate_limit_violations"] = run.Violations,
        };
    }

    private sealed record Run(int Awards, long Expected, long Delivered, double P99, double DrainMs, int Violations);

    private static async Task<Run> OneAsync(int rate, int seconds, bool channels)
    {
        var world = await BenchWorld.CreateAsync(people: 200);
        // B0001 runs the plant's admin; everyone has an address, so each recognition also means an e-mail.
        await world.Db.WriteAsync((c, t) => c.ExecuteAsync("UPDATE employees SET roles = 5 WHERE employee_no = 'B0001'", transaction: t));
        await world.Db.WriteAsync((c, t) => c.ExecuteAsync("UPDATE employees SET email = LOWER(employee_no) || '@plant.example.com'", transaction: t));
        var teams = await world.Db.ReadAsync(async c => (await c.QueryAsync<long>("SELECT id FROM teams WHERE site_id = @SiteId ORDER BY id", new { world.SiteId })).ToList());
        await using var app = await BenchApp.StartAsync(world.DbFile, new() { ["Recognition__Security__SignInFailuresPerAddress"] = "100000" });
        await using var fakes = await ChannelFakes.StartAsync();
        await using var smtp = await TestSmtp.StartAsync();
        if (channels)
        {
            using var admin = new WebClient(app.BaseUrl);
            await admin.SignInAsync("B0001", BenchWorld.Password);
            async Task<string> AddAsync(Dictionary<string, string> fields)
            {
                var (_, token, _) = await admin.GetAsync("/Admin/Channels");
                fields["SiteId"] = world.SiteId.ToString(CultureInfo.InvariantCulture);
                fields.TryAdd("Locale", "zh-CN");
                var res = await admin.PostAsync("/Admin/Channels?handler=Create", token!, fields);
                var html = await res.Content.ReadAsStringAsync();
                if (html.Contains("id=\"channels-error\"", StringComparison.Ordinal)) throw new InvalidOperationException("channel refused: " + html[html.IndexOf("channels-error", StringComparison.Ordinal)..][..200]);
                return html;
            }
            for (var i = 0; i < teams.Count; i++)
            {
                var team = teams[i].ToString(CultureInfo.InvariantCulture);
                var kind = ChatKinds[i % ChatKinds.Length];
                var (url, secret) = kind switch
                {
                    "wecom" => ($"{fakes.Base}/cgi-bin/webhook/send?key={ChannelFakes.WeComKey}-{i}", ""),
                    "dingtalk" => ($"{fakes.Base}/robot/send?access_token={ChannelFakes.DingTalkToken}-{i}", ChannelFakes.DingTalkSecret),
                    "feishu" => ($"{fakes.Base}/open-apis/bot/v2/hook/{ChannelFakes.FeishuHook}-{i}", ChannelFakes.FeishuSecret),
                    _ => ($"{fakes.TeamsUrl}?team={i}", ""),
                };
                await AddAsync(new() { ["Kind"] = kind, ["Name"] = $"T{i} {kind}", ["Address"] = url, ["Secret"] = secret, ["TeamId"] = team });
                var hook = await AddAsync(new() { ["Kind"] = "webhook", ["Name"] = $"T{i} HR", ["Address"] = $"{fakes.WebhookUrl}?team={i}", ["TeamId"] = team });
                fakes.WebhookSecret = System.Net.WebUtility.HtmlDecode(SecretPattern().Match(hook).Groups[1].Value);
            }
            await AddAsync(new() { ["Kind"] = "email", ["Name"] = "Plant mail", ["Address"] = smtp.Url, ["Secret"] = TestSmtp.Password });
        }

        using var giver = new WebClient(app.BaseUrl);
        await giver.SignInAsync("B0000", BenchWorld.Password);
        var recipients = world.People.Skip(2).ToList();
        async Task<double> AwardAsync(int i)
        {
            var to = recipients[((i % recipients.Count) + recipients.Count) % recipients.Count].ToString(CultureInfo.InvariantCulture);
            var (_, token, key) = await giver.GetAsync($"/Recognize?to={to}");
            var sw = Stopwatch.StartNew();
            var res = await giver.PostAsync("/Recognize", token!, new()
            {
                ["IdempotencyKey"] = key!, ["RecipientIds"] = to, ["BadgeId"] = world.Badges["mentor"].ToString(CultureInfo.InvariantCulture),
                ["Message"] = $"第 {i} 次：你耐心教我操作新设备，我现在可以独立上岗了，谢谢你！", ["Visibility"] = "public", ["PointsEach"] = "0",
            });
            var ms = sw.Elapsed.TotalMilliseconds;
            if (res.StatusCode != System.Net.HttpStatusCode.Redirect) throw new InvalidOperationException($"award failed: {(int)res.StatusCode}");
            return ms;
        }
        for (var i = 0; i < 10; i++) await AwardAsync(-1 - i); // warm-up (JIT), not counted
        var warm = await world.Db.ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM recognitions"));
        // Wait for the warm-up's messages, so the measured run starts from an empty queue.
        if (channels) await DrainAsync(world, warm * 3, TimeSpan.FromSeconds(90));
        var beforeWebhooks = fakes.For("webhook").Count();
        var beforeMails = smtp.Mails.Count;
        var beforeChat = ChatItems(fakes);

        var total = rate * seconds;
        var latencies = new ConcurrentBag<double>();
        var start = Stopwatch.StartNew();
        var pending = new List<Task>();
        for (var i = 0; i < total; i++)
        {
            var due = TimeSpan.FromSeconds((double)i / rate);
            if (due > start.Elapsed) await Task.Delay(due - start.Elapsed);
            var n = i;
            pending.Add(Task.Run(async () => latencies.Add(await AwardAsync(n))));
        }
        await Task.WhenAll(pending);
        var lastAward = Stopwatch.StartNew();
        var expected = channels ? total * 3L : 0;
        var drainMs = channels ? await DrainAsync(world, (warm + total) * 3, TimeSpan.FromSeconds(120)) : 0;
        await Task.Delay(channels ? 1500 : 0); // the last sends' answers
        var webhooks = fakes.For("webhook").Count() - beforeWebhooks;
        var mails = smtp.Mails.Count - beforeMails;
        var chat = ChatItems(fakes) - beforeChat;
        var sorted = latencies.Order().ToList();
        var states = await world.Db.ReadAsync(async c => string.Join(", ", (await c.QueryAsync<(string State, long N)>("SELECT state, COUNT(*) FROM deliveries GROUP BY state")).Select(x => $"{x.State} {x.N}")));
        Console.WriteLine($"notify details ({(channels ? "channels" : "baseline")}): {sorted.Count} awards, p50 {Stats.Round(Stats.Percentile(sorted, 50))} ms, p99 {Stats.Round(Stats.Percentile(sorted, 99))} ms, " +
            $"max {Stats.Round(sorted[^1])} ms; webhooks {webhooks}, e-mails {mails}, chat items {chat} in {fakes.Received.Count(r => r.Target != "webhook")} chat messages; " +
            $"deliveries {states}; refused {fakes.Refused.Count}; app RSS {app.RssMb()} MB; drained {Stats.Round(drainMs)} ms after the last award");
        return new Run(total, expected, channels ? webhooks + mails + chat : 0, Stats.Percentile(sorted, 99), drainMs, fakes.RateLimitViolations);
    }

    /// <summary>Waits until the deliveries for every event exist and none is pending or being sent; returns how long that took.</summary>
    private static async Task<double> DrainAsync(BenchWorld world, long deliveries, TimeSpan limit)
    {
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < limit)
        {
            var (all, open) = await world.Db.ReadAsync(c => c.QuerySingleAsync<(long, long)>(
                "SELECT COUNT(*), COALESCE(SUM(CASE WHEN state IN ('pending', 'sending') THEN 1 ELSE 0 END), 0) FROM deliveries WHERE event_id IS NOT NULL"));
            if (all >= deliveries && open == 0) return sw.Elapsed.TotalMilliseconds;
            await Task.Delay(50);
        }
        return sw.Elapsed.TotalMilliseconds;
    }

    /// <summary>Recognitions the chat robots were told of: a folded digest ("N 条认可") counts N, any other message one.</summary>
    private static long ChatItems(ChannelFakes fakes) => fakes.Received.Where(r => r.Target != "webhook").Sum(r =>
    {
        var title = r.Target switch
        {
            "wecom" => r.Body.GetProperty(r.Body.GetProperty("msgtype").GetString()!).GetProperty("content").GetString()!.TrimStart('*'),
            "dingtalk" => r.Body.GetProperty("markdown").GetProperty("title").GetString()!,
            "feishu" => r.Body.GetProperty("card").GetProperty("header").GetProperty("title").GetProperty("content").GetString()!,
            _ => r.Body.GetProperty("attachments")[0].GetProperty("content").GetProperty("body")[0].GetProperty("text").GetString()!,
        };
        return DigestPattern().Match(title) is { Success: true } m ? long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : 1L;
    });

    [GeneratedRegex("^(\\d+) 条认可")]
    private static partial Regex DigestPattern();

    [GeneratedRegex("id=\"channel-secret\">([^<]+)<")]
    private static partial Regex SecretPattern();
}
