using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using Dapper;

namespace Recognition.Bench;

/// <summary>
/// The plant's MES reporting behaviours: POST /api/v1/behaviours over HTTP against the app in Release on SQLite, from
/// --clients concurrent connections for --seconds, each report with a fresh Idempotency-Key — and every tenth one sent
/// again at once with the same key (a retrying MES), which must give the same claim. Counts: requests per second,
/// p99, errors (any answer but 201/200), duplicates (claims beyond one per key).
/// </summary>
public static class ApiBench
{
    public static async Task<Dictionary<string, object>> RunAsync(Options o)
    {
        var clients = o.Int("clients", 8);
        var seconds = o.Int("seconds", 20);
        var world = await BenchWorld.CreateAsync(people: 500);
        var token = "rec_bench_" + Guid.NewGuid().ToString("N");
        var rule = await world.Db.ReadAsync(c => c.ExecuteScalarAsync<string>("SELECT code FROM behaviour_rules WHERE system_key = 'hazard_report'"));
        await world.Db.WriteAsync((c, t) => c.ExecuteAsync(
            "INSERT INTO api_tokens (site_id, name, token_hash, can_read, rule_codes, created_utc) VALUES (@SiteId, 'bench', @hash, 0, @rule, @now)",
            new { world.SiteId, hash = Recognition.Web.Infrastructure.Auth.DeviceClaims.Hash(token), rule, now = DateTime.UtcNow }, t));
        // The per-token limit (Api:PerTokenPerSecond, 1,000 by default) is lifted here: the bench measures the endpoint, not the limiter.
        await using var app = await BenchApp.StartAsync(world.DbFile, new() { ["Recognition__Api__PerTokenPerSecond"] = "1000000" });
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = clients * 2 }) { BaseAddress = new Uri(app.BaseUrl) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        var firstStatus = new int[600];
        async Task<(bool Ok, double Ms)> PostAsync(string key, int person)
        {
            var body = $"{{\"rule\":\"{rule}\",\"employeeNo\":\"B{person:0000}\",\"evidence\":\"MES 报警 {key}：3 号冲床光栅被遮挡，操作员停机并上报。\",\"link\":\"https://mes.plant.example.com/alarms/{key}\"}}";
            using var req = new HttpRequestMessage(HttpMethod.Post, "/api/v1/behaviours") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            req.Headers.Add("Idempotency-Key", key);
            var sw = Stopwatch.StartNew();
            using var res = await http.SendAsync(req);
            await res.Content.ReadAsStringAsync();
            if ((int)res.StatusCode is not (201 or 200)) Interlocked.Increment(ref firstStatus[Math.Min((int)res.StatusCode, 599)]);
            return ((int)res.StatusCode is 201 or 200, sw.Elapsed.TotalMilliseconds);
        }

        for (var i = 0; i < 100; i++) await PostAsync($"warm-{i:0000}-x", i % 500); // warm-up, not counted
        var latencies = new ConcurrentBag<double>();
        var keys = new ConcurrentBag<string>();
        var errors = 0;
        var stop = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async c =>
        {
            for (var n = 0; stop.Elapsed.TotalSeconds < seconds; n++)
            {
                var key = $"mes-{c}-{n:000000}";
                keys.Add(key);
                var person = (c * 7919 + n) % 500;
                var sends = n % 10 == 0 ? await Task.WhenAll(PostAsync(key, person), PostAsync(key, person)) : [await PostAsync(key, person)];
                foreach (var (ok, ms) in sends)
                {
                    latencies.Add(ms);
                    if (!ok) Interlocked.Increment(ref errors);
                }
            }
        }));
        var elapsed = stop.Elapsed.TotalSeconds;
        var claims = await world.Db.ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM claims WHERE api_token_id IS NOT NULL AND description NOT LIKE '%warm-%'"));
        var sorted = latencies.Order().ToList();
        var failures = string.Join(", ", firstStatus.Select((n, code) => (n, code)).Where(x => x.n > 0).Select(x => $"{x.code}×{x.n}"));
        Console.WriteLine($"api details: failures {(failures.Length == 0 ? "none" : failures)}");
        Console.WriteLine($"api details: {sorted.Count} requests ({keys.Count} keys, {clients} clients) in {Stats.Round(elapsed)} s, p50 {Stats.Round(Stats.Percentile(sorted, 50))} ms, {claims} claims, app RSS {app.RssMb()} MB");
        return new Dictionary<string, object>
        {
            ["scenario"] = "api",
            ["requests_per_sec"] = Stats.Round(sorted.Count / elapsed),
            ["p99_ms"] = Stats.Round(Stats.Percentile(sorted, 99)),
            ["errors"] = errors,
            ["duplicates"] = claims - keys.Count,
        };
    }
}
