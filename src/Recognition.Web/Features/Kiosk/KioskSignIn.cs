using System.Globalization;
using System.Security.Claims;

namespace Recognition.Web.Features.Kiosk;

/// <summary>
/// Signing in at a kiosk by badge scan or employee number + 6-digit PIN. Five wrong PINs lock that person's PIN for
/// 15 minutes — at sign-in and when changing the PIN alike; the attempt is counted in one UPDATE before the PIN is
/// checked, so parallel guesses can't slip past it. An unknown number gets the same answers as a known one (the same
/// message, a dummy hash, a counter of its own), so the keypad doesn't tell which numbers exist. Unknown badge scans
/// are limited per kiosk (the admin is told in the audit log); a known badge is never held up by them.
/// </summary>
public sealed class KioskSignIn(Db db, PinHasher pins, AttemptLimiter limiter, IConfiguration config)
{
    public const int MaxFailures = 5;
    private TimeSpan LockFor => TimeSpan.FromMinutes(config.GetValue("Kiosk:PinLockMinutes", 15));
    private int ScanFailuresPerMinute => config.GetValue("Kiosk:UnknownScansPerMinute", 10);


    public async Task<Outcome<PersonRowBase>> ByBadgeAsync(long siteId, long kioskId, string? code, DateTime now)
    {
        code = EmployeeNumbers.NormalizeBadge(code) ?? "";
        if (code.Length is 0 or > 100) return new(null, "Error.BadgeUnknown", []);
        var person = await db.ReadAsync(c => c.QuerySingleOrDefaultAsync<PersonRow>(
            $"SELECT {PeopleStore.Columns} FROM employees WHERE badge_code IS NOT NULL AND UPPER(badge_code) = UPPER(@code) AND site_id = @siteId AND active = 1", new { code, siteId }));
        var target = $"kiosk:{kioskId}";
        if (person is not null)
        {
            // A real badge always gets in: only unknown codes are limited (badge codes carry 80 random bits; guessing is hopeless anyway).
            await db.WriteAsync(async (c, t) =>
            {
                await c.ExecuteAsync("UPDATE employees SET last_signin_utc = @now WHERE id = @Id", new { now, person.Id }, t);
                await Audit.WriteAsync(c, t, person.Id, "kiosk.signin", target, "badge", null, now);
            });
            return new(person, null, []);
        }
        var bucket = new AttemptBucket($"scan:{kioskId.ToString(CultureInfo.InvariantCulture)}", ScanFailuresPerMinute, TimeSpan.FromMinutes(1));
        if (await limiter.ReserveAsync([bucket], now) is { } blocked)
        {
            // The admin learns of it in the audit log, once a minute per kiosk however long it goes on.
            var told = await db.ReadAsync(c => c.ExecuteScalarAsync<int>(
                "SELECT COUNT(*) FROM audit_log WHERE action = 'kiosk.scan_throttled' AND target = @target AND at_utc > @since", new { target, since = now.AddMinutes(-1) }));
            if (told == 0) await Audit.WriteAsync(db, null, "kiosk.scan_throttled", target, $"more than {ScanFailuresPerMinute} unknown badges in a minute", null, now);
            return new(null, "Error.ScanThrottled", [Math.Max(1, (int)Math.Ceiling(blocked.RetryAfter.TotalSeconds))]);
        }
        await Audit.WriteAsync(db, null, "kiosk.badge_unknown", target, code, null, now);
        return new(null, "Error.BadgeUnknown", []);
    }

    public async Task<Outcome<PersonRowBase>> ByPinAsync(long siteId, long kioskId, string? employeeNo, string? pin, DateTime now)
    {
        employeeNo = EmployeeNumbers.Normalize(employeeNo);
        if (employeeNo.Length is 0 or > 64 || pin is not { Length: 6 } || !pin.All(char.IsAsciiDigit)) return new(null, "Error.PinFormat", []);
        var row = await db.ReadAsync(c => c.QuerySingleOrDefaultAsync<PinRow>(
            $"SELECT {PeopleStore.Columns}, pin_hash AS PinHash, pin_locked_until_utc AS LockedUntil FROM employees WHERE UPPER(employee_no) = UPPER(@employeeNo) AND site_id = @siteId AND active = 1",
            new { employeeNo, siteId }));
        if (row?.PinHash is null)
        {
            // Unknown here (or no PIN yet): the same counter, hash and message as a wrong PIN.
            var bucket = new AttemptBucket($"pin:{siteId.ToString(CultureInfo.InvariantCulture)}:{employeeNo.ToUpperInvariant()}", MaxFailures, LockFor);
            if (await limiter.ReserveAsync([bucket], now) is { } blocked) return new(null, "Error.PinLocked", [blocked.Minutes]);
            pins.Verify(pins.DummyHash, pin);
            await Audit.WriteAsync(db, null, "kiosk.pin_failed", $"kiosk:{kioskId}", employeeNo, null, now);
            return new(null, "Error.PinWrong", []);
        }
        if (await ReserveAsync(row.Id, now) is { } minutes) return new(null, "Error.PinLocked", [minutes]);
        if (pins.Verify(row.PinHash, pin))
        {
            await db.WriteAsync(async (c, t) =>
            {
                await c.ExecuteAsync("UPDATE employees SET pin_failures = 0, pin_locked_until_utc = NULL, last_signin_utc = @now WHERE id = @Id", new { now, row.Id }, t);
                await Audit.WriteAsync(c, t, row.Id, "kiosk.signin", $"kiosk:{kioskId}", "pin", null, now);
            });
            return new(row, null, []);
        }
        await FailedAsync(row.Id, $"kiosk:{kioskId}", now);
        return new(null, "Error.PinWrong", []);
    }

