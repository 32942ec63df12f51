using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Recognition.Web.Infrastructure.Localization;

namespace Recognition.Web.Features.Setup;

public sealed record SetupCommand(
    string? SiteCode, string? SiteNameZh, string? SiteNameEn, string? TimeZone, string? Locale,
    string? AdminNo, string? AdminNameZh, string? AdminNameEn, string? Password);

/// <summary>
/// First run: while no admin exists, creates the first site and its first admin (an organisation admin) in one
/// transaction. Used by /setup and by the `setup` command; a second attempt, after anyone finished, is refused.
/// </summary>
public sealed partial class SetupService(Db db, PeopleStore people, ILogger<SetupService> log)
{
    /// <summary>The one-time code that opens /setup in this process; logged at start-up while setup is pending.</summary>
    public string Code { get; } = Convert.ToHexString(RandomNumberGenerator.GetBytes(10)).ToLowerInvariant();

    public async Task<bool> IsDoneAsync()
    {
        await using var conn = await db.OpenAsync();
        return await AdminExistsAsync(conn, null);
    }

    public bool CodeMatches(string? code) =>
        code is not null && CryptographicOperations.FixedTimeEquals(System.Text.Encoding.UTF8.GetBytes(code.Trim()), System.Text.Encoding.UTF8.GetBytes(Code));

    /// <summary>Logs the setup link when the database has no admin yet (an empty Production database).</summary>
    /// <summary>The first-run line. <paramref name="isPublic"/>: the address is the one people open (PublicUrl, or Development).</summary>
    public async Task AnnounceIfPendingAsync(string? baseUrl, bool isPublic = true)
    {
        if (await IsDoneAsync()) return;
        log.LogWarning("First run: no admin exists yet. Open {Url}/setup?code={Code} to create the first site and admin (the code is valid in this process until setup is done), " +
            "or run `dotnet run --project src/Recognition.Web -- setup --site-name NAME --time-zone ZONE --admin-no NO --admin-name NAME`.{Hint}",
            (baseUrl ?? "http://localhost:5080").TrimEnd('/'), Code,
            isPublic ? "" : " That is the app's own address: behind the TLS proxy open the same path on the proxy's address, and set PublicUrl " +
                "(Recognition__PublicUrl, e.g. https://recognition.example.com) so this line, QR codes and letters show it.");
    }

    /// <summary>Everything wrong with the form at once, each with the field it belongs to (the page shows them all together).</summary>
    /// <summary>The form's values as they are checked and stored: trimmed, cleaned, a missing name taken from the other language.</summary>
    private static (string SiteCode, string? SiteZh, string? SiteEn, string AdminNo, string? AdminZh, string? AdminEn) Cleaned(SetupCommand cmd)
    {
        var siteZh = Clean(cmd.SiteNameZh) ?? Clean(cmd.SiteNameEn);
        return ((cmd.SiteCode ?? "").Trim(), siteZh, Clean(cmd.SiteNameEn) ?? siteZh, EmployeeNumbers.Normalize(cmd.AdminNo), Clean(cmd.AdminNameZh), Clean(cmd.AdminNameEn));
    }

    public static IReadOnlyList<(string Field, Outcome Refusal)> Problems(SetupCommand cmd)
    {
        var (siteCode, siteZh, siteEn, adminNo, adminZh, adminEn) = Cleaned(cmd);
        var problems = new List<(string, Outcome)>();
        if (!CodePattern().IsMatch(siteCode)) problems.Add(("SiteCode", Outcome.Refused("Setup.BadSiteCode")));
        if (siteZh is null) problems.Add(("SiteNameZh", Outcome.Refused("Setup.SiteNameMissing")));
        else if (siteZh.Length > 100 || siteEn!.Length > 100) problems.Add(("SiteNameZh", Outcome.Refused("Error.TooLong", 100)));
        if (!SiteTime.IsValidZone(cmd.TimeZone)) problems.Add(("TimeZone", Outcome.Refused("Setup.BadTimeZone")));
        if (!EmployeeNumbers.IsValid(adminNo)) problems.Add(("AdminNo", Outcome.Refused("People.BadEmployeeNo")));
        if (adminZh is null && adminEn is null) problems.Add(("AdminNameZh", Outcome.Refused("People.NameMissing")));
        else if ((adminZh?.Length ?? 0) > 100 || (adminEn?.Length ?? 0) > 100) problems.Add(("AdminNameZh", Outcome.Refused("Error.TooLong", 100)));
        if (PasswordPolicy.Check(cmd.Password, adminNo) is { } bad) problems.Add(("Password", Outcome.Refused(bad, PasswordPolicy.MinLength)));
        return problems;
    }

    public async Task<Outcome> CreateAsync(SetupCommand cmd, DateTime now)
    {
        if (Problems(cmd) is [var first, ..]) return first.Refusal;
        var (siteCode, siteZh, siteEn, adminNo, adminZh, adminEn) = Cleaned(cmd);
        return await db.RunAsync(async (c, t) =>
        {
            // Inside the write transaction: two people finishing setup at once make one admin.
            if (await AdminExistsAsync(c, t)) throw new RuleViolation("Setup.AlreadyDone");
            var siteId = await c.QuerySingleAsync<long>(db.Dialect.InsertReturningId("sites",
                "code, name_zh, name_en, time_zone, default_locale, created_utc", "@siteCode, @siteZh, @siteEn, @tz, @locale, @now"),
                new { siteCode, siteZh, siteEn, tz = cmd.TimeZone!.Trim(), locale = LocalizationSetup.Normalize(cmd.Locale), now }, t);
            // A plant starts with a starter catalogue (five values, their badges, the behaviour rules), so people can
            // recognise each other from the first day; HR edits or retires it later.
            if (await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM core_values", transaction: t) == 0) await Demo.Catalog.SeedAsync(c, t);
            var adminId = await people.CreateAsync(c, t, new NewEmployee(siteId, null, adminNo, adminZh, adminEn,
                Roles.Employee | Roles.Admin | Roles.OrgAdmin, LocalizationSetup.Normalize(cmd.Locale), Password: cmd.Password));
            await Audit.WriteAsync(c, t, new AuditEntry(adminId, "setup.done", $"site:{siteId}", siteId,
                After: new { site = new { siteCode, siteZh, siteEn, cmd.TimeZone }, admin = new { adminNo, adminZh, adminEn } }), now);
            return Outcome.Created(adminId);
        });
    }

    private static Task<bool> AdminExistsAsync(System.Data.Common.DbConnection c, System.Data.Common.DbTransaction? t) =>
        c.ExecuteScalarAsync<bool>($"SELECT CASE WHEN EXISTS (SELECT 1 FROM employees WHERE (roles & {(int)Roles.Admin}) <> 0) THEN 1 ELSE 0 END", transaction: t);

    private static string? Clean(string? text) => TextRules.Clean(text) is { Length: > 0 } s ? s : null;

    [GeneratedRegex("^[A-Za-z0-9_-]{1,20}$")]
    private static partial Regex CodePattern();
}
