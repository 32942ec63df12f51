using System.Text.Json.Nodes;

namespace Recognition.Web.Features.Scim;

/// <summary>
/// SCIM Users are the site's people. <c>userName</c> is the employee number (or the enterprise extension's
/// <c>employeeNumber</c> when the directory's userName is a sign-in name such as an email address); <c>department</c>
/// names a team of the site (by code or either name), <c>manager</c> another person of the site by SCIM id. DELETE and
/// <c>active: false</c> deactivate — history is never deleted — and end the person's sessions as the admin page does.
/// Every change is worked out in full before one transaction writes it, so a malformed or partial payload writes nothing.
/// </summary>
public sealed partial class ScimUsers(Db db, PeopleStore people, SessionValidator sessions)
{
    public const int MaxPage = 200;
    private static readonly HashSet<string> FilterAttributes = new(["userName", "externalId", "id"], StringComparer.OrdinalIgnoreCase);

    private const string Select =
        @"SELECT e.id AS Id, e.version AS Version, e.employee_no AS EmployeeNo, e.scim_user_name AS UserName, e.external_id AS ExternalId,
                 e.name_zh AS NameZh, e.name_en AS NameEn, e.email AS Email, e.active AS Active, e.locale AS Locale, e.department AS Department,
                 e.manager_id AS ManagerId, e.team_id AS TeamId, e.hire_day AS HireDay, e.created_utc AS Created
          FROM employees e";

    public sealed class State
    {
        public long Id { get; set; }
        public int Version { get; set; }
        public string EmployeeNo { get; set; } = "";
        public string? UserName { get; set; }
        public string? ExternalId { get; set; }
        public string? NameZh { get; set; }
        public string? NameEn { get; set; }
        public string? Email { get; set; }
        public bool Active { get; set; } = true;
        public string Locale { get; set; } = "zh-CN";
        public string? Department { get; set; }
        public long? ManagerId { get; set; }
        public long? TeamId { get; set; }
        /// <summary>The hire date as yyyymmdd (enterprise extension <c>hireDate</c>): anniversaries and first days.</summary>
        public int? HireDay { get; set; }
        public DateTime Created { get; set; }
        internal string? EmployeeNumber;
        internal string? Given, Family, Formatted;
        internal bool DepartmentChanged, LocaleSet;
    }

    public async Task<State?> FindAsync(long site, long id)
    {
        await using var c = await db.OpenAsync();
        return await c.QuerySingleOrDefaultAsync<State>(Select + " WHERE e.id = @id AND e.site_id = @site", new { id, site });
    }

    public async Task<(IReadOnlyList<State> Rows, int Total)> ListAsync(long site, string? filter, int startIndex, int count)
    {
        var terms = ScimFilter.Parse(filter, FilterAttributes);
        var where = " WHERE e.site_id = @site";
        var args = new DynamicParameters(new { site });
        for (var i = 0; i < terms.Count; i++)
        {
            var (attr, value) = terms[i];
            var p = "f" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            where += attr switch
            {
                "userName" => $" AND (e.scim_user_name = @{p}l OR (e.scim_user_name IS NULL AND UPPER(e.employee_no) = UPPER(@{p})))",
                "externalId" => $" AND e.external_id = @{p}",
                _ => $" AND e.id = @{p}n",
            };
            args.Add(p, value);
            args.Add(p + "l", value.ToLowerInvariant());
            args.Add(p + "n", long.TryParse(value, out var n) ? n : -1);
        }
        args.Add("skip", Math.Max(0, startIndex - 1));
        args.Add("take", Math.Clamp(count, 0, MaxPage));
        await using var c = await db.OpenAsync();
        var total = await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM employees e" + where, args);
        var rows = count <= 0 ? [] : (await c.QueryAsync<State>(db.Dialect.Page(Select + where + " ORDER BY e.id"), args)).ToList();
        return (rows, total);
    }

    public async Task<State> CreateAsync(long site, JsonObject body, string? ip, DateTime now)
    {
        ScimJson.RequireSchema(body, ScimSchemas.User);
        var s = new State();
        ApplyRepresentation(s, body);
        Finish(s);
        return await WriteAsync(site, s, isNew: true, ip, now);
    }

