using System.Diagnostics;

namespace Recognition.Bench;

public sealed class Options(Dictionary<string, string> values)
{
    public static Options Parse(IEnumerable<string> args)
    {
        var d = new Dictionary<string, string>();
        string? key = null;
        foreach (var a in args)
        {
            if (a.StartsWith("--", StringComparison.Ordinal)) { key = a[2..]; d[key] = "true"; }
            else if (key is not null) { d[key] = a; key = null; }
        }
        return new Options(d);
    }

    public string? Text(string name) => values.TryGetValue(name, out var v) ? v : null;

    public int Int(string name, int fallback) => values.TryGetValue(name, out var v) ? int.Parse(v, System.Globalization.CultureInfo.InvariantCulture) : fallback;
}

public static class Paths
{
    public static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Recognition.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Run the benchmarks from inside the repository.");
    }

    public static string TempDir()
    {
        var d = Path.Combine(Path.GetTempPath(), "recognition-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(d);
        return d;
    }
}

public static class Stats
{
    public static double Percentile(List<double> sorted, double p)
    {
        if (sorted.Count == 0) return 0;
        var rank = (int)Math.Ceiling(p / 100 * sorted.Count) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Count - 1)];
    }

    public static double Median(IEnumerable<double> xs)
    {
        var s = xs.Order().ToList();
        return Percentile(s, 50);
    }

    public static double Ms(long ticks) => Math.Round(ticks * 1000.0 / Stopwatch.Frequency, 2);

    public static double Round(double v) => Math.Round(v, 2);
}
