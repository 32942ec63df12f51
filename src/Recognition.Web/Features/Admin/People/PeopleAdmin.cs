using System.Security.Cryptography;
using Recognition.Web.Infrastructure.Localization;

namespace Recognition.Web.Features.Admin.People;

/// <summary>A person as the admin form edits them. <see cref="Version"/> is what the admin loaded (0 for a new person).</summary>
public sealed record PersonForm(
    long? Id, int Version, long SiteId, long? TeamId, long? ManagerId, string? EmployeeNo, string? NameZh, string? NameEn,
    string? Email, string? BadgeCode, string? Locale, Roles Roles, bool LeaderboardOptOut, string? ChatUserId = null, int? HireDay = null, string? Gender = null);

/// <summary>People administration: create, edit, deactivate/reactivate, reset a password. Every change is audited.</summary>
public sealed partial class PeopleAdmin(Db db, PeopleStore people, SessionValidator sessions)
{
    public const string Columns =
        "e.id AS Id, e.version AS Version, e.site_id AS SiteId, e.team_id AS TeamId, e.manager_id AS ManagerId, e.employee_no AS EmployeeNo, " +
        "e.name_zh AS NameZh, e.name_en AS NameEn, e.email AS Email, e.badge_code AS BadgeCode, e.locale AS Locale, e.roles AS Roles, " +
        "e.leaderboard_opt_out AS LeaderboardOptOut, e.active AS Active, e.chat_user_id AS ChatUserId, e.hire_day AS HireDay, e.gender AS Gender";

    public async Task<PersonDetails?> FindAsync(long id, AdminScope scope)
    {
        await using var c = await db.OpenAsync();
        var p = await c.QuerySingleOrDefaultAsync<PersonDetails>($"SELECT {Columns} FROM employees e WHERE e.id = @id", new { id });
        return p is not null && scope.Covers(p.SiteId) ? p : null;
    }

    /// <summary>A badge code with 80 bits of randomness, for plants without a badge system of their own.</summary>
    public static string NewBadgeCode() => "B" + Convert.ToHexString(RandomNumberGenerator.GetBytes(10));

    public async Task<Outcome> SaveAsync(PersonForm f, AdminScope scope, string? ip, DateTime now)
    {
        var form = Normalise(f);
        if (Validate(form, scope) is { } invalid) return invalid;
        try
        {
            return await db.RunAsync(async (c, t) =>
            {
                await CheckReferencesAsync(c, t, form);
                if (form.Id is null)
                {
                    var id = await people.CreateAsync(c, t, new NewEmployee(form.SiteId, form.TeamId, form.EmployeeNo!, form.NameZh, form.NameEn,
                        form.Roles, form.Locale!, form.Email, form.BadgeCode));
                    await c.ExecuteAsync("UPDATE employees SET manager_id = @ManagerId, leaderboard_opt_out = @optOut, chat_user_id = @ChatUserId, hire_day = @HireDay, gender = @Gender, security_stamp = @stamp WHERE id = @id",
                        new { form.ManagerId, form.ChatUserId, form.HireDay, form.Gender, optOut = form.LeaderboardOptOut ? 1 : 0, stamp = NewStamp(), id }, t);
                    await Audit.WriteAsync(c, t, new AuditEntry(scope.Actor, "person.create", $"employee:{id}", form.SiteId, After: Snapshot(form), Ip: ip), now);
                    return Outcome.Created(id);
                }
                var before = await c.QuerySingleOrDefaultAsync<PersonDetails>($"SELECT {Columns} FROM employees e WHERE e.id = @Id", form, t);
                if (before is null || !scope.Covers(before.SiteId)) throw new RuleViolation("People.NotFound");
                if (((Roles)before.Roles).HasFlag(Roles.OrgAdmin) && !scope.Org) throw new RuleViolation("People.OrgAdminOnly");
                if (before.Id == scope.ActorId && !form.Roles.HasFlag(Roles.Admin)) throw new RuleViolation("People.OwnAdminRole");
                // Roles, site or a new badge change what an open session may do: its stamp goes, so it signs out.
                var signOut = before.Roles != (int)form.Roles || before.SiteId != form.SiteId || before.BadgeCode != form.BadgeCode;
                var changed = await c.ExecuteAsync(
                    @"UPDATE employees SET site_id = @SiteId, team_id = @TeamId, manager_id = @ManagerId, employee_no = @EmployeeNo, name_zh = @NameZh,
                          name_en = @NameEn, email = @Email, badge_code = @BadgeCode, locale = @Locale, roles = @roles, leaderboard_opt_out = @optOut, chat_user_id = @ChatUserId, hire_day = @HireDay, gender = @Gender,
                          security_stamp = CASE WHEN @signOut = 1 THEN @stamp ELSE security_stamp END, version = version + 1
                      WHERE id = @Id AND version = @Version",
                    new
                    {
                        form.SiteId, form.TeamId, form.ManagerId, form.EmployeeNo, form.NameZh, form.NameEn, form.Email, form.BadgeCode, form.Locale, form.ChatUserId, form.HireDay, form.Gender,
                        roles = (int)form.Roles, optOut = form.LeaderboardOptOut ? 1 : 0, signOut = signOut ? 1 : 0, stamp = NewStamp(), form.Id, form.Version,
                    }, t);
                if (changed != 1) throw new RuleViolation("People.ChangedMeanwhile");
                await Audit.WriteAsync(c, t, new AuditEntry(scope.Actor, "person.update", $"employee:{form.Id}", form.SiteId,
                    Before: Snapshot(before.ToForm()), After: Snapshot(form), Ip: ip), now);
                return Outcome.Created(form.Id.Value);
            });
        }
        catch (Exception ex) when (db.Dialect.IsUniqueViolation(ex))
        {
            return Outcome.Refused(UniqueMessage(ex.Message));
        }
        finally
        {
            if (f.Id is { } id) sessions.Forget(id);
        }
    }

