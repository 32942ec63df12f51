using System.Net;
using System.Text.Json;
using Recognition.Tests.Support;

namespace Recognition.Tests.Walls;

/// <summary>The benchmark's endpoints exist only when Bench:Broadcast is set (they also answer loopback callers only).</summary>
public sealed class BenchEndpointTests
{
    [Fact]
    public async Task Without_the_setting_there_are_no_bench_endpoints()
    {
        using var app = new AppFactory(realPort: true);
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(app.ServerAddress) };
        // No endpoint: like any unknown address, an anonymous caller is sent to sign in.
        var memory = await http.GetAsync("/bench/memory");
        Assert.Equal(HttpStatusCode.Found, memory.StatusCode);
        Assert.Contains("/Account/SignIn", memory.Headers.Location!.OriginalString);
        Assert.NotEqual(HttpStatusCode.OK, (await http.PostAsync("/bench/broadcast?site=1&id=1", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Found, (await http.GetAsync("/bench/posts")).StatusCode);
    }

    [Fact]
    public async Task With_the_setting_a_loopback_caller_reads_the_heap()
    {
        using var app = new AppFactory(new() { ["Bench:Broadcast"] = "true" }, realPort: true);
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(app.ServerAddress) };
        var memory = JsonDocument.Parse(await http.GetStringAsync("/bench/memory")).RootElement;
        Assert.True(memory.GetProperty("heap_mb").GetDouble() > 0);
        Assert.True(memory.GetProperty("array_pool_per_core").GetInt32() > 0);
        Assert.True(memory.GetProperty("sqlite_mb").GetDouble() >= 0);
        Assert.Equal(JsonValueKind.Number, memory.GetProperty("heap_trims").ValueKind);
        var live = JsonDocument.Parse(await http.GetStringAsync("/bench/memory?collect=true")).RootElement;
        Assert.True(live.GetProperty("gen2").GetInt32() > memory.GetProperty("gen2").GetInt32()); // a full collection ran
        Assert.True(live.GetProperty("gc_pause_total_ms").GetDouble() > 0);
        Assert.True(live.GetProperty("allocated_mb").GetDouble() > 0);
        // The POSTs' in-app times: each POST counted once (whatever it answered), then forgotten.
        await http.GetStringAsync("/bench/posts");
        for (var i = 0; i < 3; i++) await http.PostAsync("/Account/SignIn", new FormUrlEncodedContent([]));
        var posts = JsonDocument.Parse(await http.GetStringAsync("/bench/posts")).RootElement;
        Assert.Equal(3, posts.GetProperty("count").GetInt32());
        Assert.True(posts.GetProperty("max_ms").GetDouble() >= posts.GetProperty("p50_ms").GetDouble());
        Assert.Equal(0, JsonDocument.Parse(await http.GetStringAsync("/bench/posts")).RootElement.GetProperty("count").GetInt32());
    }
}
