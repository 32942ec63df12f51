using Microsoft.Data.Sqlite;
using Recognition.Web.Infrastructure.Data.Migrations;

namespace Recognition.Web.Infrastructure.Backup;

/// <summary>
/// Backups of the embedded SQLite database, which holds a plant's whole history in one file. A backup is SQLite's
/// <c>VACUUM INTO</c>: one read transaction, so it is consistent while the app keeps serving (WAL readers never block
/// writers), and the copy is compact. A restore refuses while any app process has the database open, checks the file's
/// integrity and migration level first, keeps the replaced file beside it, and swaps the file in one rename.
/// SQL Server has its own BACKUP/RESTORE (README).
/// </summary>
public sealed class Backups(Db db, Migrator migrator)
{
    public sealed record Result(bool Ok, string Message);

    public string? DatabaseFile => db.Provider == DbProvider.Sqlite ? Path.GetFullPath(new SqliteConnectionStringBuilder(db.ConnectionString).DataSource) : null;

    /// <summary>Held (shared) by every running app on this file; a restore needs it exclusively.</summary>
    public static string RunningLockPath(string dbFile) => dbFile + ".running";

    public async Task<Result> BackupAsync(string target, CancellationToken ct = default)
    {
        if (DatabaseFile is null) return new(false, "backup: this database is SQL Server; use BACKUP DATABASE (README, Backups).");
        target = Path.GetFullPath(target);
        if (File.Exists(target)) return new(false, $"backup: {target} exists; choose a new file name.");
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var partial = target + ".partial";
        File.Delete(partial);
        await using (var conn = await db.OpenAsync(ct))
        {
            await conn.ExecuteAsync(new CommandDefinition("VACUUM INTO @partial", new { partial }, cancellationToken: ct));
        }
        File.Move(partial, target); // a half-written backup never has the final name
        return new(true, $"Backed up to {target} ({new FileInfo(target).Length / 1024} KB).");
    }

    public async Task<Result> RestoreAsync(string source)
    {
        if (DatabaseFile is not { } dbFile) return new(false, "restore: this database is SQL Server; use RESTORE DATABASE (README, Backups).");
        source = Path.GetFullPath(source);
        if (!File.Exists(source)) return new(false, $"restore: {source} does not exist.");
        if (Check(source) is { } problem) return new(false, $"restore: {source} {problem}; nothing was changed.");
        Directory.CreateDirectory(Path.GetDirectoryName(dbFile)!);
        FileStream running;
        try
        {
            running = new FileStream(RunningLockPath(dbFile), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            return new(false, "restore: the app is running on this database; stop it first (nothing was changed).");
        }
        await using (running)
        {
            SqliteConnection.ClearAllPools();
            var staged = dbFile + ".restoring";
            File.Copy(source, staged, overwrite: true);
            var kept = File.Exists(dbFile) ? $"{dbFile}.before-restore-{DateTime.UtcNow:yyyyMMddHHmmss}" : null;
            if (kept is not null) File.Move(dbFile, kept);
            foreach (var side in new[] { "-wal", "-shm" }) File.Delete(dbFile + side);
            File.Move(staged, dbFile);
            return new(true, $"Restored {source}." + (kept is null ? "" : $" The replaced database is kept as {kept}."));
        }
        string? Check(string file)
        {
            try
            {
                using var c = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
                c.Open();
                var integrity = c.ExecuteScalar<string>("PRAGMA integrity_check");
                if (integrity != "ok") return $"fails SQLite's integrity check ({integrity})";
                var versions = c.Query<long>("SELECT version FROM schema_migrations").ToHashSet();
                var known = migrator.Scripts.Select(s => s.Version).ToHashSet();
                var newer = versions.Where(v => !known.Contains(v)).Order().ToList();
                if (newer.Count > 0) return $"was written by a newer version (migrations {string.Join(", ", newer)} are unknown to this one)";
                return versions.Count == 0 ? "is not a Recognition database (no migrations)" : null;
            }
            catch (SqliteException ex)
            {
                return $"is not a readable Recognition database ({ex.Message})";
            }
        }
    }
}

/// <summary>
/// The optional daily backup (Backup:Directory set): once a day, at the first check after Backup:AtHourUtc (default 2),
/// recognition-YYYYMMDD.db in that folder; files of that pattern older than Backup:KeepDays (default 14) are deleted.
/// </summary>
public sealed class DailyBackup(Backups backups, IConfiguration config, TimeProvider clock, ILogger<DailyBackup> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var dir = config["Backup:Directory"];
        if (string.IsNullOrWhiteSpace(dir) || backups.DatabaseFile is null) return;
        var keep = config.GetValue("Backup:KeepDays", 14);
        var hour = config.GetValue("Backup:AtHourUtc", 2);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RunOnceAsync(dir, keep, hour, stoppingToken);
            }
            catch (Exception ex) when (ex is IOException or SqliteException or UnauthorizedAccessException)
            {
                log.LogError(ex, "Daily backup into {Dir} failed", dir);
            }
            await Task.Delay(TimeSpan.FromMinutes(10), clock, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    public async Task RunOnceAsync(string dir, int keepDays, int atHourUtc, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var today = Path.Combine(dir, $"recognition-{now:yyyyMMdd}.db");
        if (now.Hour >= atHourUtc && !File.Exists(today))
        {
            var r = await backups.BackupAsync(today, ct);
            log.Log(r.Ok ? LogLevel.Information : LogLevel.Error, "Daily backup: {Message}", r.Message);
        }
        foreach (var f in Directory.Exists(dir) ? Directory.GetFiles(dir, "recognition-*.db") : [])
        {
            var stamp = Path.GetFileNameWithoutExtension(f)["recognition-".Length..];
            if (DateTime.TryParseExact(stamp, "yyyyMMdd", null, System.Globalization.DateTimeStyles.AssumeUniversal | System.Globalization.DateTimeStyles.AdjustToUniversal, out var day)
                && day < now.Date.AddDays(-keepDays))
            {
                File.Delete(f);
            }
        }
    }
}