    /// <summary>Deactivation never touches the ledger or history: the person just can no longer sign in, anywhere.</summary>
    public async Task<Outcome> SetActiveAsync(long id, bool active, AdminScope scope, string? ip, DateTime now)
    {
        if (id == scope.ActorId && !active) return Outcome.Refused("People.OwnDeactivation");
        var outcome = await db.WriteAsync(async (c, t) =>
        {
            var site = await c.QuerySingleOrDefaultAsync<(long SiteId, int Roles)?>("SELECT site_id, roles FROM employees WHERE id = @id", new { id }, t);
            if (site is not { } s || !scope.Covers(s.SiteId)) return Outcome.Refused("People.NotFound");
            if (((Roles)s.Roles).HasFlag(Roles.OrgAdmin) && !scope.Org) return Outcome.Refused("People.OrgAdminOnly");
            await c.ExecuteAsync("UPDATE employees SET active = @a, security_stamp = @stamp, version = version + 1 WHERE id = @id",
                new { a = active ? 1 : 0, stamp = NewStamp(), id }, t);
            await Audit.WriteAsync(c, t, new AuditEntry(scope.Actor, active ? "person.reactivate" : "person.deactivate", $"employee:{id}", s.SiteId,
                Before: new { active = !active }, After: new { active }, Ip: ip), now);
            return Outcome.Created(id);
        });
        sessions.Forget(id);
        return outcome;
    }

    /// <summary>
    /// Ends the person's sessions and their current password, and returns a one-time token for a link the admin
    /// hands over (valid 72 h; only its hash is stored).
    /// </summary>
    public async Task<(Outcome Outcome, string? Token)> ResetPasswordAsync(long id, AdminScope scope, string? ip, DateTime now)
    {
        var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', '-').Replace('/', '_');
        var outcome = await db.WriteAsync(async (c, t) =>
        {
            var row = await c.QuerySingleOrDefaultAsync<(long SiteId, int Roles, long Active)?>("SELECT site_id, roles, active FROM employees WHERE id = @id", new { id }, t);
            if (row is not { } r || !scope.Covers(r.SiteId) || r.Active == 0) return Outcome.Refused("People.NotFound");
            if (((Roles)r.Roles).HasFlag(Roles.OrgAdmin) && !scope.Org) return Outcome.Refused("People.OrgAdminOnly");
            await c.ExecuteAsync(
                "UPDATE employees SET password_hash = NULL, password_reset_hash = @hash, password_reset_expires_utc = @until, security_stamp = @stamp WHERE id = @id",
                new { hash = PasswordReset.Hash(token), until = now.AddHours(PasswordReset.ValidHours), stamp = NewStamp(), id }, t);
            await Audit.WriteAsync(c, t, new AuditEntry(scope.Actor, "person.password_reset", $"employee:{id}", r.SiteId, Ip: ip), now);
            return Outcome.Created(id);
        });
        sessions.Forget(id);
        return (outcome, outcome.Ok ? token : null);
    }

    internal static string NewStamp() => Convert.ToHexString(RandomNumberGenerator.GetBytes(16));

    private static PersonForm Normalise(PersonForm f) => f with
    {
        EmployeeNo = EmployeeNumbers.Normalize(f.EmployeeNo),
        NameZh = TextRules.Clean(f.NameZh) is { Length: > 0 } zh ? zh : null,
        NameEn = TextRules.Clean(f.NameEn) is { Length: > 0 } en ? en : null,
        Email = TextRules.Clean(f.Email) is { Length: > 0 } mail ? mail.ToLowerInvariant() : null,
        BadgeCode = EmployeeNumbers.NormalizeBadge(f.BadgeCode),
        ChatUserId = (f.ChatUserId ?? "").Trim() is { Length: > 0 } chat ? chat : null,
        Locale = LocalizationSetup.Normalize(f.Locale),
        Roles = f.Roles | Roles.Employee,
        TeamId = f.TeamId is > 0 ? f.TeamId : null,
        ManagerId = f.ManagerId is > 0 ? f.ManagerId : null,
    };

