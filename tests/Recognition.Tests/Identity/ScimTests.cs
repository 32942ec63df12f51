using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Recognition.Tests.Support;
using Recognition.Web.Features.Scim;

namespace Recognition.Tests.Identity;

/// <summary>
/// SCIM 2.0 through the real app and database, with request sequences shaped like Entra ID's and Okta's provisioning
/// validators: create, duplicate (409), filter, patch in their dialects, deactivate, reactivate, group membership.
/// </summary>
public sealed class ScimTests : IAsyncLifetime
{
    private readonly AppFactory _app = new();
    private World _w = null!;
    private HttpClient _scim = null!;
    private string _tokenB = "";

    public async Task InitializeAsync()
    {
        _w = await World.CreateAsync(_app);
        await _w.AddSecondSiteAsync(_app);
        var tokens = _app.Get<ScimTokens>();
        var (ok, token) = await tokens.CreateAsync(_w.SiteId, "Entra ID", new AdminScope(_w.Admin, _w.SiteId, false), null, DateTime.UtcNow);
        Assert.True(ok.Ok);
        (_, var tokenB) = await tokens.CreateAsync(_w.SiteB, "Okta", new AdminScope(_w.OrgAdmin, _w.SiteId, true), null, DateTime.UtcNow);
        _tokenB = tokenB!;
        _scim = Client(token!);
    }

    public Task DisposeAsync() => _app.DisposeAsync().AsTask();

