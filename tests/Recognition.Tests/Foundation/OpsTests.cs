using System.Net;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.Configuration;
using Recognition.Tests.Support;
using Recognition.Web.Features.Demo;
using Recognition.Web.Infrastructure.Data;

namespace Recognition.Tests.Foundation;

public sealed class OpsTests : IDisposable
{
    private readonly AppFactory _app = new();

    [Fact]
    public async Task Healthz_reports_ok_when_the_database_answers_and_migrations_are_current()
    {
        await World.CreateAsync(_app);
        var res = await (await Session.SignInAsync(_app, "A1")).Client.GetAsync("/healthz"); // an admin reads the details
        Assert.Equal(HttpStatusCode.OK, res.StatusCode);
        var body = JsonDocument.Parse(await res.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("ok", body.GetProperty("status").GetString());
        Assert.Equal(TestEngine.Provider.ToString(), body.GetProperty("provider").GetString());
    }

    [Fact]
    public async Task Healthz_tells_anyone_else_only_the_status_word()
    {
        await World.CreateAsync(_app);
        await _app.Db.WriteAsync((c, t) => c.ExecuteAsync("DELETE FROM schema_migrations WHERE version = 2", transaction: t));
        foreach (var client in new[] { _app.CreateClient(), (await Session.SignInAsync(_app, "E1")).Client })
        {
            var res = await client.GetAsync("/healthz"); // the test server's caller is not on loopback
            Assert.Equal(HttpStatusCode.ServiceUnavailable, res.StatusCode);
            Assert.Equal("{\"status\":\"migrations_pending\"}", await res.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task Healthz_reports_503_when_a_migration_is_missing()
    {
        await World.CreateAsync(_app);
        var client = (await Session.SignInAsync(_app, "A1")).Client;
        await _app.Db.WriteAsync((c, t) => c.ExecuteAsync("DELETE FROM schema_migrations WHERE version = 2", transaction: t));
        var res = await client.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, res.StatusCode);
        Assert.Contains("0002_claims_achievements.sql", await res.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_unknown_provider_is_a_clear_configuration_error()
    {
        var (exit, stderr) = await AppProcess.RunAsync(new() { ["Recognition__Database__Provider"] = "Oracle" });
        Assert.Equal(2, exit);
        Assert.Equal("Recognition cannot start: Database:Provider is 'Oracle'. Use 'Sqlite' (embedded, the default) or 'SqlServer'.", stderr.Trim());
    }

    [Fact]
    public void SqlServer_without_a_connection_string_is_a_clear_configuration_error()
    {
        var config = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Database:Provider"] = "SqlServer" }).Build();
        var ex = Assert.Throws<ConfigurationProblem>(() => DataSetup.CreateDb(config, _app.DataDir));
        Assert.Contains("ConnectionStrings:Recognition is empty", ex.Message);
    }

    [Fact]
    public async Task The_real_process_prints_one_plain_line_and_exits_2_when_the_database_is_unreachable()
    {
        var (exit, stderr) = await AppProcess.RunAsync(new()
        {
            ["Recognition__Database__Provider"] = "SqlServer",
            ["Recognition__ConnectionStrings__Recognition"] = "Server=127.0.0.1,1;Database=x;User Id=sa;Password=x;Connect Timeout=2;TrustServerCertificate=true",
        });
        Assert.Equal(2, exit);
        Assert.StartsWith("Recognition cannot start: Cannot use the SqlServer database:", stderr);
        Assert.DoesNotContain("   at ", stderr); // no stack trace
    }

    [Fact]
    public async Task Demo_data_is_a_believable_plant_whose_ledger_adds_up_and_whose_demo_users_sign_in()
    {
        await _app.Get<DemoSeeder>().SeedAsync(_app.Clock.UtcNow);
        var db = _app.Db;
        Assert.InRange(await DbProbe.ScalarAsync<int>(db, "SELECT COUNT(*) FROM employees"), 110, 130);
        Assert.Equal(6, await DbProbe.ScalarAsync<int>(db, "SELECT COUNT(*) FROM teams"));
        Assert.Equal(1, await DbProbe.ScalarAsync<int>(db, "SELECT COUNT(*) FROM teams WHERE kind = 'project'"));
        Assert.Equal(6, await DbProbe.ScalarAsync<int>(db, "SELECT COUNT(*) FROM team_shifts"));
        Assert.Equal(5, await DbProbe.ScalarAsync<int>(db, "SELECT COUNT(*) FROM core_values"));
        Assert.Equal(7, await DbProbe.ScalarAsync<int>(db, "SELECT COUNT(*) FROM behaviour_rules"));
        Assert.True(await DbProbe.ScalarAsync<int>(db, "SELECT COUNT(*) FROM recognitions") > 500);
        // Written in time order, as a plant writes them, so the feeds (newest id first) read in time order.
        Assert.Equal(0, await DbProbe.ScalarAsync<int>(db, "SELECT COUNT(*) FROM recognitions a JOIN recognitions b ON b.id = a.id + 1 WHERE b.created_utc < a.created_utc"));
        Assert.True(await DbProbe.ScalarAsync<int>(db, "SELECT COUNT(DISTINCT local_day) FROM points_ledger") >= 55);
        Assert.True(await DbProbe.ScalarAsync<int>(db, "SELECT COUNT(*) FROM claims WHERE status = 'approved'") > 100);
        // The social loop: reactions, add-ons, birthdays, a program decided with its winner and one open for nominations.
        Assert.True(await DbProbe.ScalarAsync<int>(db, "SELECT COUNT(*) FROM reactions") > 100);
        Assert.True(await DbProbe.ScalarAsync<int>(db, "SELECT COUNT(*) FROM recognition_addons") > 0);
        Assert.True(await DbProbe.ScalarAsync<int>(db, "SELECT COUNT(*) FROM employees WHERE birthday_public = 1") > 5);
        Assert.Equal(["decided", "open"], await DbProbe.QueryAsync<string>(db, "SELECT status FROM award_programs ORDER BY id"));
        Assert.Equal(1, await DbProbe.ScalarAsync<int>(db, "SELECT COUNT(*) FROM nominations WHERE recognition_id IS NOT NULL"));
        Assert.True(await DbProbe.ScalarAsync<int>(db, "SELECT COUNT(*) FROM nominations WHERE program_id = 2") > 0);
        // Two birthdays and E0003's third anniversary are today, for the celebrations job.
        Assert.InRange(await _app.Get<Recognition.Web.Features.Celebrations.CelebrationService>().RunAsync(_app.Clock.UtcNow), 3, 20);
        Assert.True(await DbProbe.ScalarAsync<int>(db, "SELECT COUNT(*) FROM celebrations WHERE kind = 'birthday'") >= 2);
        Assert.Equal(3, await DbProbe.ScalarAsync<int>(db, "SELECT c.years FROM celebrations c JOIN employees e ON e.id = c.employee_id WHERE e.employee_no = 'E0003' AND c.kind = 'anniversary'"));
        await DbProbe.AssertLedgerConsistentAsync(db);
        foreach (var (login, password) in new[] { ("G0001", "demo-group"), ("A0001", "demo-admin"), ("S0001", "demo-super"), ("E0001", "demo-user") })
        {
            var s = await Session.SignInAsync(_app, login, password);
            Assert.NotNull((await s.GetDocAsync("/")).QuerySelector("#home-greeting"));
        }
        // The demo's organisation admin can change the catalogue; its site admin can only read it.
        var group = await Session.SignInAsync(_app, "G0001", "demo-group");
        Assert.NotNull((await group.GetDocAsync("/Admin/Catalogue")).QuerySelector("#values button"));
        Assert.Null((await (await Session.SignInAsync(_app, "A0001", "demo-admin")).GetDocAsync("/Admin/Catalogue")).QuerySelector("#values button"));
        // Seeding twice adds nothing.
        Assert.False(await _app.Get<DemoSeeder>().SeedIfEmptyAsync(_app.Clock.UtcNow));
    }

    public void Dispose() => _app.Dispose();
}

public sealed class EnvironmentTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("recognition-env-").FullName;

    [SqliteFact]
    public async Task Seed_demo_is_refused_in_Production_without_force_and_writes_nothing()
    {
        var file = Path.Combine(_dir, "prod.db");
        var env = new Dictionary<string, string> { ["Recognition__ConnectionStrings__Recognition"] = $"Data Source={file}" };
        var (exit, stderr) = await AppProcess.RunAsync(env, "seed", "demo");
        Assert.Equal(2, exit);
        Assert.Contains("this is Production", stderr);
        Assert.False(File.Exists(file));
    }

    [SqliteFact]
    public async Task The_environment_the_operator_sets_wins_over_the_launch_profile_default()
    {
        // launchSettings.json proposes Development through RECOGNITION_DEFAULT_ENVIRONMENT; ASPNETCORE_ENVIRONMENT=Production wins.
        var file = Path.Combine(_dir, "env.db");
        var env = new Dictionary<string, string>
        {
            ["Recognition__ConnectionStrings__Recognition"] = $"Data Source={file}", ["RECOGNITION_DEFAULT_ENVIRONMENT"] = "Development",
        };
        Assert.Equal(2, (await AppProcess.RunAsync(env, "seed", "demo")).Exit); // still Production: refused
        env["ASPNETCORE_ENVIRONMENT"] = "Development";
        var (exit, stderr) = await AppProcess.RunAsync(env, "seed", "demo");
        Assert.True(exit == 0, stderr);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }
}
