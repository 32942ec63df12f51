using Dapper;
using Recognition.Web.Features.Demo;
using Recognition.Web.Infrastructure.Auth;
using Recognition.Web.Infrastructure.Data;

namespace Recognition.Tests.Support;

/// <summary>A small plant every test can reason about: two teams, their supervisors, a few people, an admin.</summary>
public sealed class World
{
    public const string Password = "pw-123456";
    public long SiteId { get; private set; }
    public long TeamA { get; private set; }
    public long TeamB { get; private set; }
    public long SupA { get; private set; }
    public long SupB { get; private set; }
    public long Giver { get; private set; }
    public long Alice { get; private set; }
    public long Bob { get; private set; }
    public long Carol { get; private set; }
    public long Dave { get; private set; }
    public long Gone { get; private set; }
    public long Admin { get; private set; }
    public Dictionary<string, long> Badges { get; private set; } = [];
    public Dictionary<string, long> Values { get; private set; } = [];
    public Dictionary<string, long> Rules { get; private set; } = [];
    public List<long> Crowd { get; } = [];

    /// <summary>The site admin A1 acting at site A.</summary>
    public AdminScope AdminScope => new(Admin, SiteId, Org: false);

    // A second site, for the tests that prove nothing crosses from one site to the other (AddSecondSiteAsync).
    public long SiteB { get; private set; }
    public long TeamC { get; private set; }
    public long AdminB { get; private set; }
    public long Eve { get; private set; }
    public long OrgAdmin { get; private set; }

    /// <summary>Site B ("T2", Shenzhen) with a team, a site admin (AB1), an employee (EB1, Eve), and an organisation admin (OA1) at site A.</summary>
    public async Task AddSecondSiteAsync(AppFactory app)
    {
        var db = app.Db;
        var people = app.Get<PeopleStore>();
        await db.WriteAsync(async (c, t) =>
        {
            SiteB = await c.QuerySingleAsync<long>(db.Dialect.InsertReturningId("sites", "code, name_zh, name_en, time_zone, created_utc",
                "'T2', '深圳厂', 'Shenzhen Plant', 'Asia/Shanghai', @now"), new { now = DateTime.UtcNow }, t);
            await Catalog.SeedAreasAsync(c, t, SiteB);
            TeamC = await Team(c, t, db, SiteB, "C", "深圳装配", "Shenzhen Assembly");
            AdminB = await people.CreateAsync(c, t, new NewEmployee(SiteB, null, "AB1", "深圳人事", "Shenzhen HR", Roles.Employee | Roles.Admin, Password: Password));
            Eve = await people.CreateAsync(c, t, new NewEmployee(SiteB, TeamC, "EB1", "伊芙", "Eve", Password: Password, BadgeCode: "B-EB1", Pin: "246810"));
            OrgAdmin = await people.CreateAsync(c, t, new NewEmployee(SiteId, null, "OA1", "集团人事", "Group HR", Roles.Employee | Roles.Admin | Roles.OrgAdmin, Password: Password));
        });
    }

    public static async Task<World> CreateAsync(AppFactory app, int crowd = 0)
    {
        var w = new World();
        var db = app.Db;
        var people = app.Get<PeopleStore>();
        await db.WriteAsync(async (c, t) =>
        {
            w.SiteId = await c.QuerySingleAsync<long>(db.Dialect.InsertReturningId("sites", "code, name_zh, name_en, time_zone, created_utc",
                "'T1', '测试厂', 'Test Plant', 'Asia/Shanghai', @now"), new { now = DateTime.UtcNow }, t);
            await Catalog.SeedAsync(c, t);
            await Catalog.SeedAreasAsync(c, t, w.SiteId);
            w.TeamA = await Team(c, t, db, w.SiteId, "A", "冲压一线", "Stamping 1");
            w.TeamB = await Team(c, t, db, w.SiteId, "B", "质量部", "Quality");
            w.SupA = await people.CreateAsync(c, t, new NewEmployee(w.SiteId, w.TeamA, "S1", "张主管", "Supervisor Zhang", Roles.Employee | Roles.Supervisor, Password: Password, BadgeCode: "B-S1", Pin: "111111"));
            w.SupB = await people.CreateAsync(c, t, new NewEmployee(w.SiteId, w.TeamB, "S2", "李主管", "Supervisor Li", Roles.Employee | Roles.Supervisor, Password: Password));
            await c.ExecuteAsync("INSERT INTO team_leaders (team_id, employee_id) VALUES (@t, @s)", new[] { new { s = w.SupA, t = w.TeamA }, new { s = w.SupB, t = w.TeamB } }, t);
            w.Giver = await people.CreateAsync(c, t, new NewEmployee(w.SiteId, w.TeamA, "E1", "王伟", "Wei Wang", Password: Password, BadgeCode: "B-E1", Pin: "123456"));
            w.Alice = await people.CreateAsync(c, t, new NewEmployee(w.SiteId, w.TeamA, "E2", "陈静", "Jing Chen", Password: Password, Locale: "en-US"));
            w.Bob = await people.CreateAsync(c, t, new NewEmployee(w.SiteId, w.TeamB, "E3", "刘强", "Qiang Liu", Password: Password));
            w.Carol = await people.CreateAsync(c, t, new NewEmployee(w.SiteId, w.TeamB, "E4", null, "Carol Smith", Password: Password, Locale: "en-US"));
            w.Dave = await people.CreateAsync(c, t, new NewEmployee(w.SiteId, w.TeamA, "E5", "赵磊", "Lei Zhao", Password: Password));
            w.Gone = await people.CreateAsync(c, t, new NewEmployee(w.SiteId, w.TeamA, "E6", "离职者", "Former Person", Password: Password));
            await c.ExecuteAsync("UPDATE employees SET active = 0 WHERE id = @id", new { id = w.Gone }, t);
            w.Admin = await people.CreateAsync(c, t, new NewEmployee(w.SiteId, null, "A1", "人事", "HR Admin", Roles.Employee | Roles.Admin, Password: Password));
            for (var i = 0; i < crowd; i++)
            {
                w.Crowd.Add(await people.CreateAsync(c, t, new NewEmployee(w.SiteId, i % 2 == 0 ? w.TeamA : w.TeamB, $"C{i:000}", $"群众{i}", $"Crowd {i}")));
            }
            w.Badges = (await c.QueryAsync<(long Id, string Code)>("SELECT id, code FROM badges", transaction: t)).ToDictionary(x => x.Code, x => x.Id);
            w.Values = (await c.QueryAsync<(long Id, string Code)>("SELECT id, code FROM core_values", transaction: t)).ToDictionary(x => x.Code, x => x.Id);
            w.Rules = (await c.QueryAsync<(long Id, string Code)>("SELECT id, code FROM behaviour_rules", transaction: t)).ToDictionary(x => x.Code, x => x.Id);
        });
        return w;
    }

    private static Task<long> Team(System.Data.Common.DbConnection c, System.Data.Common.DbTransaction t, Db db, long site, string code, string zh, string en) =>
        c.QuerySingleAsync<long>(db.Dialect.InsertReturningId("teams", "site_id, code, name_zh, name_en, kind", "@site, @code, @zh, @en, 'standing'"),
            new { site, code, zh, en }, t);
}
