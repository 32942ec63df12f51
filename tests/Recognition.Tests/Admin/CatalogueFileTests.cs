using System.Net;
using System.Text;
using System.Text.Json;
using Recognition.Tests.Support;
using Recognition.Web.Features.Admin.Catalogue;
using Recognition.Web.Features.Programs;

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
        Assert.Equal("", string.Join("; ", applied.Errors));
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

    [Fact]
    public async Task Open_award_programs_travel_in_the_file_with_their_judges_and_are_imported_by_a_person()
    {
        var from = await World.CreateAsync(_from);
        var badge = (await DbProbe.QueryAsync<long>(_from.Db, "SELECT id FROM badges WHERE kind = 'supervisor' AND active = 1 ORDER BY id"))[0];
        const string Criteria = "主动发现并消除安全隐患，带动班组养成安全习惯。";
        var created = await _from.Get<ProgramService>().CreateAsync(from.SiteId, new ProgramForm("安全之星 · 12月", "Safety Star · December", badge, Criteria, "everyone",
            "2026-12-01", "2026-12-31", 100, 300, "s1, E1"), from.AdminScope, DateTime.UtcNow);
        Assert.True(created.Ok);
        var file = await _from.Get<CatalogueFile>().ExportAsync();
        var json = Encoding.UTF8.GetString(file);
        var program = JsonDocument.Parse(file).RootElement.GetProperty("programs").EnumerateArray().Single();
        Assert.Equal("2026-12-31", program.GetProperty("closes").GetString());
        Assert.Equal(["E1", "S1"], program.GetProperty("judges").EnumerateArray().Select(j => j.GetString()));

        // The same plant elsewhere: from the command line (no person to record as its creator) it is refused, nothing written.
        var to = await World.CreateAsync(_to);
        var orgAdmin = new AdminScope(to.Admin, to.SiteId, Org: true); // the catalogue is the organisation admins'
        var before = await DbProbe.FingerprintAsync(_to.Db);
        var cli = await _to.Get<CatalogueFile>().ImportAsync(file, false, AdminScope.CommandLine, DateTime.UtcNow);
        Assert.Contains(cli.Errors, e => e.Contains("Program.NeedsPerson"));
        Assert.Equal(before, await DbProbe.FingerprintAsync(_to.Db));

        // Uploaded on Admin › Catalogue by an organisation admin: created once, by them, with its judges, and audited.
        await to.AddSecondSiteAsync(_to);
        var page = await (await Session.SignInAsync(_to, "OA1")).PostFileAsync("/Admin/Catalogue?handler=Import", "/Admin/Catalogue", "upload", "catalogue.json", file);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Null((await Session.Doc(page)).QuerySelector("#catalogue-import-errors"));
        Assert.Equal(await DbProbe.ScalarAsync<long>(_to.Db, "SELECT id FROM employees WHERE employee_no = 'OA1'"),
            await DbProbe.ScalarAsync<long>(_to.Db, "SELECT created_by FROM award_programs"));
        Assert.Equal(2, await DbProbe.ScalarAsync<int>(_to.Db, "SELECT COUNT(*) FROM program_judges"));
        Assert.Equal(1, await DbProbe.ScalarAsync<int>(_to.Db, "SELECT COUNT(*) FROM audit_log WHERE action = 'program.created'"));
        var again = await _to.Get<CatalogueFile>().ImportAsync(file, false, orgAdmin, DateTime.UtcNow);
        Assert.Equal("", string.Join("; ", again.Errors));
        Assert.Equal(0, again.Created + again.Changed);

        // A program there that the file describes differently is refused, and so is an unknown judge or site: nothing written.
        before = await DbProbe.FingerprintAsync(_to.Db);
        foreach (var (bad, expected) in new[]
        {
            (json.Replace("\"budget\": 300", "\"budget\": 400"), "Catalogue.ProgramDiffers"),
            (json.Replace("安全之星 · 12月", "安全之星 · 1月").Replace("\"E1\"", "\"NOBODY\""), "Program.UnknownJudge"),
            (json.Replace("安全之星 · 12月", "安全之星 · 1月").Replace("\"site\": \"", "\"site\": \"X"), "Catalogue.UnknownReference"),
        })
        {
            var refused = await _to.Get<CatalogueFile>().ImportAsync(Encoding.UTF8.GetBytes(bad), false, orgAdmin, DateTime.UtcNow);
            Assert.False(refused.Applied);
            Assert.Contains(refused.Errors, e => e.StartsWith("programs[0]") && e.Contains(expected));
            Assert.Equal(before, await DbProbe.FingerprintAsync(_to.Db));
        }
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