    public async Task<State> ReplaceAsync(long site, long id, JsonObject body, string? ip, DateTime now)
    {
        ScimJson.RequireSchema(body, ScimSchemas.User);
        var s = await FindAsync(site, id) ?? throw NotFound(id);
        var replaced = new State { Id = s.Id, Version = s.Version, Locale = s.Locale, Created = s.Created, TeamId = s.TeamId, NameZh = null, NameEn = null };
        ApplyRepresentation(replaced, body);
        Finish(replaced, keepNames: s);
        return await WriteAsync(site, replaced, isNew: false, ip, now, before: s);
    }

    public async Task<State> PatchAsync(long site, long id, JsonObject body, string? ip, DateTime now)
    {
        ScimJson.RequireSchema(body, ScimSchemas.PatchOp);
        var s = await FindAsync(site, id) ?? throw NotFound(id);
        s.UserName ??= s.EmployeeNo;
        var before = Copy(s);
        // Only the whole name is stored: a patch of one part (Entra's name.givenName) changes that part of it.
        if (s.NameEn is { } en && en.LastIndexOf(' ') is > 0 and var space) (s.Given, s.Family) = (en[..space], en[(space + 1)..]);
        else if (s.NameEn is null && s.NameZh is { Length: > 1 } zh) (s.Family, s.Given) = (zh[..1], zh[1..]);
        foreach (var (op, path, value) in Operations(body))
        {
            if (path is null)
            {
                if (value is not JsonObject obj) throw new ScimError(400, "invalidSyntax", "An operation without a path needs an object value.");
                foreach (var (k, v) in obj) Set(s, k, v, op == "remove");
            }
            else
            {
                Set(s, path, value, op == "remove");
            }
        }
        Finish(s, keepNames: before);
        return await WriteAsync(site, s, isNew: false, ip, now, before);
    }

    public async Task DeactivateAsync(long site, long id, string? ip, DateTime now)
    {
        var s = await FindAsync(site, id) ?? throw NotFound(id);
        s.UserName ??= s.EmployeeNo;
        var before = Copy(s);
        s.Active = false;
        s.EmployeeNumber = s.EmployeeNo;
        await WriteAsync(site, s, isNew: false, ip, now, before);
    }

    internal static IEnumerable<(string Op, string? Path, JsonNode? Value)> Operations(JsonObject body)
    {
        if (body["Operations"] is not JsonArray ops || ops.Count == 0) throw new ScimError(400, "invalidSyntax", "Operations must be a non-empty array.");
        if (ops.Count > 1000) throw new ScimError(400, "tooMany", "At most 1,000 operations per request.");
        var list = new List<(string, string?, JsonNode?)>();
        foreach (var node in ops)
        {
            if (node is not JsonObject o) throw new ScimError(400, "invalidSyntax", "Each operation must be an object.");
            var op = (ScimJson.Text(o["op"], "op", 20) ?? "").ToLowerInvariant(); // Entra sends "Replace", "Add"
            if (op is not ("add" or "replace" or "remove")) throw new ScimError(400, "invalidSyntax", $"Unknown op '{op}'.");
            var path = ScimJson.Text(o["path"], "path", 300);
            if (op == "remove" && path is null) throw new ScimError(400, "noTarget", "remove needs a path.");
            list.Add((op, path, o["value"]));
        }
        return list;
    }

    private static void ApplyRepresentation(State s, JsonObject body)
    {
        if (body["id"] is { } idNode && s.Id != 0 && ScimJson.Text(idNode, "id") != s.Id.ToString(System.Globalization.CultureInfo.InvariantCulture))
            throw new ScimError(400, "mutability", "id cannot be changed.");
        s.Active = true;
        s.Email = null;
        foreach (var (k, v) in body)
        {
            if (k is "schemas" or "id" or "meta") continue;
            Set(s, k, v, remove: false);
        }
    }


