using System.Text.Json.Nodes;

namespace Recognition.Web.Features.Scim;

/// <summary>
/// SCIM Groups are the site's teams; a member is a person whose team it is (a person is in one team, so adding them to a
/// group moves them). A PATCH with thousands of members is checked whole (every member a person of this site) and then
/// written in one transaction, in chunks the engines' parameter limits allow. DELETE deactivates the team.
/// </summary>
public sealed class ScimGroups(Db db)
{
    public const int MaxMembers = 20_000;
    private const int Chunk = 500;
    private static readonly HashSet<string> FilterAttributes = new(["displayName", "id"], StringComparer.OrdinalIgnoreCase);

    public sealed record Team(long Id, string Code, string NameZh, string NameEn, long Active);

    public async Task<JsonObject?> GetAsync(long site, long id, bool members, string baseUrl)
    {
        await using var c = await db.OpenAsync();
        var team = await c.QuerySingleOrDefaultAsync<Team>("SELECT id AS Id, code AS Code, name_zh AS NameZh, name_en AS NameEn, active AS Active FROM teams WHERE id = @id AND site_id = @site AND active = 1", new { id, site });
        return team is null ? null : await ToJsonAsync(c, team, members, baseUrl);
    }

    public async Task<(IReadOnlyList<JsonObject> Rows, int Total)> ListAsync(long site, string? filter, int startIndex, int count, bool members, string baseUrl)
    {
        var terms = ScimFilter.Parse(filter, FilterAttributes);
        var where = " WHERE site_id = @site AND active = 1";
        var args = new DynamicParameters(new { site, skip = Math.Max(0, startIndex - 1), take = Math.Clamp(count, 0, ScimUsers.MaxPage) });
        for (var i = 0; i < terms.Count; i++)
        {
            var p = "f" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            where += terms[i].Attribute == "id" ? $" AND id = @{p}n" : $" AND (name_en = @{p} OR name_zh = @{p})";
            args.Add(p, terms[i].Value);
            args.Add(p + "n", long.TryParse(terms[i].Value, out var n) ? n : -1);
        }
        await using var c = await db.OpenAsync();
        var total = await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM teams" + where, args);
        var teams = count <= 0 ? [] : await c.QueryAsync<Team>(db.Dialect.Page("SELECT id AS Id, code AS Code, name_zh AS NameZh, name_en AS NameEn, active AS Active FROM teams" + where + " ORDER BY id"), args);
        var rows = new List<JsonObject>();
        foreach (var t in teams) rows.Add(await ToJsonAsync(c, t, members, baseUrl));
        return (rows, total);
    }

