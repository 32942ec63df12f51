using System.Collections.Concurrent;
using Dapper;
using Microsoft.Data.Sqlite;
using Recognition.Tests.Support;
using Recognition.Web.Features.Recognize;
using Recognition.Web.Infrastructure.Backup;

namespace Recognition.Tests.Foundation;

/// <summary>The embedded database's backup and restore commands, run as an operator runs them (separate processes).</summary>
public sealed class BackupTests : IAsyncLifetime
{
    private readonly AppFactory _app = new();
    private World _w = null!;

    public async Task InitializeAsync() => _w = await World.CreateAsync(_app);

    private string DbFile => _app.Get<Backups>().DatabaseFile!;

    [SqliteFact]
    public async Task A_backup_taken_during_a_stream_of_awards_restores_every_award_committed_before_it()
    {
        await _app.SetPolicyAsync(r => r.DailyRecognitionCap = 100_000);
        var awards = _app.Get<AwardService>();
        var committed = new ConcurrentBag<long>();
        using var stop = new CancellationTokenSource();
        var stream = Task.Run(async () =>
        {
            var recipients = new[] { _w.Alice, _w.Bob, _w.Carol };
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var r = await awards.AwardAsync(new AwardCommand(_w.Giver, [recipients[i % 3]], _w.Badges["mentor"], null,
                    $"第 {i} 次：你每天下班后多留半小时带新人练习扭矩扳手的校验。", "public", 0, Guid.NewGuid().ToString("N")), _app.Clock.UtcNow);
                Assert.True(r.Ok, r.Error);
                committed.Add(r.Id!.Value);
            }
        });
        async Task WaitForAsync(int n)
        {
            while (committed.Count < n) { Assert.False(stream.IsCompleted, "the award stream stopped"); await Task.Delay(10); }
        }
        await WaitForAsync(20);
        var before = committed.ToHashSet(); // committed before the backup starts
        var backup = Path.Combine(_app.DataDir, "backups", "plant.db");
        var (exit, stderr, stdout) = await AppProcess.RunWithOutputAsync(Env(DbFile), "backup", backup);
        Assert.True(exit == 0, stderr);
        Assert.StartsWith("Backed up to", stdout.Trim());
        await WaitForAsync(before.Count + 20); // the app kept serving meanwhile
        await stop.CancelAsync();
        await stream;

        var fresh = Path.Combine(_app.DataDir, "fresh", "recognition.db");
        (exit, stderr, stdout) = await AppProcess.RunWithOutputAsync(Env(fresh), "restore", backup);
        Assert.True(exit == 0, stderr);
        await using var restored = new SqliteConnection($"Data Source={fresh};Pooling=False");
        var ids = (await restored.QueryAsync<long>("SELECT id FROM recognitions")).ToHashSet();
        Assert.Superset(before, ids);
        Assert.Equal("ok", await restored.ExecuteScalarAsync<string>("PRAGMA integrity_check"));
        // Consistent: every restored recognition has its recipient row, and nothing half-written.
        Assert.Equal(ids.Count, await restored.ExecuteScalarAsync<int>("SELECT COUNT(DISTINCT recognition_id) FROM recognition_recipients"));
    }

    [SqliteFact]
    public async Task Restore_refuses_while_the_app_runs_and_checks_the_file_first()
    {
        var backup = Path.Combine(_app.DataDir, "b.db");
        Assert.Equal(0, (await AppProcess.RunAsync(Env(DbFile), "backup", backup)).Exit);
        Assert.Equal(2, (await AppProcess.RunAsync(Env(DbFile), "backup", backup)).Exit); // never overwrites a backup

        var (exit, stderr) = await AppProcess.RunAsync(Env(DbFile), "restore", backup); // this test's app is running on it
        Assert.Equal(2, exit);
        Assert.Contains("the app is running", stderr);

        var target = Path.Combine(_app.DataDir, "other", "recognition.db");
        var junk = Path.Combine(_app.DataDir, "junk.db");
        await File.WriteAllTextAsync(junk, "not a database at all, just text that is long enough to look like a file");
        (exit, stderr) = await AppProcess.RunAsync(Env(target), "restore", junk);
        Assert.Equal(2, exit);
        Assert.Contains("nothing was changed", stderr);

        var future = Path.Combine(_app.DataDir, "future.db");
        File.Copy(backup, future);
        await using (var c = new SqliteConnection($"Data Source={future};Pooling=False"))
        {
            await c.ExecuteAsync("INSERT INTO schema_migrations (version, name, checksum, applied_utc) VALUES (999, '0999_future', 'x', '2027-01-01T00:00:00Z')");
        }
        (exit, stderr) = await AppProcess.RunAsync(Env(target), "restore", future);
        Assert.Equal(2, exit);
        Assert.Contains("newer version", stderr);
        Assert.False(File.Exists(target));
    }

    [SqliteFact]
    public async Task The_daily_backup_keeps_the_configured_number_of_days()
    {
        var dir = Path.Combine(_app.DataDir, "daily");
        Directory.CreateDirectory(dir);
        await File.WriteAllTextAsync(Path.Combine(dir, "recognition-20261001.db"), "old");
        await File.WriteAllTextAsync(Path.Combine(dir, "recognition-20261110.db"), "recent");
        await _app.Get<DailyBackup>().RunOnceAsync(dir, keepDays: 14, atHourUtc: 1, CancellationToken.None);
        var names = Directory.GetFiles(dir).Select(Path.GetFileName).Order().ToList();
        Assert.Equal(["recognition-20261110.db", "recognition-20261118.db"], names); // the clock says 2026-11-18 02:00
    }

    private static Dictionary<string, string> Env(string file) => new() { ["Recognition__ConnectionStrings__Recognition"] = $"Data Source={file}" };

    public Task DisposeAsync()
    {
        _app.Dispose();
        return Task.CompletedTask;
    }
}