    private async Task<State> WriteAsync(long site, State s, bool isNew, string? ip, DateTime now, State? before = null)
    {
        try
        {
            var id = await db.WriteAsync(async (c, t) =>
            {
                if (await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM employees WHERE UPPER(employee_no) = UPPER(@EmployeeNo) AND id <> @Id", s, t) > 0)
                    throw new ScimError(409, "uniqueness", $"A person with employee number {s.EmployeeNo} already exists.");
                if (s.ExternalId is not null && await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM employees WHERE site_id = @site AND external_id = @ExternalId AND id <> @Id",
                        new { site, s.ExternalId, s.Id }, t) > 0)
                    throw new ScimError(409, "uniqueness", "Another person already has this externalId.");
                if (s.ManagerId is { } m && await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM employees WHERE id = @m AND site_id = @site", new { m, site }, t) == 0)
                    throw new ScimError(400, "invalidValue", "manager must be the SCIM id of a person of this site.");
                if (isNew || s.DepartmentChanged)
                {
                    var team = s.Department is null ? null : await c.ExecuteScalarAsync<long?>(
                        @"SELECT MIN(id) FROM teams WHERE site_id = @site AND active = 1
                            AND (UPPER(code) = UPPER(@Department) OR name_zh = @Department OR UPPER(name_en) = UPPER(@Department))", new { site, s.Department }, t);
                    if (team is not null || s.Department is null) s.TeamId = team ?? (isNew ? null : s.TeamId);
                }
                long id;
                if (isNew)
                {
                    if (!s.LocaleSet) s.Locale = await c.ExecuteScalarAsync<string>("SELECT default_locale FROM sites WHERE id = @site", new { site }, t) ?? "zh-CN";
                    id = await people.CreateAsync(c, t, new NewEmployee(site, s.TeamId, s.EmployeeNo, s.NameZh, s.NameEn, Roles.Employee, s.Locale, s.Email));
                    s.Id = id;
                }
                else
                {
                    id = s.Id;
                }
                var deactivated = before is { Active: true } && !s.Active;
                var changed = await c.ExecuteAsync(
                    @"UPDATE employees SET employee_no = @EmployeeNo, scim_user_name = @userName, external_id = @ExternalId, name_zh = @NameZh, name_en = @NameEn,
                          email = @Email, active = @active, locale = @Locale, department = @Department, manager_id = @ManagerId, team_id = @TeamId, hire_day = @HireDay,
                          security_stamp = CASE WHEN @newStamp = 1 THEN @stamp ELSE security_stamp END, version = version + 1
                      WHERE id = @Id AND site_id = @site AND (@isNew = 1 OR version = @Version)",
                    new
                    {
                        s.EmployeeNo, userName = s.UserName!.ToLowerInvariant(), s.ExternalId, s.NameZh, s.NameEn, s.Email, active = s.Active ? 1 : 0, s.Locale,
                        s.Department, s.ManagerId, s.TeamId, s.HireDay, newStamp = isNew || deactivated || before?.Active != s.Active ? 1 : 0, stamp = Admin.People.PeopleAdmin.NewStamp(),
                        s.Id, site, isNew = isNew ? 1 : 0, s.Version,
                    }, t);
                if (changed != 1) throw new ScimError(409, null, "The person changed meanwhile; read it again.");
                var action = isNew ? "person.create" : deactivated ? "person.deactivate" : before is { Active: false } && s.Active ? "person.reactivate" : "person.update";
                await Audit.WriteAsync(c, t, new AuditEntry(null, action, $"employee:{id}", site,
                    Before: before is null ? null : Snapshot(before), After: Snapshot(s), Detail: "scim", Ip: ip), now);
                return id;
            });
            if (!isNew) sessions.Forget(id);
            return await FindAsync(site, id) ?? throw NotFound(id);
        }
        catch (Exception ex) when (db.Dialect.IsUniqueViolation(ex))
        {
            throw new ScimError(409, "uniqueness", ex.Message.Contains("email", StringComparison.OrdinalIgnoreCase)
                ? "Another person already has this email address." : $"A person with employee number {s.EmployeeNo} or this externalId already exists.");
        }
    }

    private static object Snapshot(State s) => new
    {
        employeeNo = s.EmployeeNo, userName = s.UserName, externalId = s.ExternalId, nameZh = s.NameZh, nameEn = s.NameEn, active = s.Active,
        team = s.TeamId, manager = s.ManagerId, department = s.Department, hireDay = s.HireDay,
    };

    private static State Copy(State s) => new()
    {
        Id = s.Id, Version = s.Version, EmployeeNo = s.EmployeeNo, UserName = s.UserName ?? s.EmployeeNo, ExternalId = s.ExternalId, NameZh = s.NameZh, NameEn = s.NameEn,
        Email = s.Email, Active = s.Active, Locale = s.Locale, Department = s.Department, ManagerId = s.ManagerId, TeamId = s.TeamId, HireDay = s.HireDay, Created = s.Created,
    };

    internal static ScimError NotFound(long id) => new(404, null, $"No person {id} at this site.");
}