    private static Outcome? Validate(PersonForm f, AdminScope scope)
    {
        if (!scope.Covers(f.SiteId)) return Outcome.Refused("People.SiteNotYours");
        if (f.Gender is not null && !Insights.InsightsQueries.Genders.Contains(f.Gender)) return Outcome.Refused("People.BadGender", f.Gender);
        if (!EmployeeNumbers.IsValid(f.EmployeeNo)) return Outcome.Refused("People.BadEmployeeNo");
        if (f.NameZh is null && f.NameEn is null) return Outcome.Refused("People.NameMissing");
        if ((f.NameZh?.Length ?? 0) > 100 || (f.NameEn?.Length ?? 0) > 100) return Outcome.Refused("Error.TooLong", 100);
        if (f.Email is { } e && (e.Length > 200 || !e.Contains('@') || e.StartsWith('@') || e.EndsWith('@'))) return Outcome.Refused("People.BadEmail");
        if (f.ChatUserId is { } chatId && !Recognition.Web.Features.Channels.ChatIds.IsValid(chatId)) return Outcome.Refused("People.BadChatUserId");
        if (f.BadgeCode is { } b && (b.Length > 64 || b.Any(char.IsWhiteSpace))) return Outcome.Refused("People.BadBadgeCode");
        if (f.Roles.HasFlag(Roles.OrgAdmin) && (!scope.Org || !f.Roles.HasFlag(Roles.Admin))) return Outcome.Refused("People.OrgAdminOnly");
        if (f.ManagerId is { } m && m == f.Id) return Outcome.Refused("People.OwnManager");
        return null;
    }

    /// <summary>The team and the manager must be active and at the person's site.</summary>
    private static async Task CheckReferencesAsync(DbConnection c, DbTransaction t, PersonForm f)
    {
        if (await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM sites WHERE id = @SiteId AND active = 1", f, t) == 0) throw new RuleViolation("People.SiteNotYours");
        if (f.TeamId is not null && await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM teams WHERE id = @TeamId AND site_id = @SiteId AND active = 1", f, t) == 0)
            throw new RuleViolation("People.UnknownTeam");
        if (f.ManagerId is not null && await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM employees WHERE id = @ManagerId AND site_id = @SiteId AND active = 1", f, t) == 0)
            throw new RuleViolation("People.UnknownManager");
    }

    private static string UniqueMessage(string dbMessage) =>
        dbMessage.Contains("email", StringComparison.OrdinalIgnoreCase) ? "People.DuplicateEmail"
        : dbMessage.Contains("badge", StringComparison.OrdinalIgnoreCase) ? "People.DuplicateBadge"
        : "People.DuplicateEmployeeNo";

    private static object Snapshot(PersonForm f) => new
    {
        employeeNo = f.EmployeeNo, nameZh = f.NameZh, nameEn = f.NameEn, email = f.Email, badgeCode = f.BadgeCode is null ? null : "…" + f.BadgeCode[^Math.Min(4, f.BadgeCode.Length)..],
        site = f.SiteId, team = f.TeamId, manager = f.ManagerId, locale = f.Locale, roles = f.Roles.ToString(), leaderboardOptOut = f.LeaderboardOptOut, chatUserId = f.ChatUserId, hireDay = f.HireDay, gender = f.Gender,
    };
}

public sealed class PersonDetails
{
    public long Id { get; init; }
    public int Version { get; init; }
    public long SiteId { get; init; }
    public long? TeamId { get; init; }
    public long? ManagerId { get; init; }
    public string EmployeeNo { get; init; } = "";
    public string? NameZh { get; init; }
    public string? NameEn { get; init; }
    public string? Email { get; init; }
    public string? BadgeCode { get; init; }
    public string Locale { get; init; } = "zh-CN";
    public int Roles { get; init; }
    public bool LeaderboardOptOut { get; init; }
    public bool Active { get; init; }
    public string? ChatUserId { get; init; }
    /// <summary>The hire date as yyyymmdd (service anniversaries and first day are celebrated from it).</summary>
    public int? HireDay { get; init; }
    /// <summary>f, m or x where HR records it (optional): read only by the fairness insights, in groups of five or more.</summary>
    public string? Gender { get; init; }
    public string Name => Bilingual.Pick(NameZh, NameEn);

    public PersonForm ToForm() => new(Id, Version, SiteId, TeamId, ManagerId, EmployeeNo, NameZh, NameEn, Email, BadgeCode, Locale,
        (Infrastructure.Auth.Roles)Roles, LeaderboardOptOut, ChatUserId, HireDay, Gender);
}

/// <summary>One-time password links: the token travels in the link, only its SHA-256 is stored.</summary>
public static class PasswordReset
{
    public const int ValidHours = 72;

    public static string Hash(string token) => Convert.ToHexString(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token)));
}
