using System.Globalization;
using System.Security.Cryptography;
using Recognition.Web.Features.Kiosk;
using Recognition.Web.Infrastructure;

namespace Recognition.Web.Features.Rollout;

/// <summary>
/// Kiosk self-activation. A welcome letter (or a supervisor's slip) carries a one-time 8-character code; at a kiosk the
/// person scans their badge or types their employee number, types the code and chooses their own PIN twice. Codes are
/// stored as a keyed hash, expire, are spent in the statement that checks them (a double tap or a race activates once),
/// and wrong codes are limited like PINs: five per number per 15 minutes, unknown numbers counted the same way.
/// </summary>
public sealed class Activation(Db db, PinHasher pins, AttemptLimiter limiter, IConfiguration config)
{
    public const int CodeLength = 8;
    public const int MaxFailures = 5;
    public int ValidDays => Math.Clamp(config.GetValue("Rollout:ActivationDays", 14), 1, 90);
    private TimeSpan LockFor => TimeSpan.FromMinutes(config.GetValue("Kiosk:PinLockMinutes", 15));

    public static string NewCode() =>
        string.Create(CodeLength, 0, (span, _) =>
        {
            for (var i = 0; i < span.Length; i++) span[i] = ReadableCodes.Alphabet[RandomNumberGenerator.GetInt32(ReadableCodes.Alphabet.Length)];
        });

    public static string Format(string code) => code.Length == CodeLength ? $"{code[..4]}-{code[4..]}" : code;

    public static string? Normalize(string? typed)
    {
        var code = new string((typed ?? "").Where(c => !char.IsWhiteSpace(c) && c != '-').Select(char.ToUpperInvariant).ToArray());
        return code.Length == CodeLength && code.All(c => ReadableCodes.Alphabet.Contains(c)) ? code : null;
    }

    /// <summary>A fresh code for one person inside the caller's transaction; any earlier unused code stops working.</summary>
    public async Task<string> IssueAsync(DbConnection c, DbTransaction t, long employeeId, DateTime now, int? days = null)
    {
        var code = NewCode();
        await c.ExecuteAsync("UPDATE employees SET activation_hash = @hash, activation_expires_utc = @until WHERE id = @employeeId",
            new { hash = pins.Keyed(code), until = now.AddDays(days ?? ValidDays), employeeId }, t);
        return code;
    }

    /// <summary>A supervisor's fresh code for a member of a team they lead (or an admin's for their site): a printed slip.</summary>
    public async Task<Outcome<Slip>> IssueForMemberAsync(System.Security.Claims.ClaimsPrincipal user, long employeeId, string? ip, DateTime now)
    {
        Slip? slip = null;
        var outcome = await db.RunAsync(async (c, t) =>
        {
            var p = await c.QuerySingleOrDefaultAsync<(long Id, long SiteId, long? TeamId, string EmployeeNo, string? NameZh, string? NameEn, string? BadgeCode, long Active)?>(
                "SELECT id, site_id, team_id, employee_no, name_zh, name_en, badge_code, active FROM employees WHERE id = @employeeId", new { employeeId }, t);
            if (p is not { Active: 1 } person
                || !(user.AdministersSite(person.SiteId) || (user.IsSupervisor() && await Access.LeadsTeamAsync(c, t, user.EmployeeId(), person.TeamId))))
                throw new RuleViolation("Activation.NotYourTeam");
            var code = await IssueAsync(c, t, person.Id, now, days: 7);
            await Audit.WriteAsync(c, t, new AuditEntry(user.EmployeeId(), "person.activation_code", $"employee:{person.Id}", person.SiteId,
                Detail: "slip", Ip: ip), now);
            slip = new Slip(person.EmployeeNo, person.NameZh, person.NameEn, person.BadgeCode is not null, code, now.AddDays(7));
            return person.Id;
        });
        return outcome.Ok ? Outcome<Slip>.Done(slip) : Outcome<Slip>.Refused(outcome.Error!, outcome.Args);
    }

    public sealed record Slip(string EmployeeNo, string? NameZh, string? NameEn, bool HasBadge, string Code, DateTime ExpiresUtc);

    /// <summary>The kiosk step: number (or badge) + code + a new PIN twice. Returns the person, signed in on success.</summary>
    public async Task<Outcome<PersonRowBase>> ActivateAsync(long siteId, long kioskId, string? employeeNo, string? badge, string? code, string? pin, string? repeat, DateTime now)
    {
        var number = EmployeeNumbers.Normalize(employeeNo);
        var scanned = EmployeeNumbers.NormalizeBadge(badge);
        if ((number.Length is 0 or > 64 && scanned is null) || (scanned?.Length ?? 0) > 100) return Outcome<PersonRowBase>.Refused("Activation.WhoMissing");
        var typed = Normalize(code);
        if (typed is null) return Outcome<PersonRowBase>.Refused("Activation.CodeFormat");
        if (KioskSignIn.CheckNewPin(pin, repeat) is { } badPin) return Outcome<PersonRowBase>.Refused(badPin.Error!, badPin.Args);
        var person = await db.ReadAsync(c => c.QuerySingleOrDefaultAsync<PersonRow>(
            $"SELECT {PeopleStore.Columns} FROM employees WHERE site_id = @siteId AND active = 1 AND " +
            // A badge scanned into the number field (a scanner types like a keyboard) finds its person too.
            (scanned is not null ? "badge_code IS NOT NULL AND UPPER(badge_code) = UPPER(@scanned)"
                : "(UPPER(employee_no) = UPPER(@number) OR (badge_code IS NOT NULL AND UPPER(badge_code) = UPPER(@number)))"),
            new { siteId, scanned, number }));
        var who = person?.EmployeeNo ?? (scanned is not null ? "badge" : number).ToUpperInvariant();
        var bucket = new AttemptBucket($"activate:{siteId.ToString(CultureInfo.InvariantCulture)}:{who}", MaxFailures, LockFor);
        if (await limiter.ReserveAsync([bucket], now) is { } blocked)
        {
            await Audit.WriteAsync(db, person?.Id, "kiosk.activation_locked", $"kiosk:{kioskId}", who, null, now);
            return Outcome<PersonRowBase>.Refused("Activation.Locked", blocked.Minutes);
        }
        if (person is null)
        {
            pins.Keyed(typed); // the same work as a known number
            await Audit.WriteAsync(db, null, "kiosk.activation_failed", $"kiosk:{kioskId}", who, null, now);
            return Outcome<PersonRowBase>.Refused("Activation.CodeWrong");
        }
        var done = await db.WriteAsync(async (c, t) =>
        {
            var n = await c.ExecuteAsync(
                @"UPDATE employees SET pin_hash = @pinHash, pin_failures = 0, pin_locked_until_utc = NULL, activation_hash = NULL, activation_expires_utc = NULL,
                      activated_utc = @now, last_signin_utc = @now
                  WHERE id = @Id AND active = 1 AND activation_hash = @hash AND activation_expires_utc > @now",
                new { pinHash = pins.Hash(pin!), now, person.Id, hash = pins.Keyed(typed) }, t);
            await Audit.WriteAsync(c, t, person.Id, n == 1 ? "kiosk.activated" : "kiosk.activation_failed", $"kiosk:{kioskId}", null, null, now);
            return n == 1;
        });
        if (!done) return Outcome<PersonRowBase>.Refused("Activation.CodeWrong");
        await limiter.ClearAsync(bucket.Key);
        return Outcome<PersonRowBase>.Done(person);
    }
}