    private HttpClient Client(string token)
    {
        var c = _app.CreateClient();
        c.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return c;
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/scim+json");

    private static async Task<JsonObject> Body(HttpResponseMessage res) => JsonNode.Parse(await res.Content.ReadAsStringAsync())!.AsObject();

    private static string User(string userName, string? externalId = null, string extra = "") =>
        $$"""
        {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
         "userName":"{{userName}}","externalId":{{(externalId is null ? "null" : $"\"{externalId}\"")}},"active":true,
         "name":{"givenName":"Mei","familyName":"Lin"},"emails":[{"primary":true,"type":"work","value":"{{userName.ToLowerInvariant()}}@plant.example.com"}]{{extra}}}
        """;

    [Fact]
    public async Task The_hire_date_comes_in_the_enterprise_extension_for_anniversaries_and_a_bad_one_is_refused()
    {
        const string ext = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
        var created = await _scim.PostAsync("/scim/v2/Users", Json(User("N600", "aad-6", $",\"{ext}\":{{\"hireDate\":\"2021-11-18T00:00:00Z\"}}")));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (string)(await Body(created))["id"]!;
        Assert.Equal("2021-11-18", (string?)(await Body(created))[ext]!["hireDate"]);
        Assert.Equal(20211118, await DbProbe.ScalarAsync<int>(_app.Db, $"SELECT hire_day FROM employees WHERE id = {id}"));
        // A PATCH by path changes it; a value that is no date is a 400 and changes nothing.
        var patch = await _scim.PatchAsync($"/scim/v2/Users/{id}", Json($$"""
            {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"Replace","path":"{{ext}}:hireDate","value":"2020-03-02"}]}
            """));
        Assert.Equal(HttpStatusCode.OK, patch.StatusCode);
        var bad = await _scim.PatchAsync($"/scim/v2/Users/{id}", Json($$"""
            {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"Replace","path":"{{ext}}:hireDate","value":"next spring"}]}
            """));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal(20200302, await DbProbe.ScalarAsync<int>(_app.Db, $"SELECT hire_day FROM employees WHERE id = {id}"));
    }

    [Fact]
    public async Task An_Entra_shaped_sequence_creates_finds_patches_deactivates_and_reactivates_a_person()
    {
        // Entra first looks the person up by the matching attribute, finds nobody, creates.
        var none = await Body(await _scim.GetAsync("/scim/v2/Users?filter=" + Uri.EscapeDataString("userName eq \"N500\"")));
        Assert.Equal(0, (int)none["totalResults"]!);
        var created = await _scim.PostAsync("/scim/v2/Users", Json(User("N500", "aad-1", ",\"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User\":{\"department\":\"Quality\"}")));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("application/scim+json", created.Content.Headers.ContentType!.MediaType);
        var user = await Body(created);
        var id = (string)user["id"]!;
        Assert.EndsWith($"/scim/v2/Users/{id}", created.Headers.Location!.ToString());
        var row = (await DbProbe.QueryAsync<(string No, string En, long Team, string Mail, long Site)>(_app.Db,
            "SELECT employee_no, name_en, team_id, email, site_id FROM employees WHERE id = @id", new { id = long.Parse(id) })).Single();
        Assert.Equal(("N500", "Mei Lin", _w.TeamB, "n500@plant.example.com", _w.SiteId), row);

        // A second create with the same userName is a conflict, and writes nothing.
        var before = await DbProbe.FingerprintAsync(_app.Db);
        var dup = await _scim.PostAsync("/scim/v2/Users", Json(User("n500", "aad-2")));
        Assert.Equal(HttpStatusCode.Conflict, dup.StatusCode);
        var err = await Body(dup);
        Assert.Equal("uniqueness", (string?)err["scimType"]);
        Assert.Equal("409", (string?)err["status"]);
        Assert.Contains("urn:ietf:params:scim:api:messages:2.0:Error", err["schemas"]!.ToJsonString());
        Assert.Equal(before, await DbProbe.FingerprintAsync(_app.Db));

        // Filters by userName (any case) and externalId.
        Assert.Equal(1, (int)(await Body(await _scim.GetAsync("/scim/v2/Users?filter=" + Uri.EscapeDataString("userName eq \"n500\""))))["totalResults"]!);
        Assert.Equal(1, (int)(await Body(await _scim.GetAsync("/scim/v2/Users?filter=" + Uri.EscapeDataString("externalId eq \"aad-1\""))))["totalResults"]!);

        // Entra's PATCH dialect: "Replace" capitalised, booleans as strings, the enterprise manager by path.
        var signedIn = await Session.SignInAsync(_app, "S1");
        var patch = await _scim.PatchAsync($"/scim/v2/Users/{id}", Json($$"""
            {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[
              {"op":"Replace","path":"name.givenName","value":"May"},
              {"op":"Add","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager","value":"{{_w.SupA}}"},
              {"op":"Replace","path":"emails[type eq \"work\"].value","value":"may.lin@plant.example.com"},
              {"op":"Add","path":"phoneNumbers[type eq \"work\"].value","value":"123"}]}
            """));
        Assert.Equal(HttpStatusCode.OK, patch.StatusCode);
        var patched = (await DbProbe.QueryAsync<(string En, long Manager, string Mail)>(_app.Db, "SELECT name_en, manager_id, email FROM employees WHERE id = @id", new { id = long.Parse(id) })).Single();
        Assert.Equal(("May Lin", _w.SupA, "may.lin@plant.example.com"), patched);

        var off = await _scim.PatchAsync($"/scim/v2/Users/{id}", Json("""{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"Replace","path":"active","value":"False"}]}"""));
        Assert.Equal(HttpStatusCode.OK, off.StatusCode);
        Assert.False((bool)(await Body(off))["active"]!);
        Assert.Equal(0, await DbProbe.ScalarAsync<long>(_app.Db, "SELECT active FROM employees WHERE id = @id", new { id = long.Parse(id) }));
        Assert.Equal(1, await DbProbe.ScalarAsync<long>(_app.Db, "SELECT COUNT(*) FROM audit_log WHERE action = 'person.deactivate' AND detail = 'scim'"));

        var on = await _scim.PatchAsync($"/scim/v2/Users/{id}", Json("""{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"Replace","value":{"active":"True"}}]}"""));
        Assert.Equal(HttpStatusCode.OK, on.StatusCode);
        Assert.Equal(1, await DbProbe.ScalarAsync<long>(_app.Db, "SELECT active FROM employees WHERE id = @id", new { id = long.Parse(id) }));
        Assert.True(signedIn.Client is not null);
    }

    [Fact]
    public async Task An_Okta_shaped_sequence_pages_replaces_deactivates_by_add_and_deletes_without_losing_history()
    {
        for (var i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.Created, (await _scim.PostAsync("/scim/v2/Users", Json(User($"K10{i}")))).StatusCode);
        var page = await Body(await _scim.GetAsync("/scim/v2/Users?startIndex=2&count=3"));
        var total = await DbProbe.ScalarAsync<long>(_app.Db, "SELECT COUNT(*) FROM employees WHERE site_id = @s", new { s = _w.SiteId });
        Assert.Equal(total, (long)page["totalResults"]!);
        Assert.Equal(2, (int)page["startIndex"]!);
        Assert.Equal(3, (int)page["itemsPerPage"]!);
        Assert.Equal(3, page["Resources"]!.AsArray().Count);

        // Existing people (imported before SCIM) are found by their employee number as userName.
        var alice = await Body(await _scim.GetAsync("/scim/v2/Users?filter=" + Uri.EscapeDataString("userName eq \"E2\"")));
        var aliceId = (string)alice["Resources"]![0]!["id"]!;
        Assert.Equal(_w.Alice.ToString(), aliceId);

        // PUT replaces; Okta deactivates with a replace of active=false; some clients use op add.
        var put = await _scim.PutAsync($"/scim/v2/Users/{aliceId}", Json(User("E2", "okta-1").Replace("\"active\":true", "\"active\":true,\"displayName\":\"Jing Chen-Wu\"")));
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal("Jing Chen-Wu", await DbProbe.ScalarAsync<string>(_app.Db, "SELECT name_en FROM employees WHERE id = @id", new { id = _w.Alice }));
        Assert.Equal("陈静", await DbProbe.ScalarAsync<string>(_app.Db, "SELECT name_zh FROM employees WHERE id = @id", new { id = _w.Alice }));
        var add = await _scim.PatchAsync($"/scim/v2/Users/{aliceId}", Json("""{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"add","value":{"active":false}}]}"""));
        Assert.Equal(HttpStatusCode.OK, add.StatusCode);
        Assert.Equal(0, await DbProbe.ScalarAsync<long>(_app.Db, "SELECT active FROM employees WHERE id = @id", new { id = _w.Alice }));

        // DELETE deactivates Bob and keeps everything recorded about him.
        var bobId = _w.Bob.ToString();
        Assert.Equal(HttpStatusCode.NoContent, (await _scim.DeleteAsync($"/scim/v2/Users/{bobId}")).StatusCode);
        Assert.Equal(0, await DbProbe.ScalarAsync<long>(_app.Db, "SELECT active FROM employees WHERE id = @id", new { id = _w.Bob }));
        Assert.Equal(HttpStatusCode.OK, (await _scim.GetAsync($"/scim/v2/Users/{bobId}")).StatusCode);
    }

    [Fact]
    public async Task Deactivation_through_scim_ends_the_persons_sessions()
    {
        var bob = await Session.SignInAsync(_app, "E3");
        Assert.Equal(HttpStatusCode.OK, (await bob.Client.GetAsync("/Me")).StatusCode);
        var res = await _scim.PatchAsync($"/scim/v2/Users/{_w.Bob}", Json("""{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"active","value":false}]}"""));
        Assert.Equal(HttpStatusCode.OK, res.StatusCode);
        Assert.NotEqual(HttpStatusCode.OK, (await bob.Client.GetAsync("/Me")).StatusCode);
    }

    [Fact]
    public async Task Groups_are_teams_and_membership_moves_people_in_and_out()
    {
        var created = await _scim.PostAsync("/scim/v2/Groups", Json($$"""{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"Paint Shop","members":[{"value":"{{_w.Bob}}"}]}"""));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var gid = (string)(await Body(created))["id"]!;
        Assert.Equal(long.Parse(gid), await DbProbe.ScalarAsync<long>(_app.Db, "SELECT team_id FROM employees WHERE id = @id", new { id = _w.Bob }));

        var add = await _scim.PatchAsync($"/scim/v2/Groups/{gid}", Json($$"""{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"Add","path":"members","value":[{"value":"{{_w.Carol}}"},{"value":"{{_w.Dave}}"}]}]}"""));
        Assert.Equal(HttpStatusCode.NoContent, add.StatusCode);
        var remove = await _scim.PatchAsync($"/scim/v2/Groups/{gid}", Json($$"""{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"Remove","path":"members[value eq \"{{_w.Carol}}\"]"}]}"""));
        Assert.Equal(HttpStatusCode.NoContent, remove.StatusCode);
        var group = await Body(await _scim.GetAsync($"/scim/v2/Groups/{gid}"));
        Assert.Equal(new[] { _w.Bob.ToString(), _w.Dave.ToString() }, group["members"]!.AsArray().Select(m => (string)m!["value"]!).Order().ToArray());
        var slim = await Body(await _scim.GetAsync($"/scim/v2/Groups?filter={Uri.EscapeDataString("displayName eq \"Paint Shop\"")}&excludedAttributes=members"));
        Assert.Null(slim["Resources"]![0]!["members"]);

        // One unknown member (another site's person) refuses the whole PATCH: nobody moves.
        var before = await DbProbe.FingerprintAsync(_app.Db);
        var mixed = await _scim.PatchAsync($"/scim/v2/Groups/{gid}", Json($$"""{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"add","path":"members","value":[{"value":"{{_w.Giver}}"},{"value":"{{_w.Eve}}"}]}]}"""));
        Assert.Equal(HttpStatusCode.BadRequest, mixed.StatusCode);
        Assert.Equal("invalidValue", (string?)(await Body(mixed))["scimType"]);
        Assert.Equal(before, await DbProbe.FingerprintAsync(_app.Db));
    }

    [Fact]
    public async Task A_group_patch_with_ten_thousand_members_is_one_transaction()
    {
        var ids = await _app.Db.WriteAsync(async (c, t) =>
        {
            var list = new List<long>();
            for (var i = 0; i < 10_000; i++)
            {
                list.Add(await _app.Get<PeopleStore>().CreateAsync(c, t, new NewEmployee(_w.SiteId, null, $"M{i:00000}", null, $"Member {i}")));
            }
            return list;
        });
        var members = string.Join(",", ids.Select(i => $"{{\"value\":\"{i}\"}}"));
        var res = await _scim.PatchAsync($"/scim/v2/Groups/{_w.TeamA}", Json($$"""{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"add","path":"members","value":[{{members}}]}]}"""));
        Assert.Equal(HttpStatusCode.NoContent, res.StatusCode);
        Assert.Equal(10_000, await DbProbe.ScalarAsync<long>(_app.Db, "SELECT COUNT(*) FROM employees WHERE team_id = @t AND employee_no LIKE 'M%'", new { t = _w.TeamA }));
    }

    [Fact]
    public async Task Bad_bodies_and_tokens_get_scim_errors_and_write_nothing()
    {
        var before = await DbProbe.FingerprintAsync(_app.Db);
        var notJson = await _scim.PostAsync("/scim/v2/Users", Json("userName=N9"));
        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
        Assert.Equal("invalidSyntax", (string?)(await Body(notJson))["scimType"]);
        var wrongSchema = await _scim.PostAsync("/scim/v2/Users", Json("""{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"userName":"N9"}"""));
        Assert.Equal("invalidSyntax", (string?)(await Body(wrongSchema))["scimType"]);
        var badNumber = await _scim.PostAsync("/scim/v2/Users", Json(User("mei lin@plant")));
        Assert.Equal("invalidValue", (string?)(await Body(badNumber))["scimType"]);
        var badFilter = await _scim.GetAsync("/scim/v2/Users?filter=" + Uri.EscapeDataString("userName sw \"E\""));
        Assert.Equal("invalidFilter", (string?)(await Body(badFilter))["scimType"]);
        // A PATCH whose second operation is bad applies neither.
        var partial = await _scim.PatchAsync($"/scim/v2/Users/{_w.Alice}", Json("""{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"displayName","value":"Changed"},{"op":"replace","path":"active","value":"maybe"}]}"""));
        Assert.Equal(HttpStatusCode.BadRequest, partial.StatusCode);
        Assert.Equal(before, await DbProbe.FingerprintAsync(_app.Db));

        // No token, a wrong token, a revoked token: 401 as a SCIM error.
        var anonymous = await _app.CreateClient().GetAsync("/scim/v2/Users");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("401", (string?)(await Body(anonymous))["status"]);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Client("scim_not-a-real-token-at-all-0000").GetAsync("/scim/v2/Users")).StatusCode);

