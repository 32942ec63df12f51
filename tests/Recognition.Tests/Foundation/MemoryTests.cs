using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Recognition.Web.Infrastructure.Web;

namespace Recognition.Tests.Foundation;

/// <summary>The process settings that keep a long-running server's memory flat (measured by the plantday and fanout benches).</summary>
public sealed class MemoryTests
{
    [Fact]
    public void The_heap_is_collected_once_the_old_generation_has_grown_past_the_threshold_and_not_before()
    {
        var trim = new HeapTrim(new ConfigurationBuilder().Build(), NullLogger<HeapTrim>.Instance);
        var collected = false;
        // Other tests allocate in this process too; a full collection of theirs in between resets the baseline, so try thrice.
        for (var attempt = 0; attempt < 3 && !collected; attempt++)
        {
            Assert.False(trim.Check(long.MaxValue)); // nothing is that big
            var before = HeapTrim.Trims;
            var held = Enumerable.Range(0, 24).Select(_ => new byte[1024 * 1024]).ToList(); // 24 MB on the large object heap
            GC.Collect(0); // the collector's figures now include them
            collected = trim.Check(16 * 1048576L);
            GC.KeepAlive(held);
            if (collected) Assert.Equal(before + 1, HeapTrim.Trims);
        }
        Assert.True(collected);
        Assert.False(trim.Check(16 * 1048576L)); // just collected: no growth since
    }

    [Fact]
    public void Listing_the_zones_for_a_picker_leaves_the_sites_zones_converting_as_before()
    {
        var shanghai = Recognition.Web.Infrastructure.SiteTime.Zone("Asia/Shanghai");
        var zones = Recognition.Web.Infrastructure.SiteTime.AllZones; // lists every zone, then clears the runtime's cache
        Assert.Contains("Asia/Shanghai", zones);
        Assert.Contains("Europe/Berlin", zones);
        Assert.DoesNotContain(zones, z => z.StartsWith("Etc/", StringComparison.Ordinal));
        Assert.Equal(zones.Order(StringComparer.Ordinal), zones);
        Assert.Same(shanghai, Recognition.Web.Infrastructure.SiteTime.Zone("Asia/Shanghai"));
        var noon = new DateTime(2026, 7, 1, 4, 0, 0, DateTimeKind.Utc);
        Assert.Equal(12, Recognition.Web.Infrastructure.SiteTime.ToLocal(noon, "Asia/Shanghai").Hour);
        Assert.Equal(6, Recognition.Web.Infrastructure.SiteTime.ToLocal(noon, "Europe/Berlin").Hour); // summer time, found after the clear
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
