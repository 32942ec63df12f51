using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Recognition.Web.Infrastructure.Localization;

namespace Recognition.Web.Domain;

public sealed record NewEmployee(
    long SiteId, long? TeamId, string EmployeeNo, string? NameZh, string? NameEn,
    Roles Roles = Roles.Employee, string Locale = "zh-CN", string? Email = null, string? BadgeCode = null,
    int? HireDay = null, string? Password = null, string? Pin = null);

public sealed class PersonRow : PersonRowBase;

/// <summary>The columns of <see cref="PeopleStore.Columns"/>; features that read more derive from it.</summary>
public class PersonRowBase
{
    public long Id { get; init; }
    public long SiteId { get; init; }
    public long? TeamId { get; init; }
    public string EmployeeNo { get; init; } = "";
    public string? NameZh { get; init; }
    public string? NameEn { get; init; }
    public string Locale { get; init; } = "zh-CN";
    public int Roles { get; init; }
    public bool Active { get; init; }
    public string? PasswordHash { get; init; }
    public string SecurityStamp { get; init; } = "";
    public string Name => Bilingual.Pick(NameZh, NameEn);
}

/// <summary>People lookup and creation: by id, employee number or badge, the principal a session carries, and new employees.</summary>
public sealed class PeopleStore(Db db, IPasswordHasher<Credential> hasher, PinHasher pins, TimeProvider clock)
{
    public const string Columns =
        "id AS Id, site_id AS SiteId, team_id AS TeamId, employee_no AS EmployeeNo, name_zh AS NameZh, name_en AS NameEn, " +
        "locale AS Locale, roles AS Roles, active AS Active, password_hash AS PasswordHash, security_stamp AS SecurityStamp";

    public async Task<long> CreateAsync(DbConnection conn, DbTransaction tx, NewEmployee e)
    {
        return await conn.QuerySingleAsync<long>(
            db.Dialect.InsertReturningId("employees",
                "site_id, team_id, employee_no, email, badge_code, name_zh, name_en, locale, roles, hire_day, pin_hash, password_hash, created_utc",
                "@SiteId, @TeamId, @EmployeeNo, @Email, @BadgeCode, @NameZh, @NameEn, @Locale, @Roles, @HireDay, @pinHash, @passwordHash, @now"),
            new
            {
                e.SiteId, e.TeamId, EmployeeNo = EmployeeNumbers.Normalize(e.EmployeeNo), e.Email, BadgeCode = EmployeeNumbers.NormalizeBadge(e.BadgeCode), e.NameZh, e.NameEn,
                Locale = LocalizationSetup.Normalize(e.Locale), Roles = (int)e.Roles, e.HireDay,
                pinHash = e.Pin is null ? null : pins.Hash(e.Pin),
                passwordHash = e.Password is null ? null : hasher.HashPassword(new Credential(), e.Password),
                now = clock.GetUtcNow().UtcDateTime,
            }, tx);
    }

    public Task<long> CreateAsync(NewEmployee e) => db.WriteAsync((c, t) => CreateAsync(c, t, e));

    public async Task<PersonRow?> FindByLoginAsync(string login)
    {
        await using var conn = await db.OpenAsync();
        return await conn.QuerySingleOrDefaultAsync<PersonRow>(
            $"SELECT {Columns} FROM employees WHERE UPPER(employee_no) = UPPER(@login) OR LOWER(email) = LOWER(@login)", new { login = EmployeeNumbers.Normalize(login) });
    }

    public async Task<PersonRow?> FindAsync(long id)
    {
        await using var conn = await db.OpenAsync();
        return await conn.QuerySingleOrDefaultAsync<PersonRow>($"SELECT {Columns} FROM employees WHERE id = @id", new { id });
    }

    public bool VerifyPassword(PersonRow p, string password) =>
        p.PasswordHash is not null &&
        hasher.VerifyHashedPassword(new Credential(), p.PasswordHash, password) != PasswordVerificationResult.Failed;

    /// <summary>Checks the password; with no person (or no password set) it still spends one hash, and answers false.</summary>
    public bool VerifyPasswordOrDummy(PersonRow? p, string password)
    {
        if (p?.PasswordHash is { } hash) return hasher.VerifyHashedPassword(new Credential(), hash, password) != PasswordVerificationResult.Failed;
        hasher.VerifyHashedPassword(new Credential(), _dummyHash.Value, password);
        return false;
    }

    private readonly Lazy<string> _dummyHash = new(() => new PasswordHasher<Credential>().HashPassword(new Credential(), Guid.NewGuid().ToString()));

    public static ClaimsPrincipal Principal(PersonRowBase p, string scheme, params Claim[] extra)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, p.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new(ClaimTypes.Name, p.NameZh ?? p.NameEn ?? p.EmployeeNo),
            new("name_en", p.NameEn ?? p.NameZh ?? p.EmployeeNo),
            new(ClaimNames.Locale, p.Locale),
            new(ClaimNames.Site, p.SiteId.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new(ClaimNames.Stamp, p.SecurityStamp),
        };
        foreach (var role in Enum.GetValues<Roles>().Where(r => r != Roles.None && ((Roles)p.Roles).HasFlag(r)))
        {
            claims.Add(new Claim(ClaimTypes.Role, role.ToString()));
        }
        claims.AddRange(extra);
        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme));
    }
}
