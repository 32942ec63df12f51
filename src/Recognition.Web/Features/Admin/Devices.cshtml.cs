using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Recognition.Web.Features.Devices;
using Recognition.Web.Infrastructure.Web;

namespace Recognition.Web.Features.Admin;

public sealed class DeviceRow
{
    public long Id { get; init; }
    public string Kind { get; init; } = "";
    public string Name { get; init; } = "";
    public string? Slug { get; init; }
    public string Locale { get; init; } = "";
    public string? TeamZh { get; init; }
    public string? TeamEn { get; init; }
    public DateTime? EnrolledUtc { get; init; }
    public DateTime? RevokedUtc { get; init; }
}

/// <summary>HR admin: create wall displays and kiosks, hand out one-time pairing codes, revoke devices.</summary>
[Authorize(Policy = Policies.Admin)]
public sealed class DevicesModel(DeviceService devices, Db db, TimeProvider clock) : FormPage
{
    public IReadOnlyList<DeviceRow> Devices { get; private set; } = [];
    public IReadOnlyList<(long Id, string Name)> Teams { get; private set; } = [];
    public NewDevice? Issued { get; private set; }
    /// <summary>The admin's site's zone: times on this page are the site's local times.</summary>
    public string TimeZone { get; private set; } = "UTC";

    public Task OnGetAsync() => LoadAsync();

    public async Task<IActionResult> OnPostCreateAsync(string kind, string? name, long? teamId, string? locale)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var outcome = await devices.CreateAsync(User.EmployeeId(), User.SiteId(), teamId is > 0 ? teamId : null, kind, name, locale, now);
        if (!outcome.Ok) return await Fail(outcome.Error!, outcome.Args);
        Issued = await devices.IssuePairingCodeAsync(outcome.Id!.Value, AdminScope.Of(User), now);
        await LoadAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostCodeAsync(long id)
    {
        Issued = await devices.IssuePairingCodeAsync(id, AdminScope.Of(User), clock.GetUtcNow().UtcDateTime);
        if (Issued is null) return await Fail("Error.UnknownDevice");
        await LoadAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeAsync(long id)
    {
        var outcome = await devices.RevokeAsync(AdminScope.Of(User), id, clock.GetUtcNow().UtcDateTime);
        if (!outcome.Ok) return await Fail(outcome.Error!);
        await LoadAsync();
        return Page();
    }

    private async Task<IActionResult> Fail(string key, params object[] args)
    {
        await LoadAsync();
        return Refuse(key, args);
    }

    private async Task LoadAsync()
    {
        await using var c = await db.OpenAsync();
        Devices = (await c.QueryAsync<DeviceRow>(
            @"SELECT d.id AS Id, d.kind AS Kind, d.name AS Name, d.slug AS Slug, d.locale AS Locale, t.name_zh AS TeamZh, t.name_en AS TeamEn,
                     d.enrolled_utc AS EnrolledUtc, d.revoked_utc AS RevokedUtc
              FROM devices d LEFT JOIN teams t ON t.id = d.team_id WHERE d.site_id = @site ORDER BY d.id DESC", new { site = User.SiteId() })).ToList();
        Teams = (await c.QueryAsync<(long Id, string Zh, string En)>("SELECT id, name_zh, name_en FROM teams WHERE site_id = @site AND active = 1 ORDER BY id", new { site = User.SiteId() }))
            .Select(t => (t.Id, Recognition.Web.Domain.Bilingual.Pick(t.Zh, t.En))).ToList();
        TimeZone = await c.ExecuteScalarAsync<string>("SELECT time_zone FROM sites WHERE id = @site", new { site = User.SiteId() }) ?? "UTC";
    }
}
