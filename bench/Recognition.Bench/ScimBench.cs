using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using Dapper;
using Recognition.Web.Features.Scim;

namespace Recognition.Bench;

/// <summary>
/// A directory's first sync, as Entra ID and Okta do it: 10,000 users created one request at a time over HTTP against the
/// app in Release on SQLite (each preceded by nothing: the connectors create after a filter miss, which is timed separately
/// in the printed details), then 2,000 PATCHes in their dialects (capitalised ops, booleans as strings, name parts,
/// department). Every request's latency counts toward p50/p99; any non-2xx answer is an error.
/// </summary>
public static class ScimBench
{
    public static async Task<Dictionary<string, object>> RunAsync(Options o)
    {
        var users = o.Int("users", 10_000);
        var patches = o.Int("patches", 2_000);
        var world = await BenchWorld.CreateAsync(people: 0);
        var token = "scim_bench_" + Guid.NewGuid().ToString("N");
        await world.Db.WriteAsync((c, t) => c.ExecuteAsync(
            "INSERT INTO scim_tokens (site_id, name, token_hash, created_utc) VALUES (@SiteId, 'bench', @hash, @now)",
            new { world.SiteId, hash = ScimAuthHandler.Hash(token), now = DateTime.UtcNow }, t));
        await using var app = await BenchApp.StartAsync(world.DbFile);
        using var http = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        static StringContent Json(string s) => new(s, Encoding.UTF8, "application/scim+json");

        var latencies = new List<double>(users + patches);
        var errors = 0;
        var ids = new List<string>(users);
        for (var i = 0; i < 50; i++) await http.GetAsync("/scim/v2/ServiceProviderConfig"); // warm-up
        var sw = new Stopwatch();
        for (var i = 0; i < users; i++)
        {
            var body = "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\",\"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User\"]," +
                $"\"userName\":\"S{i:00000}\",\"externalId\":\"ext-{i}\",\"active\":true,\"name\":{{\"givenName\":\"Wei {i}\",\"familyName\":\"Wang\"}}," +
                $"\"emails\":[{{\"primary\":true,\"type\":\"work\",\"value\":\"s{i:00000}@plant.example.com\"}}]," +
                $"\"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User\":{{\"department\":\"T{i % 10}\"}}}}";
            sw.Restart();
            var res = await http.PostAsync("/scim/v2/Users", Json(body));
            var text = await res.Content.ReadAsStringAsync();
            latencies.Add(sw.Elapsed.TotalMilliseconds);
            if ((int)res.StatusCode != 201) { errors++; continue; }
            ids.Add(System.Text.Json.JsonDocument.Parse(text).RootElement.GetProperty("id").GetString()!);
        }
        var createP99 = Stats.Percentile(latencies.Order().ToList(), 99);
        var patchLatencies = new List<double>(patches);
        for (var i = 0; i < patches && ids.Count > 0; i++)
        {
            var id = ids[i * 7 % ids.Count];
            var body = (i % 4) switch
            {
                0 => """{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"Replace","path":"active","value":"False"}]}""",
                1 => """{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"Replace","path":"active","value":"True"}]}""",
                2 => $$"""{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"Replace","path":"name.givenName","value":"Lei {{i}}"},{"op":"Add","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department","value":"T{{i % 10}}"}]}""",
                _ => """{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","value":{"displayName":"Wang Lei","active":true}}]}""",
            };
            sw.Restart();
            var res = await http.PatchAsync($"/scim/v2/Users/{id}", Json(body));
            await res.Content.ReadAsStringAsync();
            var ms = sw.Elapsed.TotalMilliseconds;
            latencies.Add(ms);
            patchLatencies.Add(ms);
            if (!res.IsSuccessStatusCode) errors++;
        }
        var sorted = latencies.Order().ToList();
        var patchSorted = patchLatencies.Order().ToList();
        Console.WriteLine($"scim details: create p99 {Stats.Round(createP99)} ms, patch p50 {Stats.Round(Stats.Percentile(patchSorted, 50))} ms, patch p99 {Stats.Round(Stats.Percentile(patchSorted, 99))} ms, app RSS {app.RssMb()} MB");
        return new Dictionary<string, object>
        {
            ["scenario"] = "scim",
            ["users"] = ids.Count,
            ["patches"] = patchLatencies.Count,
            ["p50_ms"] = Stats.Round(Stats.Percentile(sorted, 50)),
            ["p99_ms"] = Stats.Round(Stats.Percentile(sorted, 99)),
            ["errors"] = errors,
        };
    }
}
