using System.Security.Claims;

namespace Recognition.Web.Features.Sso;

/// <summary>
/// Who a provider's signed-in user is here. The configured claim carries the employee number; it must name an existing,
/// active person (matched once, the provider's subject is remembered, and a different subject claiming the same number
/// later is refused). An unknown person gets a clear page and nothing is created — unless just-in-time creation is on:
/// then the person is created at the site (and team) the claims name, or the defaults, and the creation is audited.
/// When email domains are set, the provider's email must be in one of them.
/// </summary>
public sealed class SsoSignIn(Db db, PeopleStore people)
{
    public async Task<Outcome<PersonRow>> MatchAsync(ClaimsPrincipal idp, SsoSettings s, string? ip, DateTime now)
    {
        var sub = idp.FindFirstValue("sub") ?? "";
        var number = EmployeeNumbers.Normalize(idp.FindFirstValue(s.EmployeeClaim));
        var email = idp.FindFirstValue("email")?.Trim().ToLowerInvariant();
        if (sub.Length is 0 or > 255) return await RefuseAsync("Sso.Failed", number, "no subject", ip, now);
        if (number.Length == 0) return await RefuseAsync("Sso.NoEmployeeClaim", sub, $"claim {s.EmployeeClaim} missing", ip, now, s.EmployeeClaim);
        if (s.EmailDomains.Count > 0 && (email is null || !s.EmailDomains.Contains(email[(email.LastIndexOf('@') + 1)..])))
            return await RefuseAsync("Sso.DomainNotAllowed", number, $"email {email}", ip, now);
        var outcome = await db.WriteAsync(async (c, t) =>
        {
            var person = await c.QuerySingleOrDefaultAsync<PersonRow>(
                $"SELECT {PeopleStore.Columns} FROM employees WHERE UPPER(employee_no) = UPPER(@number)", new { number }, t);
            if (person is null)
            {
                if (!s.Jit) return (Outcome<PersonRow>.Refused("Sso.Unknown", number), "unknown");
                if (!EmployeeNumbers.IsValid(number)) return (Outcome<PersonRow>.Refused("Sso.Unknown", number), "bad number");
                var created = await CreateAsync(c, t, idp, s, number, sub, email, ip, now);
                return (created, created.Ok ? "jit" : "jit refused");
            }
            if (!person.Active) return (Outcome<PersonRow>.Refused("Sso.Deactivated"), "inactive");
            var bound = await c.ExecuteScalarAsync<string?>("SELECT sso_subject FROM employees WHERE id = @Id", person, t);
            if (bound is not null && bound != sub) return (Outcome<PersonRow>.Refused("Sso.SubjectMismatch", number), "another subject");
            // The subject may already belong to someone else (the provider renumbered a person): refused, not moved silently.
            if (bound is null && await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM employees WHERE sso_subject = @sub", new { sub }, t) > 0)
                return (Outcome<PersonRow>.Refused("Sso.SubjectMismatch", number), "subject bound elsewhere");
            await c.ExecuteAsync("UPDATE employees SET sso_subject = @sub, last_signin_utc = @now WHERE id = @Id", new { sub, now, person.Id }, t);
            await Audit.WriteAsync(c, t, new AuditEntry(person.Id, "signin.sso", person.EmployeeNo, person.SiteId, Ip: ip), now);
            return (Outcome<PersonRow>.Done(person), "ok");
        });
        if (!outcome.Item1.Ok) await Audit.WriteAsync(db, new AuditEntry(null, "signin.sso_refused", number, Detail: outcome.Item2, Ip: ip), now);
        return outcome.Item1;
    }

    private async Task<Outcome<PersonRow>> CreateAsync(DbConnection c, DbTransaction t, ClaimsPrincipal idp, SsoSettings s, string number, string sub,
        string? email, string? ip, DateTime now)
    {
        long? siteId = s.JitSiteId;
        if (s.SiteClaim is { } sc && idp.FindFirstValue(sc) is { Length: > 0 and <= 64 } siteCode)
        {
            siteId = await c.ExecuteScalarAsync<long?>("SELECT id FROM sites WHERE UPPER(code) = UPPER(@siteCode) AND active = 1", new { siteCode }, t) ?? siteId;
        }
        if (siteId is null) return Outcome<PersonRow>.Refused("Sso.NoSite");
        var site = await c.QuerySingleOrDefaultAsync<(long Id, string Locale)?>("SELECT id, default_locale FROM sites WHERE id = @siteId AND active = 1", new { siteId }, t);
        if (site is null) return Outcome<PersonRow>.Refused("Sso.NoSite");
        long? teamId = s.JitSiteId == siteId ? s.JitTeamId : null;
        if (s.TeamClaim is { } tc && idp.FindFirstValue(tc) is { Length: > 0 and <= 64 } teamCode)
        {
            teamId = await c.ExecuteScalarAsync<long?>("SELECT id FROM teams WHERE UPPER(code) = UPPER(@teamCode) AND site_id = @siteId AND active = 1", new { teamCode, siteId }, t) ?? teamId;
        }
        var name = TextRules.Clean(idp.FindFirstValue("name") ?? $"{idp.FindFirstValue("given_name")} {idp.FindFirstValue("family_name")}");
        if (name.Length == 0) name = number;
        if (name.Length > 100) name = name[..100];
        var chinese = name.Any(ch => ch >= '\u3400' && ch <= '\u9fff');
        var locale = idp.FindFirstValue("locale") is { } l && l.StartsWith("en", StringComparison.OrdinalIgnoreCase) ? "en-US"
            : idp.FindFirstValue("locale") is { } z && z.StartsWith("zh", StringComparison.OrdinalIgnoreCase) ? "zh-CN" : site.Value.Locale;
        var mail = email is { Length: <= 200 } && email.Contains('@') && await c.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM employees WHERE LOWER(email) = @email", new { email }, t) == 0 ? email : null;
        var id = await people.CreateAsync(c, t, new NewEmployee(siteId.Value, teamId, number, chinese ? name : null, chinese ? null : name,
            Roles.Employee, locale, mail));
        await c.ExecuteAsync("UPDATE employees SET sso_subject = @sub, security_stamp = @stamp, last_signin_utc = @now WHERE id = @id",
            new { sub, stamp = Admin.People.PeopleAdmin.NewStamp(), now, id }, t);
        await Audit.WriteAsync(c, t, new AuditEntry(null, "person.create_sso", $"employee:{id}", siteId,
            After: new { employeeNo = number, name, site = siteId, team = teamId, locale }, Detail: "just-in-time from the identity provider", Ip: ip), now);
        await Audit.WriteAsync(c, t, new AuditEntry(id, "signin.sso", number, siteId, Ip: ip), now);
        var person = await c.QuerySingleAsync<PersonRow>($"SELECT {PeopleStore.Columns} FROM employees WHERE id = @id", new { id }, t);
        return Outcome<PersonRow>.Done(person);
    }

    private async Task<Outcome<PersonRow>> RefuseAsync(string key, string target, string detail, string? ip, DateTime now, params object[] args)
    {
        await Audit.WriteAsync(db, new AuditEntry(null, "signin.sso_refused", target, Detail: detail, Ip: ip), now);
        return Outcome<PersonRow>.Refused(key, args);
    }
}
