using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Recognition.Tests.Support;

namespace Recognition.Tests.Channels;

/// <summary>/api/v1 through the real app: tokens made in Admin, behaviours reported as claims, BI reads, problem details.</summary>
public sealed class ApiTests : IAsyncLifetime
{
    private readonly AppFactory _app = new();
    private World _w = null!;
    private string _rule = "";
    private string _autoRule = "";

    public async Task InitializeAsync()
    {
        _w = await World.CreateAsync(_app);
        var rules = await _app.Db.ReadAsync(c => Dapper.SqlMapper.QueryAsync<(string Code, long Approval)>(c,
            "SELECT code, requires_approval FROM behaviour_rules WHERE active = 1 AND claimable = 1 ORDER BY code"));
        _rule = rules.First(r => r.Approval == 1).Code;
        _autoRule = rules.FirstOrDefault(r => r.Approval == 0).Code ?? "";
    }

    public Task DisposeAsync() => _app.DisposeAsync().AsTask();

    private async Task<string> TokenAsync(Session admin, bool read, params string[] rules)
    {
        var fields = new Dictionary<string, string> { ["TokenName"] = "MES", ["TokenSite"] = _w.SiteId.ToString(), ["CanRead"] = read ? "true" : "false" };
        var res = await admin.PostFormAsync("/Admin/Api?handler=Token", fields, formPage: "/Admin/Api", extra: rules.Select(r => new KeyValuePair<string, string>("RuleCodes", r)));
        var doc = await Session.Doc(res);
        return doc.QuerySelector("#api-new-token")?.TextContent.Trim() ?? throw new InvalidOperationException(doc.QuerySelector("#api-error")?.TextContent);
    }

    private HttpClient Client(string token)
    {
        var c = _app.CreateClient();
        c.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        c.DefaultRequestHeaders.Add("Accept-Language", "en-US");
        return c;
    }

