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
    public DateTime? LastSeenUtc { get; init; }
    public DateTime? OfflineUtc { get; init; }
    public string? AppVersion { get; init; }
    public string? Screen { get; init; }

    /// <summary>Connected now: seen within the online window (refreshed while connected on any instance), not gone since.</summary>
    public bool Online(DateTime now, TimeSpan window) => RevokedUtc is null && LastSeenUtc is { } seen && OfflineUtc is null && now - seen <= window;
}

/// <summary>
/// HR admin: create wall displays and kiosks, hand out one-time pairing codes, see each one's state (connected now, last
/// seen, app version, screen), rename one, send it "reload", revoke it; walls offline too long in working hours are flagged.
/// </summary>
[Authorize(Policy = Policies.Admin)]
public sealed class DevicesModel(DeviceService devices, Db db, TimeProvider clock, IConfiguration config) : FormPage
{
    public DateTime Now { get; private set; }
    public TimeSpan Window => Walls.DevicePresence.OnlineWindow(config);
    /// <summary>Walls offline for more than Devices:OfflineAlertMinutes while their site is working.</summary>
    public IReadOnlyList<DeviceRow> OfflineAlerts { get; private set; } = [];
    public int AlertMinutes => config.GetValue("Devices:OfflineAlertMinutes", 15);
    public string? Message { get; private set; }

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

    public async Task<IActionResult> OnPostRenameAsync(long id, string? name)
    {
        var outcome = await devices.RenameAsync(AdminScope.Of(User), id, name, clock.GetUtcNow().UtcDateTime);
        if (!outcome.Ok) return await Fail(outcome.Error!, outcome.Args);
        await LoadAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostReloadAsync(long id)
    {
        Message = Show(await devices.ReloadAsync(AdminScope.Of(User), id, clock.GetUtcNow().UtcDateTime), "Devices.ReloadSent");
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
                     d.enrolled_utc AS EnrolledUtc, d.revoked_utc AS RevokedUtc, d.last_seen_utc AS LastSeenUtc, d.offline_utc AS OfflineUtc,
                     d.app_version AS AppVersion, d.screen AS Screen
              FROM devices d LEFT JOIN teams t ON t.id = d.team_id WHERE d.site_id = @site ORDER BY d.id DESC", new { site = User.SiteId() })).ToList();
        Teams = (await c.QueryAsync<(long Id, string Zh, string En)>("SELECT id, name_zh, name_en FROM teams WHERE site_id = @site AND active = 1 ORDER BY id", new { site = User.SiteId() }))
            .Select(t => (t.Id, Recognition.Web.Domain.Bilingual.Pick(t.Zh, t.En))).ToList();
        TimeZone = await c.ExecuteScalarAsync<string>("SELECT time_zone FROM sites WHERE id = @site", new { site = User.SiteId() }) ?? "UTC";
        Now = clock.GetUtcNow().UtcDateTime;
        var shifts = (await c.QueryAsync<(int Start, int End)>("SELECT start_minute, end_minute FROM shifts WHERE site_id = @site", new { site = User.SiteId() })).ToList();
        if (Working(Now, TimeZone, shifts, config["Devices:WorkingHours"]))
        {
            var limit = TimeSpan.FromMinutes(AlertMinutes);
            OfflineAlerts = Devices.Where(d => d.Kind == "display" && d.RevokedUtc is null && d.EnrolledUtc is not null && !d.Online(Now, Window)
                && Now - (d.OfflineUtc ?? d.LastSeenUtc ?? d.EnrolledUtc.Value) > limit).ToList();
        }
    }

    /// <summary>
    /// Whether the site is at work now (its local time): inside one of its shifts (a night shift runs past midnight), or, for a
    /// site without shifts, inside Devices:WorkingHours ("07:00-19:00" when unset).
    /// </summary>
    public static bool Working(DateTime utc, string timeZone, IReadOnlyList<(int Start, int End)> shifts, string? hours)
    {
        var local = Domain.SiteTime.ToLocal(utc, timeZone);
        var minute = local.Hour * 60 + local.Minute;
        if (shifts.Count == 0)
        {
            var parts = (string.IsNullOrWhiteSpace(hours) ? "07:00-19:00" : hours).Split('-');
            static int M(string s) => TimeOnly.TryParse(s.Trim(), System.Globalization.CultureInfo.InvariantCulture, out var t) ? t.Hour * 60 + t.Minute : -1;
            var (from, to) = parts.Length == 2 ? (M(parts[0]), M(parts[1])) : (-1, -1);
            shifts = from < 0 || to < 0 ? [(7 * 60, 19 * 60)] : [(from, to)];
        }
        return shifts.Any(s => s.Start <= s.End ? minute >= s.Start && minute < s.End : minute >= s.Start || minute < s.End);
    }
}