    public async Task<long> CreateAsync(long site, JsonObject body, string? ip, DateTime now)
    {
        ScimJson.RequireSchema(body, ScimSchemas.Group);
        var name = Name(body["displayName"]);
        var members = body["members"] is JsonArray m ? MemberIds(m) : [];
        return await db.WriteAsync(async (c, t) =>
        {
            if (await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM teams WHERE site_id = @site AND active = 1 AND (name_en = @name OR name_zh = @name)", new { site, name }, t) > 0)
                throw new ScimError(409, "uniqueness", $"A team named {name} already exists at this site.");
            var code = await FreeCodeAsync(c, t, name);
            var id = await c.QuerySingleAsync<long>(db.Dialect.InsertReturningId("teams", "site_id, code, name_zh, name_en, kind, active", "@site, @code, @name, @name, 'standing', 1"),
                new { site, code, name }, t);
            await SetMembersAsync(c, t, site, id, members, add: true);
            await Audit.WriteAsync(c, t, new AuditEntry(null, "team.create", $"team:{id}", site, After: new { name, code, members = members.Count }, Detail: "scim", Ip: ip), now);
            return id;
        });
    }

    public async Task PatchAsync(long site, long id, JsonObject body, string? ip, DateTime now)
    {
        ScimJson.RequireSchema(body, ScimSchemas.PatchOp);
        // Everything is parsed and checked before the transaction starts.
        var steps = new List<(string Kind, List<long> Ids, string? Name)>();
        foreach (var (op, path, value) in ScimUsers.Operations(body))
        {
            var p = path?.Trim() ?? "";
            if (p.Length == 0)
            {
                if (value is not JsonObject obj) throw new ScimError(400, "invalidSyntax", "An operation without a path needs an object value.");
                if (obj["displayName"] is { } dn) steps.Add(("name", [], Name(dn)));
                if (obj["members"] is JsonArray mm) steps.Add((op == "replace" ? "replace" : "add", MemberIds(mm), null));
            }
            else if (p.Equals("displayName", StringComparison.OrdinalIgnoreCase))
            {
                if (op == "remove") throw new ScimError(400, "mutability", "displayName is required.");
                steps.Add(("name", [], Name(value)));
            }
            else if (p.Equals("members", StringComparison.OrdinalIgnoreCase))
            {
                var ids = value is JsonArray arr ? MemberIds(arr) : value is null ? [] : throw new ScimError(400, "invalidValue", "members must be an array.");
                steps.Add((op == "remove" ? (value is null ? "clear" : "remove") : op == "replace" ? "replace" : "add", ids, null));
            }
            else if (System.Text.RegularExpressions.Regex.Match(p, "^members\\[value eq \"([0-9]{1,18})\"\\]$", System.Text.RegularExpressions.RegexOptions.IgnoreCase) is { Success: true } one)
            {
                if (op != "remove") throw new ScimError(400, "invalidPath", "Only remove may target one member.");
                steps.Add(("remove", [long.Parse(one.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)], null));
            }
            else if (p.Equals("externalId", StringComparison.OrdinalIgnoreCase))
            {
                // Kept by the directory only; teams have no external id here.
            }
            else
            {
                throw new ScimError(400, "invalidPath", $"Groups have no attribute {p}.");
            }
        }
        await db.WriteAsync(async (c, t) =>
        {
            if (await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM teams WHERE id = @id AND site_id = @site AND active = 1", new { id, site }, t) == 0) throw ScimUsers.NotFound(id);
            var added = 0;
            var removed = 0;
            foreach (var (kind, ids, name) in steps)
            {
                switch (kind)
                {
                    case "name":
                        if (await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM teams WHERE site_id = @site AND active = 1 AND id <> @id AND (name_en = @name OR name_zh = @name)", new { site, id, name }, t) > 0)
                            throw new ScimError(409, "uniqueness", $"A team named {name} already exists at this site.");
                        await c.ExecuteAsync("UPDATE teams SET name_zh = @name, name_en = @name WHERE id = @id", new { name, id }, t);
                        break;
                    case "add": added += await SetMembersAsync(c, t, site, id, ids, add: true); break;
                    case "remove": removed += await SetMembersAsync(c, t, site, id, ids, add: false); break;
                    case "clear": removed += await c.ExecuteAsync("UPDATE employees SET team_id = NULL WHERE team_id = @id", new { id }, t); break;
                    case "replace":
                        removed += await c.ExecuteAsync("UPDATE employees SET team_id = NULL WHERE team_id = @id", new { id }, t);
                        added += await SetMembersAsync(c, t, site, id, ids, add: true);
                        break;
                }
            }
            await Audit.WriteAsync(c, t, new AuditEntry(null, "team.update", $"team:{id}", site, After: new { added, removed, renamed = steps.Any(s => s.Kind == "name") }, Detail: "scim", Ip: ip), now);
        });
    }

    public async Task ReplaceAsync(long site, long id, JsonObject body, string? ip, DateTime now)
    {
        ScimJson.RequireSchema(body, ScimSchemas.Group);
        var name = Name(body["displayName"]);
        var members = body["members"] is JsonArray m ? MemberIds(m) : [];
        await db.WriteAsync(async (c, t) =>
        {
            if (await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM teams WHERE id = @id AND site_id = @site AND active = 1", new { id, site }, t) == 0) throw ScimUsers.NotFound(id);
            await c.ExecuteAsync("UPDATE teams SET name_zh = @name, name_en = @name WHERE id = @id", new { name, id }, t);
            await c.ExecuteAsync("UPDATE employees SET team_id = NULL WHERE team_id = @id", new { id }, t);
            await SetMembersAsync(c, t, site, id, members, add: true);
            await Audit.WriteAsync(c, t, new AuditEntry(null, "team.update", $"team:{id}", site, After: new { name, members = members.Count }, Detail: "scim", Ip: ip), now);
        });
    }

    public Task DeactivateAsync(long site, long id, string? ip, DateTime now) =>
        db.WriteAsync(async (c, t) =>
        {
            if (await c.ExecuteAsync("UPDATE teams SET active = 0 WHERE id = @id AND site_id = @site AND active = 1", new { id, site }, t) != 1) throw ScimUsers.NotFound(id);
            await Audit.WriteAsync(c, t, new AuditEntry(null, "team.deactivate", $"team:{id}", site, Detail: "scim", Ip: ip), now);
        });

    /// <summary>Moves people into (or out of) the team; every id must be a person of this site, or nothing is written.</summary>
    private static async Task<int> SetMembersAsync(DbConnection c, DbTransaction t, long site, long team, List<long> ids, bool add)
    {
        var n = 0;
        foreach (var chunk in ids.Distinct().Chunk(Chunk))
        {
            var known = await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM employees WHERE site_id = @site AND id IN @chunk", new { site, chunk }, t);
            if (known != chunk.Length) throw new ScimError(400, "invalidValue", "Every member must be a person of this site (by SCIM id).");
            n += add
                ? await c.ExecuteAsync("UPDATE employees SET team_id = @team, version = version + 1 WHERE site_id = @site AND id IN @chunk", new { team, site, chunk }, t)
                : await c.ExecuteAsync("UPDATE employees SET team_id = NULL, version = version + 1 WHERE team_id = @team AND id IN @chunk", new { team, chunk }, t);
        }
        return n;
    }

    private static List<long> MemberIds(JsonArray members)
    {
        if (members.Count > MaxMembers) throw new ScimError(400, "tooMany", $"At most {MaxMembers} members per request.");
        var ids = new List<long>(members.Count);
        foreach (var m in members)
        {
            var text = m is JsonObject o ? ScimJson.Text(o["value"], "members.value") : ScimJson.Text(m, "members.value");
            if (!long.TryParse(text, out var id)) throw new ScimError(400, "invalidValue", "members.value must be a person's SCIM id.");
            ids.Add(id);
        }
        return ids;
    }

    private static string Name(JsonNode? node)
    {
        var name = TextRules.Clean(ScimJson.Text(node, "displayName", 200));
        if (name.Length is 0 or > 100) throw new ScimError(400, "invalidValue", "displayName is required (at most 100 characters).");
        return name;
    }

    private static async Task<string> FreeCodeAsync(DbConnection c, DbTransaction t, string name)
    {
        var slug = new string(name.ToUpperInvariant().Where(char.IsAsciiLetterOrDigit).Take(20).ToArray());
        if (slug.Length == 0) slug = "TEAM";
        var code = slug;
        for (var i = 2; await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM teams WHERE UPPER(code) = @code", new { code }, t) > 0; i++)
        {
            code = $"{slug}-{i.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
        }
        return code;
    }

    private static async Task<JsonObject> ToJsonAsync(DbConnection c, Team team, bool members, string baseUrl)
    {
        var id = team.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var o = new JsonObject
        {
            ["schemas"] = new JsonArray(ScimSchemas.Group),
            ["id"] = id,
            ["displayName"] = team.NameEn == team.NameZh ? team.NameEn : Bilingual.Pick(team.NameZh, team.NameEn),
            ["meta"] = new JsonObject { ["resourceType"] = "Group", ["location"] = $"{baseUrl}/scim/v2/Groups/{id}" },
        };
        if (members)
        {
            var rows = await c.QueryAsync<(long Id, string? NameZh, string? NameEn)>("SELECT id, name_zh, name_en FROM employees WHERE team_id = @Id AND active = 1 ORDER BY id", team);
            o["members"] = new JsonArray(rows.Select(r => (JsonNode)new JsonObject
            {
                ["value"] = r.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["display"] = r.NameZh ?? r.NameEn,
                ["$ref"] = $"{baseUrl}/scim/v2/Users/{r.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)}",
            }).ToArray());
        }
        return o;
    }
}
