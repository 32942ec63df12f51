using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Recognition.Web.Infrastructure.Runtime;

namespace Recognition.Tests.Foundation;

/// <summary>The process settings that keep a long-running server's memory flat (measured by the plantday and fanout benches).</summary>
public sealed class MemoryTests
{
    [Fact]
    public void The_heap_is_collected_once_the_old_generation_has_grown_past_the_threshold_and_not_before()
    {
        // The collector's figures are supplied: other tests allocate and collect in this process too.
        const long Mb = 1048576;
        long old = 100 * Mb;
        var full = 5;
        var trim = new HeapTrim(new ConfigurationBuilder().Build(), NullLogger<HeapTrim>.Instance, () => old, () => full, () => 0);
        Assert.False(trim.Check(16 * Mb)); // no growth
        old += 10 * Mb;
        Assert.False(trim.Check(16 * Mb)); // 10 MB: below the threshold
        var trims = HeapTrim.Trims;
        var collections = GC.CollectionCount(2);
        old += 10 * Mb;
        Assert.True(trim.Check(16 * Mb)); // 20 MB since the start: a full collection, for real
        Assert.True(HeapTrim.Trims > trims);
        Assert.True(GC.CollectionCount(2) > collections);
        old += 10 * Mb;
        Assert.False(trim.Check(16 * Mb)); // measured from the trim: 10 MB
        full++; // the collector ran a full collection of its own, which left 150 MB
        old = 150 * Mb;
        Assert.False(trim.Check(16 * Mb)); // measured from there
        old = 170 * Mb;
        Assert.True(trim.Check(16 * Mb));
    }

    [Fact]
    public async Task Trim_seconds_of_zero_turns_the_trim_off_instead_of_stopping_the_app()
    {
        // The service as the host runs it: a PeriodicTimer of no length used to throw and stop the host at start.
        foreach (var key in new[] { "Memory:TrimSeconds", "Memory:TrimGrowthMegabytes" })
        {
            var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [key] = "0" }).Build();
            var trim = new HeapTrim(config, NullLogger<HeapTrim>.Instance, () => 0, () => 0, () => 0);
            await trim.StartAsync(CancellationToken.None);
            await trim.ExecuteTask!.WaitAsync(TimeSpan.FromSeconds(5)); // ends by itself (a fault would throw here), never ticks
            Assert.True(trim.ExecuteTask.IsCompletedSuccessfully, key);
            await trim.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public void Free_memory_the_collector_keeps_past_the_threshold_is_given_back_by_an_aggressive_collection()
    {
        const long Mb = 1048576;
        long idle = 10 * Mb;
        var trim = new HeapTrim(new ConfigurationBuilder().Build(), NullLogger<HeapTrim>.Instance, () => 100 * Mb, () => 5, () => idle);
        Assert.False(trim.Check(16 * Mb, 32 * Mb)); // no growth, 10 MB kept: nothing to do
        idle = 40 * Mb;
        Assert.False(trim.Check(16 * Mb)); // the idle part switched off (Memory:TrimIdleMegabytes = 0)
        var (trims, aggressive, collections) = (HeapTrim.Trims, HeapTrim.Aggressive, GC.CollectionCount(2));
        Assert.True(trim.Check(16 * Mb, 32 * Mb)); // 40 MB kept beyond the heap: collected, for real, and given back
        Assert.True(HeapTrim.Trims > trims);
        Assert.True(HeapTrim.Aggressive > aggressive);
        Assert.True(GC.CollectionCount(2) > collections);
        Assert.False(trim.Check(16 * Mb, 32 * Mb)); // still 40 MB (as the figures say), but not again so soon (10 s, or 100 × its pause)
    }

    [Fact]
    public void The_app_ships_the_runtime_settings_its_memory_figures_were_measured_with()
    {
        // The built app's own runtimeconfig (the one `dotnet run` and the process tests use), not this test host's.
        var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Recognition.Web.runtimeconfig.json")));
        var props = json.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");
        Assert.False(props.GetProperty("System.GC.Server").GetBoolean());
        Assert.False(props.GetProperty("System.GC.Concurrent").GetBoolean());
        Assert.False(props.GetProperty("System.Runtime.TieredPGO").GetBoolean());
    }

    [Fact]
    public void The_image_and_dotnet_run_give_the_GC_the_young_generation_the_figures_were_measured_with()
    {
        // The runtime reads GCgen0size only from the environment, so the image and the launch profile carry it (and the
        // benches take the Dockerfile's DOTNET_ values).
        var docker = File.ReadAllText(Path.Combine(Support.AppFactory.RepoRoot(), "Dockerfile"));
        Assert.Matches(@"\bDOTNET_GCgen0size=0x800000\b", docker[docker.LastIndexOf("\nFROM ", StringComparison.Ordinal)..]);
        var launch = System.Text.Json.JsonDocument.Parse(File.ReadAllText(
            Path.Combine(Support.AppFactory.RepoRoot(), "src", "Recognition.Web", "Properties", "launchSettings.json")));
        Assert.Equal("0x800000", launch.RootElement.GetProperty("profiles").GetProperty("Recognition.Web")
            .GetProperty("environmentVariables").GetProperty("DOTNET_GCgen0size").GetString());
    }

    [Fact]
    public void Listing_the_zones_for_a_picker_leaves_the_sites_zones_converting_as_before()
    {
        var shanghai = Recognition.Web.Domain.SiteTime.Zone("Asia/Shanghai");
        var zones = Recognition.Web.Domain.SiteTime.AllZones; // lists every zone, then clears the runtime's cache
        Assert.Contains("Asia/Shanghai", zones);
        Assert.Contains("Europe/Berlin", zones);
        Assert.DoesNotContain(zones, z => z.StartsWith("Etc/", StringComparison.Ordinal));
        Assert.Equal(zones.Order(StringComparer.Ordinal), zones);
        Assert.Same(shanghai, Recognition.Web.Domain.SiteTime.Zone("Asia/Shanghai"));
        var noon = new DateTime(2026, 7, 1, 4, 0, 0, DateTimeKind.Utc);
        Assert.Equal(12, Recognition.Web.Domain.SiteTime.ToLocal(noon, "Asia/Shanghai").Hour);
        Assert.Equal(6, Recognition.Web.Domain.SiteTime.ToLocal(noon, "Europe/Berlin").Hour); // summer time, found after the clear
    }

    [Fact]
    public void The_shared_pool_setting_keeps_an_operators_value_and_the_running_app_uses_one()
    {
        var before = Environment.GetEnvironmentVariable(BufferPool.Variable);
        try
        {
            Environment.SetEnvironmentVariable(BufferPool.Variable, "77");
            BufferPool.Configure();
            Assert.Equal("77", Environment.GetEnvironmentVariable(BufferPool.Variable));
            Environment.SetEnvironmentVariable(BufferPool.Variable, null);
            BufferPool.Configure();
            Assert.Equal(BufferPool.PerCore.ToString(System.Globalization.CultureInfo.InvariantCulture), Environment.GetEnvironmentVariable(BufferPool.Variable));
        }
        finally
        {
            Environment.SetEnvironmentVariable(BufferPool.Variable, before);
        }
        // The runtime's own figure is readable (the bench reports it; a runtime that renamed it would show null there).
        Assert.NotNull(BufferPool.Effective());
    }
}