    /// <summary>The person's own change of PIN (current PIN required, under the same lockout as signing in).</summary>
    public async Task<Outcome> ChangePinAsync(long employeeId, string? current, string? next, string? repeat, DateTime now)
    {
        if (CheckNewPin(next, repeat) is { } bad) return bad;
        if (current is not { Length: 6 }) return Outcome.Refused("Error.PinWrong");
        var hash = await db.ReadAsync(c => c.ExecuteScalarAsync<string?>("SELECT pin_hash FROM employees WHERE id = @employeeId", new { employeeId }));
        if (hash is null) return Outcome.Refused("Error.PinWrong");
        if (await ReserveAsync(employeeId, now) is { } minutes) return Outcome.Refused("Error.PinLocked", minutes);
        if (!pins.Verify(hash, current))
        {
            await FailedAsync(employeeId, $"employee:{employeeId}", now);
            return Outcome.Refused("Error.PinWrong");
        }
        await db.WriteAsync(async (c, t) =>
        {
            await c.ExecuteAsync("UPDATE employees SET pin_hash = @h, pin_failures = 0, pin_locked_until_utc = NULL WHERE id = @employeeId", new { h = pins.Hash(next!), employeeId }, t);
            await Audit.WriteAsync(c, t, employeeId, "kiosk.pin_changed", $"employee:{employeeId}", null, null, now);
        });
        return Outcome.Created(employeeId);
    }

    /// <summary>The rules a new PIN follows (changing it, or choosing the first one at activation).</summary>
    public static Outcome? CheckNewPin(string? next, string? repeat)
    {
        if (next is not { Length: 6 } || !next.All(char.IsAsciiDigit)) return Outcome.Refused("Error.PinFormat");
        if (next != repeat) return Outcome.Refused("Error.PinMismatch");
        if (next.Distinct().Count() == 1 || "0123456789".Contains(next) || "9876543210".Contains(next)) return Outcome.Refused("Error.PinTooSimple");
        return null;
    }

    /// <summary>Counts one attempt against the person's PIN before it is checked; the minutes left when it is locked.</summary>
    private async Task<int?> ReserveAsync(long id, DateTime now)
    {
        var reserved = await db.WriteAsync((c, t) => c.ExecuteAsync(
            @"UPDATE employees SET
                  pin_failures = CASE WHEN pin_locked_until_utc IS NOT NULL AND pin_locked_until_utc <= @now THEN 1 ELSE pin_failures + 1 END,
                  pin_locked_until_utc = CASE WHEN pin_locked_until_utc IS NOT NULL AND pin_locked_until_utc <= @now THEN NULL ELSE pin_locked_until_utc END
              WHERE id = @id AND ((pin_locked_until_utc IS NULL AND pin_failures < @max) OR pin_locked_until_utc <= @now)",
            new { id, now, max = MaxFailures }, t));
        if (reserved == 1) return null;
        var until = await db.ReadAsync(c => c.ExecuteScalarAsync<DateTime?>("SELECT pin_locked_until_utc FROM employees WHERE id = @id", new { id })) ?? now + LockFor;
        return Math.Max(1, (int)Math.Ceiling((until - now).TotalMinutes));
    }

    /// <summary>A wrong PIN: the reserved attempt stays counted; the fifth locks the PIN.</summary>
    private Task FailedAsync(long id, string target, DateTime now) =>
        db.WriteAsync(async (c, t) =>
        {
            var n = await c.ExecuteScalarAsync<int>("SELECT pin_failures FROM employees WHERE id = @id", new { id }, t);
            if (n >= MaxFailures)
            {
                await c.ExecuteAsync("UPDATE employees SET pin_locked_until_utc = @until WHERE id = @id AND pin_locked_until_utc IS NULL", new { until = now + LockFor, id }, t);
            }
            await Audit.WriteAsync(c, t, id, n >= MaxFailures ? "kiosk.pin_locked" : "kiosk.pin_failed", target, null, null, now);
        });

    public static ClaimsPrincipal Principal(PersonRowBase p, long kioskId) =>
        PeopleStore.Principal(p, KioskCookies.Scheme, new Claim("kiosk_device", kioskId.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    private sealed class PinRow : PersonRowBase
    {
        public string? PinHash { get; init; }
        public DateTime? LockedUntil { get; init; }
    }
}
