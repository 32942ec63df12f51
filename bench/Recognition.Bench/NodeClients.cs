using System.Diagnostics;

namespace Recognition.Bench;

/// <summary>Runs the Node SignalR client scripts in bench/node (installing their packages on first use).</summary>
public static class NodeClients
{
    public static string Dir => Path.Combine(Paths.RepoRoot(), "bench", "node");

    public static async Task EnsureInstalledAsync()
    {
        if (Directory.Exists(Path.Combine(Dir, "node_modules", "@microsoft", "signalr"))) return;
        using var p = Process.Start(new ProcessStartInfo("npm", ["ci", "--no-audit", "--no-fund"]) { WorkingDirectory = Dir })!;
        await p.WaitForExitAsync();
        if (p.ExitCode != 0) throw new InvalidOperationException("npm ci failed in bench/node");
    }

    public static Process Start(string script, params string[] args) => StartNiced(0, script, args);

    /// <summary>
    /// With <paramref name="nice"/> above 0 the clients run at that lower CPU priority (`nice -n`), every thread of theirs:
    /// on this one machine the server then gets the cores first, as it does when the walls are TVs of their own.
    /// </summary>
    public static Process StartNiced(int nice, string script, params string[] args)
    {
        string[] node = ["node", script, .. args];
        var psi = new ProcessStartInfo(nice > 0 ? "nice" : "node", nice > 0 ? ["-n", nice.ToString(System.Globalization.CultureInfo.InvariantCulture), .. node] : node[1..])
        {
            WorkingDirectory = Dir, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        psi.Environment["NODE_OPTIONS"] = "--max-old-space-size=4096";
        return Process.Start(psi)!;
    }
}
