using System.Net;
using Recognition.Tests.Support;
using Recognition.Web.Features.Claims;
using Recognition.Web.Features.Recognize;
using Recognition.Web.Infrastructure.Data;

namespace Recognition.Tests.Admin;

/// <summary>
/// Two sites. Every id a request carries is checked against what the caller may see: a site admin of site A, or an
/// employee of site A, gets nothing of site B — and nothing is written — while an organisation admin may act on both.
/// </summary>
public sealed class CrossSiteTests : IAsyncLifetime
{
    private readonly AppFactory _app = new();
    private World _w = null!;
    private const string Message = "你在夜班主动帮我们盘点了全部的备件，谢谢你。";

    public async Task InitializeAsync()
    {
        _w = await World.CreateAsync(_app);
        await _w.AddSecondSiteAsync(_app);
    }

    private async Task<long> DeviceAtBAsync()
    {
        var admin = await Session.SignInAsync(_app, "AB1");
        await admin.PostFormAsync("/Admin/Devices?handler=Create", new() { ["kind"] = "display", ["name"] = "Shenzhen TV", ["teamId"] = "", ["locale"] = "zh-CN" }, formPage: "/Admin/Devices");
        return await DbProbe.ScalarAsync<long>(_app.Db, "SELECT MAX(id) FROM devices");
    }