        // Site B's token sees none of site A's people, and cannot touch them.
        var b = Client(_tokenB);
        Assert.Equal(HttpStatusCode.NotFound, (await b.GetAsync($"/scim/v2/Users/{_w.Alice}")).StatusCode);
        Assert.Equal(0, (int)(await Body(await b.GetAsync("/scim/v2/Users?filter=" + Uri.EscapeDataString("userName eq \"E2\""))))["totalResults"]!);
        Assert.Equal(HttpStatusCode.NotFound, (await b.DeleteAsync($"/scim/v2/Users/{_w.Alice}")).StatusCode);
        var tokenId = await DbProbe.ScalarAsync<long>(_app.Db, "SELECT id FROM scim_tokens WHERE site_id = @s", new { s = _w.SiteB });
        Assert.True((await _app.Get<ScimTokens>().RevokeAsync(tokenId, new AdminScope(_w.OrgAdmin, _w.SiteId, true), null, DateTime.UtcNow)).Ok);
        Assert.Equal(HttpStatusCode.Unauthorized, (await b.GetAsync("/scim/v2/Users")).StatusCode);
        Assert.Equal(1, await DbProbe.ScalarAsync<long>(_app.Db, "SELECT active FROM employees WHERE id = @id", new { id = _w.Alice }));
    }

    [Fact]
    public async Task Discovery_documents_describe_the_service()
    {
        var config = await Body(await _scim.GetAsync("/scim/v2/ServiceProviderConfig"));
        Assert.True((bool)config["patch"]!["supported"]!);
        Assert.False((bool)config["bulk"]!["supported"]!);
        var types = await Body(await _scim.GetAsync("/scim/v2/ResourceTypes"));
        Assert.Equal(2, (int)types["totalResults"]!);
        var schemas = await Body(await _scim.GetAsync("/scim/v2/Schemas"));
        Assert.Contains("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User", schemas.ToJsonString());
    }
}
