using System.Text;
using System.Text.Json;
using Recognition.Tests.Support;
using Recognition.Web.Features.Admin.Catalogue;

namespace Recognition.Tests.Admin;

public sealed class CatalogueFileTests : IDisposable
{
    private readonly AppFactory _from = new();
    private readonly AppFactory _to = new();

    [Fact]
    public async Task A_catalogue_copies_to_an_empty_database_and_a_second_import_changes_nothing()
    {
        await World.CreateAsync(_from);
        var file = await _from.Get<CatalogueFile>().ExportAsync();
        var dry = await _to.Get<CatalogueFile>().ImportAsync(file, dryRun: true, AdminScope.CommandLine, DateTime.UtcNow);
        Assert.Empty(dry.Errors);
        Assert.False(dry.Applied);
        Assert.Equal(0, await DbProbe.ScalarAsync<int>(_to.Db, "SELECT COUNT(*) FROM badges"));
        Assert.Equal(5 + 8 + 7 + 2, dry.Created);

        // The empty target gets everything, system rules with their keys.
        var applied = await _to.Get<CatalogueFile>().ImportAsync(file, dryRun: false, AdminScope.CommandLine, DateTime.UtcNow);
        Assert.Empty(applied.Errors);
        Assert.True(applied.Applied);
        Assert.Equal(22, applied.Created);
        Assert.Equal(5, await DbProbe.ScalarAsync<int>(_to.Db, "SELECT COUNT(*) FROM behaviour_rules WHERE system_key IS NOT NULL"));
        var again = await _to.Get<CatalogueFile>().ImportAsync(file, dryRun: false, AdminScope.CommandLine, DateTime.UtcNow);
        Assert.Equal(22, again.Unchanged);
    }

    [Fact]
    public async Task Edits_in_the_file_are_applied_and_audited_and_bad_files_write_nothing()
    {
        await World.CreateAsync(_to);
        var json = Encoding.UTF8.GetString(await _to.Get<CatalogueFile>().ExportAsync());
        var edited = json.Replace("\"nameEn\": \"Mentor\"", "\"nameEn\": \"Mentor of the Month\"");
        var result = await _to.Get<CatalogueFile>().ImportAsync(Encoding.UTF8.GetBytes(edited), false, AdminScope.CommandLine, DateTime.UtcNow);
        Assert.Equal(1, result.Changed);
        Assert.Equal("Mentor of the Month", await DbProbe.ScalarAsync<string>(_to.Db, "SELECT name_en FROM badges WHERE code = 'mentor'"));
        Assert.Equal(1, await DbProbe.ScalarAsync<int>(_to.Db, "SELECT COUNT(*) FROM audit_log WHERE action = 'badge.update'"));

        var before = await DbProbe.FingerprintAsync(_to.Db);
        foreach (var (bad, expected) in new[]
        {
            (json.Replace("\"code\": \"mentor\",", "\"code\": \"mentor\", \"salary\": 1,"), "Catalogue.BadJson"),
            (json.Replace("\"value\": \"learning\"", "\"value\": \"no_such_value\""), "Catalogue.UnknownReference"),
            (json.Replace("\"format\": \"recognition-catalogue/1\"", "\"format\": \"something-else\""), "Catalogue.BadFormat"),
            (json.Replace("\"capPerDay\": 3,", "\"capPerDay\": 30,"), "Catalogue.CapsContradict"),
            ("{ not json", "Catalogue.BadJson"),
        })
        {
            var refused = await _to.Get<CatalogueFile>().ImportAsync(Encoding.UTF8.GetBytes(bad), false, AdminScope.CommandLine, DateTime.UtcNow);
            Assert.False(refused.Applied);
            Assert.Contains(refused.Errors, e => e.Contains(expected));
            Assert.Equal(before, await DbProbe.FingerprintAsync(_to.Db));
        }
        Assert.Equal(1, JsonDocument.Parse(json).RootElement.GetProperty("rules").EnumerateArray().Count(r => r.GetProperty("systemKey").GetString() == "hazard_report"));
    }

    [SqliteFact]
    public async Task The_catalogue_commands_export_and_dry_run_an_import()
    {
        await World.CreateAsync(_to);
        var env = new Dictionary<string, string> { ["Recognition__ConnectionStrings__Recognition"] = _to.Db.ConnectionString };
        var file = Path.Combine(_to.DataDir, "catalogue.json");
        Assert.Equal(0, (await AppProcess.RunAsync(env, "catalogue", "export", file)).Exit);
        var run = await AppProcess.RunWithOutputAsync(env, "catalogue", "import", file, "--dry-run");
        Assert.True(run.Exit == 0, run.Stderr);
        Assert.Equal("""{"created":0,"changed":0,"unchanged":22,"errors":0,"applied":false}""", run.Stdout.Trim().Split('\n')[^1]);
        await File.WriteAllTextAsync(file, (await File.ReadAllTextAsync(file)).Replace("\"points\": 10,", "\"points\": -10,"));
        var bad = await AppProcess.RunWithOutputAsync(env, "catalogue", "import", file);
        Assert.Equal(1, bad.Exit);
        Assert.Contains("Points must be between 0 and 1000.", bad.Stderr);
    }

    public void Dispose()
    {
        _from.Dispose();
        _to.Dispose();
    }
}