    [Fact]
    public async Task A_site_admin_cannot_issue_a_pairing_code_for_or_revoke_another_site_s_device()
    {
        var device = await DeviceAtBAsync();
        var a1 = await Session.SignInAsync(_app, "A1");
        var before = await DbProbe.FingerprintAsync(_app.Db);
        var hash = await DbProbe.ScalarAsync<string?>(_app.Db, "SELECT pairing_code_hash FROM devices WHERE id = @device", new { device });
        var code = await a1.PostFormAsync("/Admin/Devices?handler=Code", new() { ["id"] = device.ToString() }, formPage: "/Admin/Devices");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, code.StatusCode);
        Assert.Null((await Session.Doc(code)).QuerySelector("#pairing-code"));
        var revoke = await a1.PostFormAsync("/Admin/Devices?handler=Revoke", new() { ["id"] = device.ToString() }, formPage: "/Admin/Devices");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, revoke.StatusCode);
        Assert.Equal(before, await DbProbe.FingerprintAsync(_app.Db));
        Assert.Equal(hash, await DbProbe.ScalarAsync<string?>(_app.Db, "SELECT pairing_code_hash FROM devices WHERE id = @device", new { device }));
        Assert.Equal(0, await DbProbe.ScalarAsync<int>(_app.Db, "SELECT COUNT(*) FROM devices WHERE revoked_utc IS NOT NULL"));
        // The organisation admin may.
        var org = await Session.SignInAsync(_app, "OA1");
        Assert.Equal(HttpStatusCode.OK, (await org.PostFormAsync("/Admin/Devices?handler=Code", new() { ["id"] = device.ToString() }, formPage: "/Admin/Devices")).StatusCode);
    }

    [Fact]
    public async Task A_site_admin_cannot_revoke_another_site_s_recognition()
    {
        var colleague = await _app.Get<PeopleStore>().CreateAsync(new(_w.SiteB, _w.TeamC, "EB2", "同事", "Colleague"));
        var award = await _app.Get<AwardService>().AwardAsync(new AwardCommand(_w.Eve, [colleague], _w.Badges["mentor"], null, Message, "public", 5, Idempotency.NewKey()), _app.Clock.UtcNow);
        Assert.True(award.Ok, award.Error);
        var a1 = await Session.SignInAsync(_app, "A1");
        var before = await DbProbe.FingerprintAsync(_app.Db);
        var res = await a1.PostFormAsync("/Admin?handler=Revoke", new() { ["id"] = award.Id!.Value.ToString(), ["reason"] = "不是我们厂的" }, formPage: "/Admin");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, res.StatusCode);
        Assert.Equal(before, await DbProbe.FingerprintAsync(_app.Db));
        Assert.True((await _app.Get<Web.Features.Admin.RevokeService>().RevokeAsync(award.Id!.Value, new AdminScope(_w.OrgAdmin, _w.SiteId, true), "集团撤销：重复提交", null, _app.Clock.UtcNow)).Ok);
    }

    [Fact]
    public async Task Claims_of_another_site_are_not_listed_decided_or_shown_to_a_site_admin()
    {
        var claim = await _app.Get<ClaimService>().SubmitAsync(new ClaimCommand(_w.Eve, _w.Rules["hazard_report"], "深圳二号门口地面有油渍，已放警示牌。", null,
            new Photo(Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAAC0lEQVR4nGNgAAIAAAUAAXpeqz8AAAAASUVORK5CYII="), "image/png"), Idempotency.NewKey()), _app.Clock.UtcNow);
        Assert.True(claim.Ok, claim.Error);
        var a1 = await Session.SignInAsync(_app, "A1");
        var page = await a1.GetDocAsync("/Supervisor/Approvals");
        Assert.DoesNotContain("深圳二号门口", page.Body!.TextContent);
        var before = await DbProbe.FingerprintAsync(_app.Db);
        var approve = await a1.PostFormAsync("/Supervisor/Approvals?handler=Approve", new() { ["id"] = claim.Id!.Value.ToString() }, formPage: "/Supervisor/Approvals");
        Assert.NotEqual(HttpStatusCode.Redirect, approve.StatusCode);
        Assert.Equal(before, await DbProbe.FingerprintAsync(_app.Db));
        Assert.NotEqual(HttpStatusCode.OK, (await a1.Client.GetAsync($"/Supervisor/Approvals?handler=Photo&id={claim.Id}")).StatusCode);
        Assert.Equal("Error.NotYourTeam", (await _app.Get<ClaimService>().ApproveAsync(claim.Id.Value, _w.Admin, _w.AdminScope, false, _app.Clock.UtcNow)).Error);
        // Site B's own admin sees and decides it.
        var ab1 = await Session.SignInAsync(_app, "AB1");
        Assert.Contains("深圳二号门口", (await ab1.GetDocAsync("/Supervisor/Approvals")).Body!.TextContent);
        Assert.Equal(HttpStatusCode.OK, (await ab1.Client.GetAsync($"/Supervisor/Approvals?handler=Photo&id={claim.Id}")).StatusCode);
    }

    [Fact]
    public async Task A_site_admin_cannot_print_for_another_site_s_team()
    {
        var a1 = await Session.SignInAsync(_app, "A1");
        var summary = await a1.Client.GetAsync($"/Supervisor/Summary?Team={_w.TeamC}");
        Assert.NotEqual(HttpStatusCode.OK, summary.StatusCode);
        var own = await a1.GetDocAsync("/Supervisor/Summary");
        Assert.DoesNotContain("深圳装配", own.Body!.TextContent);
        var colleague = await _app.Get<PeopleStore>().CreateAsync(new(_w.SiteB, _w.TeamC, "EB2", "同事", "Colleague"));
        var award = await _app.Get<AwardService>().AwardAsync(new AwardCommand(_w.Eve, [colleague], _w.Badges["mentor"], null, Message, "public", 5, Idempotency.NewKey()), _app.Clock.UtcNow);
        Assert.Equal(HttpStatusCode.NotFound, (await a1.Client.GetAsync($"/print/certificates/recognition/{award.Id}")).StatusCode);
        var ab1 = await Session.SignInAsync(_app, "AB1");
        Assert.Equal(HttpStatusCode.OK, (await ab1.Client.GetAsync($"/print/certificates/recognition/{award.Id}")).StatusCode);
    }

    [Fact]
    public async Task An_employee_cannot_recognise_look_up_or_view_someone_of_another_site()
    {
        var before = await DbProbe.FingerprintAsync(_app.Db);
        var outcome = await _app.Get<AwardService>().AwardAsync(new AwardCommand(_w.Giver, [_w.Eve], _w.Badges["mentor"], null, Message, "public", 5, Idempotency.NewKey()), _app.Clock.UtcNow);
        Assert.Equal("Error.UnknownRecipient", outcome.Error);
        Assert.Equal(before, await DbProbe.FingerprintAsync(_app.Db));
        var e1 = await Session.SignInAsync(_app, "E1");
        Assert.Equal(HttpStatusCode.NotFound, (await e1.Client.GetAsync($"/Recognize?handler=Chip&id={_w.Eve}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await e1.Client.GetAsync($"/People/{_w.Eve}")).StatusCode);
        Assert.Empty((await e1.GetDocAsync("/Recognize?handler=Search&q=EB1")).QuerySelectorAll("[data-person-id]"));
        Assert.Equal(HttpStatusCode.OK, (await e1.Client.GetAsync($"/Recognize?handler=Chip&id={_w.Bob}")).StatusCode);
    }

    public Task DisposeAsync()
    {
        _app.Dispose();
        return Task.CompletedTask;
    }
}
