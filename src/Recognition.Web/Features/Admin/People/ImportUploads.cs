namespace Recognition.Web.Features.Admin.People;

/// <summary>
/// A previewed file waits here for Apply, tied to the admin who sent it: on disk, not in the process's memory (twenty
/// previews of an 8 MB file once held 450 MB). A file lives 30 minutes at most, an admin keeps at most
/// <see cref="PerAdmin"/>, and Apply removes it. Imports:PreviewFolder sets the folder (default: the system's temp folder).
/// </summary>
public sealed class ImportUploads(IConfiguration config, TimeProvider clock)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(30);
    public const int PerAdmin = 3;

    private string Folder { get; } = config["Imports:PreviewFolder"] is { Length: > 0 } f ? f : Path.Combine(Path.GetTempPath(), "recognition-import-previews");

    /// <summary>Keeps the file and returns its token.</summary>
    public async Task<string> KeepAsync(long adminId, byte[] bytes)
    {
        Directory.CreateDirectory(Folder);
        Sweep(adminId);
        var token = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
        // The name sorts in the order files were kept (the app's clock, then a counter for the same instant).
        var path = Path.Combine(Folder, $"{adminId}-{clock.GetUtcNow().UtcTicks:D19}{Interlocked.Increment(ref _sequence) % 1_000_000:D6}-{token}.csv");
        await File.WriteAllBytesAsync(path, bytes);
        File.SetLastWriteTimeUtc(path, clock.GetUtcNow().UtcDateTime); // ages are measured on the app's clock
        return token;
    }

    /// <summary>The file this admin previewed under <paramref name="token"/>, or null when unknown or expired.</summary>
    public async Task<byte[]?> FindAsync(long adminId, string token)
    {
        if (PathOf(adminId, token) is not { } path || File.GetLastWriteTimeUtc(path) < clock.GetUtcNow().UtcDateTime - Lifetime) return null;
        try { return await File.ReadAllBytesAsync(path); }
        catch (FileNotFoundException) { return null; } // applied at this moment by another request
    }

    public void Remove(long adminId, string token)
    {
        if (PathOf(adminId, token) is { } path) File.Delete(path);
    }

    private long _sequence;

    /// <summary>The file of this admin and token, or null (a token is 32 upper-case hex digits, so it can't name another path).</summary>
    private string? PathOf(long adminId, string token) =>
        token.Length == 32 && token.All(char.IsAsciiHexDigitUpper) && Directory.Exists(Folder)
            ? Directory.EnumerateFiles(Folder, $"{adminId}-*-{token}.csv").FirstOrDefault()
            : null;

    /// <summary>Expired files of anyone, and this admin's oldest beyond <see cref="PerAdmin"/> - 1 (the new one makes PerAdmin).</summary>
    private void Sweep(long adminId)
    {
        var cutoff = clock.GetUtcNow().UtcDateTime - Lifetime;
        var mine = new List<FileInfo>();
        foreach (var f in new DirectoryInfo(Folder).EnumerateFiles("*.csv"))
        {
            if (f.LastWriteTimeUtc < cutoff) TryDelete(f);
            else if (f.Name.StartsWith($"{adminId}-", StringComparison.Ordinal)) mine.Add(f);
        }
        foreach (var old in mine.OrderByDescending(f => f.Name, StringComparer.Ordinal).Skip(PerAdmin - 1)) TryDelete(old);
    }

    private static void TryDelete(FileInfo f)
    {
        try { f.Delete(); }
        catch (IOException) { } // another request removed or is reading it; the next sweep tries again
    }
}
