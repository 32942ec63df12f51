using FluentMigrator.Runner;
using FluentMigrator.Runner.VersionTableInfo;

namespace Recognition.Web.Infrastructure.Data.Migrations;

public sealed record AppliedMigration(long Version, string Name, string Checksum, DateTime AppliedUtc);

public sealed record MigrationStatus(IReadOnlyList<MigrationScript> All, IReadOnlyList<AppliedMigration> Applied, IReadOnlyList<string> Changed)
{
    public IReadOnlyList<MigrationScript> Pending => All.Where(m => Applied.All(a => a.Version != m.Version)).ToList();
    public bool Current => Pending.Count == 0 && Changed.Count == 0;
}

/// <summary>
/// Applies the app's FluentMigrator migrations. Around FluentMigrator it keeps what the project relies on:
/// one migrating process at a time (the engine's migration lock), a stop with a one-line message when an
/// applied script was changed, and databases journaled by the earlier hand-written runner carried over.
/// </summary>
public sealed class Migrator(Db db, ILogger<Migrator> log)
{
    public IReadOnlyList<MigrationScript> Scripts => ScriptMigration.All(db.Dialect);

    /// <summary>Reads the journal without changing anything (a database never migrated has every migration pending).</summary>
    public async Task<MigrationStatus> StatusAsync(CancellationToken ct = default)
    {
        var all = Scripts;
        await using var conn = await db.OpenAsync(ct);
        var tables = (await conn.QueryAsync<string>(db.Dialect.ListTables)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var applied = tables.Contains("schema_migrations")
            ? (await conn.QueryAsync<(long Version, string Name, string Checksum, object At)>("SELECT version, name, checksum, applied_utc FROM schema_migrations ORDER BY version"))
                .Select(r => new AppliedMigration(r.Version, r.Name, r.Checksum, Convert.ToDateTime(r.At, System.Globalization.CultureInfo.InvariantCulture)))
                .ToList()
            : [];
        var changed = applied.Where(a => all.Any(m => m.Version == a.Version && m.Checksum != a.Checksum)).Select(a => a.Name).ToList();
        return new MigrationStatus(all, applied, changed);
    }

    /// <summary>Applies pending migrations up to <paramref name="target"/> (all when null); returns how many were applied.</summary>
    public async Task<int> MigrateAsync(long? target = null, CancellationToken ct = default)
    {
        await using var _ = await db.Dialect.LockMigrationsAsync(db.ConnectionString, ct);
        await using (var conn = await db.OpenAsync(ct))
        {
            await db.Dialect.PrepareJournalAsync(conn);
        }
        var status = await StatusAsync(ct);
        if (status.Changed.Count > 0)
        {
            throw new MigrationException(
                $"Migration {string.Join(", ", status.Changed)} was changed after it was applied to this database (checksum differs). " +
                "Restore the original file and put the change in a new numbered migration.");
        }
        var pending = status.Pending.Where(m => target is null || m.Version <= target).ToList();
        if (pending.Count == 0) return 0;
        await Task.Run(() => RunFluentMigrator(pending[^1].Version), ct);
        foreach (var m in pending) log.LogInformation("Applied migration {Migration}", m.Name);
        if (pending.Any(m => m.Version == 13)) await ReportCaseTwinsAsync(ct);
        return pending.Count;
    }

    /// <summary>What migration 0013 had to change so that numbers and badges are unique whatever their case, said where the operator looks.</summary>
    private async Task ReportCaseTwinsAsync(CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        foreach (var (target, detail) in await conn.QueryAsync<(string, string)>("SELECT target, detail FROM audit_log WHERE action = @a ORDER BY id", new { a = CaseTwins.Action }))
        {
            log.LogWarning("Employee numbers and badge codes are now compared whatever their case: {Target} had a twin, {Detail} (see the audit log, action {Action})",
                target, detail, CaseTwins.Action);
        }
    }

    private void RunFluentMigrator(long target)
    {
        using var services = new ServiceCollection()
            .AddFluentMigratorCore()
            .ConfigureRunner(rb =>
            {
                db.Dialect.AddMigrationRunner(rb);
                rb.WithGlobalConnectionString(db.Dialect.MigrationConnectionString(db.ConnectionString))
                    .WithGlobalCommandTimeout(TimeSpan.FromMinutes(10))
                    .WithVersionTable(new VersionTable())
                    .ScanIn(typeof(Migrator).Assembly).For.Migrations();
            })
            .BuildServiceProvider(validateScopes: false);
        using var scope = services.CreateScope();
        try
        {
            scope.ServiceProvider.GetRequiredService<IMigrationRunner>().MigrateUp(target);
        }
        catch (Exception ex) when (ex is not MigrationException)
        {
            // FluentMigrator wraps what a migration threw; the operator gets the innermost reason on one line.
            var inner = ex;
            while (inner.InnerException is not null && inner is not MigrationException) inner = inner.InnerException;
            if (inner is MigrationException) throw inner;
            throw new MigrationException($"A migration failed and was rolled back: {inner.Message.ReplaceLineEndings(" ")}");
        }
    }

    /// <summary>FluentMigrator's journal in the project's naming (lower snake_case, valid in both dialects).</summary>
    private sealed class VersionTable : IVersionTableMetaData
    {
        public bool OwnsSchema => false;
        public string SchemaName => "";
        public string TableName => "schema_version";
        public string ColumnName => "version";
        public string DescriptionColumnName => "description";
        public string UniqueIndexName => "ux_schema_version";
        public string AppliedOnColumnName => "applied_utc";
        public bool CreateWithPrimaryKey => false;
    }
}