    private static async Task<HttpResponseMessage> ReportAsync(HttpClient c, object body, string? key)
    {
        var req = new HttpRequestMessage(HttpMethod.Post, "/api/v1/behaviours") { Content = JsonContent.Create(body) };
        if (key is not null) req.Headers.Add("Idempotency-Key", key);
        return await c.SendAsync(req);
    }

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage res)
    {
        Assert.Equal("application/problem+json", res.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(await res.Content.ReadAsStringAsync()).RootElement;
    }

    [Fact]
    public async Task A_reported_behaviour_becomes_one_claim_under_the_rules_approval_even_from_20_parallel_posts_with_one_key()
    {
        var admin = await Session.SignInAsync(_app, "A1", acceptLanguage: "en-US");
        var token = await TokenAsync(admin, read: false, _rule);
        Assert.DoesNotContain(token, await DbProbe.FingerprintAsync(_app.Db)); // stored hashed
        using var mes = Client(token);
        var body = new { rule = _rule, employeeNo = "e3", occurredAt = new DateTimeOffset(_app.Clock.UtcNow.AddHours(-1)), evidence = "MES 报警：3 号冲床光栅被遮挡，操作员停机并上报。", link = "https://mes.plant.example.com/alarms/8812" };
        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => ReportAsync(mes, body, "mes-alarm-8812")));
        Assert.All(answers, a => Assert.True(a.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, a.StatusCode.ToString()));
        Assert.Single(answers, a => a.StatusCode == HttpStatusCode.Created);
        var ids = await Task.WhenAll(answers.Select(async a => JsonDocument.Parse(await a.Content.ReadAsStringAsync()).RootElement.GetProperty("claimId").GetInt64()));
        Assert.Single(ids.Distinct());
        Assert.Equal(1, await DbProbe.ScalarAsync<long>(_app.Db, $"SELECT COUNT(*) FROM claims WHERE employee_id = {_w.Bob} AND api_token_id IS NOT NULL AND status = 'pending'"));
        // It waits for the supervisor like a person's report: it is on S2's approval list (Bob's team lead).
        var supervisor = await Session.SignInAsync(_app, "S2", acceptLanguage: "en-US");
        Assert.Contains("光栅", (await supervisor.GetDocAsync("/Supervisor/Approvals")).DocumentElement.TextContent);
    }

    [Fact]
    public async Task Tokens_are_scoped_to_rules_to_reading_and_to_their_site_and_revocation_ends_them()
    {
        var admin = await Session.SignInAsync(_app, "A1", acceptLanguage: "en-US");
        var reader = await TokenAsync(admin, read: true);
        var writer = await TokenAsync(admin, read: false, _rule);
        using var r = Client(reader);
        using var w = Client(writer);
        var report = new { rule = _rule, employeeNo = "E3", evidence = "MES 报警：3 号冲床光栅被遮挡，操作员停机并上报。" };
        Assert.Equal(HttpStatusCode.Forbidden, (await ReportAsync(r, report, "reader-try-0001")).StatusCode); // a read token cannot report
        Assert.Equal(HttpStatusCode.Forbidden, (await w.GetAsync("/api/v1/recognitions")).StatusCode); // a write token cannot read
        var otherRule = await _app.Db.ReadAsync(c => Dapper.SqlMapper.ExecuteScalarAsync<string>(c, "SELECT code FROM behaviour_rules WHERE code <> @rule AND claimable = 1 AND active = 1", new { rule = _rule }));
        var forbidden = await ReportAsync(w, new { rule = otherRule, employeeNo = "E3", evidence = "x" }, "other-rule-0001");
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Contains(otherRule!, (await ProblemAsync(forbidden)).GetProperty("detail").GetString());

        // Another site's person is not found through this site's token.
        await _w.AddSecondSiteAsync(_app);
        var elsewhere = await ReportAsync(w, report with { }, "other-site-0001");
        Assert.Equal(HttpStatusCode.Created, elsewhere.StatusCode);
        var stranger = await ReportAsync(w, new { rule = _rule, employeeNo = "EB1", evidence = "MES 报警：3 号冲床光栅被遮挡，操作员停机并上报。" }, "other-site-0002");
        Assert.Equal(HttpStatusCode.NotFound, stranger.StatusCode);

        var id = await DbProbe.ScalarAsync<long>(_app.Db, "SELECT id FROM api_tokens WHERE can_read = 0");
        Assert.Equal(HttpStatusCode.OK, (await admin.PostFormAsync($"/Admin/Api?handler=Revoke&id={id}", new(), formPage: "/Admin/Api")).StatusCode);
        var revoked = await ReportAsync(w, report, "after-revoke-01");
        Assert.Equal(HttpStatusCode.Unauthorized, revoked.StatusCode);
        await ProblemAsync(revoked);
        Assert.Equal(2, await DbProbe.ScalarAsync<long>(_app.Db, "SELECT COUNT(*) FROM audit_log WHERE action = 'api.token_create'"));
        Assert.Equal(1, await DbProbe.ScalarAsync<long>(_app.Db, "SELECT COUNT(*) FROM audit_log WHERE action = 'api.token_revoke'"));
    }

    [Fact]
    public async Task Bad_bodies_get_problem_details_and_write_nothing()
    {
        var admin = await Session.SignInAsync(_app, "A1", acceptLanguage: "en-US");
        using var w = Client(await TokenAsync(admin, read: false, _rule));
        var before = await DbProbe.FingerprintAsync(_app.Db);
        var noKey = await ReportAsync(w, new { rule = _rule, employeeNo = "E3", evidence = "MES 报警：3 号冲床光栅被遮挡，操作员停机并上报。" }, null);
        Assert.Equal(HttpStatusCode.BadRequest, noKey.StatusCode);
        Assert.Contains("Idempotency-Key", (await ProblemAsync(noKey)).GetProperty("detail").GetString());
        var notJson = await w.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/api/v1/behaviours")
        { Content = new StringContent("{not json", System.Text.Encoding.UTF8, "application/json"), Headers = { { "Idempotency-Key", "bad-body-0001" } } });
        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
        var missing = await ReportAsync(w, new { evidence = "x", link = "javascript:alert(1)", occurredAt = DateTimeOffset.UtcNow.AddDays(3) }, "bad-body-0002");
        var problem = await ProblemAsync(missing);
        Assert.Equal(400, problem.GetProperty("status").GetInt32());
        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty("rule", out _) && errors.TryGetProperty("employeeNo", out _) && errors.TryGetProperty("link", out _) && errors.TryGetProperty("occurredAt", out _));
        var tooShort = await ReportAsync(w, new { rule = _rule, employeeNo = "E3", evidence = "短" }, "bad-body-0003");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, tooShort.StatusCode);
        Assert.False(string.IsNullOrWhiteSpace((await ProblemAsync(tooShort)).GetProperty("detail").GetString()));
        Assert.Equal(HttpStatusCode.Unauthorized, (await _app.CreateClient().GetAsync("/api/v1/recognitions")).StatusCode);
        Assert.Equal(before, await DbProbe.FingerprintAsync(_app.Db));
    }

    [Fact]
    public async Task BI_reads_public_recognitions_ledger_and_orders_of_its_site_after_a_cursor_with_the_pages_privacy()
    {
        var awards = _app.Get<Recognition.Web.Features.Recognize.AwardService>();
        async Task<long> AwardAsync(long to, string visibility) => (await awards.AwardAsync(new Recognition.Web.Features.Recognize.AwardCommand(_w.Giver, [to], _w.Badges["mentor"], null,
            "你连续三周主动帮新同事校准扭矩扳手，新人上手快多了。", visibility, 5, Guid.NewGuid().ToString("N")), _app.Clock.UtcNow)).Id!.Value;
        var open = await AwardAsync(_w.Alice, "public");
        await AwardAsync(_w.Bob, "private");
        await AwardAsync(_w.Carol, "team");
        await _app.Db.WriteAsync((c, t) => Dapper.SqlMapper.ExecuteAsync(c, "UPDATE employees SET leaderboard_opt_out = 1 WHERE id = @id", new { id = _w.Alice }, t));
        var admin = await Session.SignInAsync(_app, "A1", acceptLanguage: "en-US");
        using var bi = Client(await TokenAsync(admin, read: true));

        var page = JsonDocument.Parse(await bi.GetStringAsync("/api/v1/recognitions?after=0&limit=10")).RootElement;
        var items = page.GetProperty("items");
        Assert.Equal(1, items.GetArrayLength()); // neither the private nor the team-only one
        Assert.Equal(open, items[0].GetProperty("id").GetInt64());
        Assert.Equal(JsonValueKind.Null, items[0].GetProperty("pointsEach").ValueKind); // Alice is off the boards
        var ledger = JsonDocument.Parse(await bi.GetStringAsync("/api/v1/ledger")).RootElement.GetProperty("items");
        Assert.DoesNotContain(ledger.EnumerateArray(), e => e.GetProperty("employeeNo").GetString() == "E2");
        Assert.Equal(HttpStatusCode.BadRequest, (await bi.GetAsync("/api/v1/orders?limit=5000")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await bi.GetAsync("/api/v1/orders")).StatusCode);
        var next = JsonDocument.Parse(await bi.GetStringAsync($"/api/v1/recognitions?after={open}")).RootElement;
        Assert.Equal(0, next.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task The_OpenAPI_document_describes_the_endpoints()
    {
        var doc = JsonDocument.Parse(await _app.CreateClient().GetStringAsync("/api/v1/openapi.json")).RootElement;
        Assert.StartsWith("3.", doc.GetProperty("openapi").GetString());
        var paths = doc.GetProperty("paths");
        foreach (var p in new[] { "/api/v1/behaviours", "/api/v1/recognitions", "/api/v1/ledger", "/api/v1/orders" }) Assert.True(paths.TryGetProperty(p, out _), p);
        Assert.False(paths.TryGetProperty("/scim/v2/Users", out _));
    }
}
