using Microsoft.AspNetCore.DataProtection;

namespace Recognition.Web.Features.Sso;

/// <summary>
/// The organisation's OpenID Connect provider. <see cref="PasswordOffRoles"/> lists roles whose holders may no longer
/// sign in with a password once single sign-on is on (a person is held to it when every role they hold is listed, so an
/// admin who keeps a password keeps a way in when the provider is down).
/// </summary>
public sealed record SsoSettings(
    bool Enabled, string DisplayName, string Issuer, string ClientId, string? ClientSecret, string EmployeeClaim,
    IReadOnlyList<string> EmailDomains, Roles PasswordOffRoles, bool Jit, long? JitSiteId, long? JitTeamId,
    string? SiteClaim, string? TeamClaim, int Version, bool FromEnvironment)
{
    public static readonly SsoSettings Off = new(false, "", "", "", null, "employee_id", [], Roles.None, false, null, null, null, null, 0, false);

    /// <summary>On, with everything the code flow needs; a half-filled form never turns it on.</summary>
    public bool Usable => Enabled && Issuer.Length > 0 && ClientId.Length > 0 && !string.IsNullOrEmpty(ClientSecret);

    /// <summary>Whether this person must use the provider (password sign-in is off for every role they hold).</summary>
    public bool PasswordOffFor(Roles roles) => Usable && PasswordOffRoles != Roles.None && (roles & ~Roles.OrgAdmin & ~PasswordOffRoles) == Roles.None;

    /// <summary>A loopback provider (a test's, or one on the same host) may speak plain http; any other must use https.</summary>
    public bool IssuerIsLoopback =>
        Uri.TryCreate(Issuer, UriKind.Absolute, out var u) && (u.IsLoopback || u.Host == "localhost");
}

/// <summary>
/// Reads and saves the provider settings. Operators may set them by environment instead (Sso__Issuer, Sso__ClientId,
/// Sso__ClientSecret, Sso__DisplayName, Sso__EmployeeClaim, Sso__EmailDomains): then the environment wins and the admin
/// page shows them read-only. The client secret is stored encrypted by Data Protection, whose keys are themselves
/// encrypted at rest with the key-encryption key (Security:KeyEncryptionKey or the certificate), so the database alone
/// never reveals it. Read through a 30-second cache: another instance sees a change within that.
/// </summary>
public sealed class SsoSettingsStore(Db db, IConfiguration config, IDataProtectionProvider protection, TimeProvider clock)
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(30);
    private readonly IDataProtector _secret = protection.CreateProtector("Recognition.Sso.ClientSecret.v1");
    private (SsoSettings Settings, DateTimeOffset At)? _cached;

    public bool FromEnvironment => !string.IsNullOrWhiteSpace(config["Sso:Issuer"]);

    public SsoSettings Current()
    {
        var now = clock.GetUtcNow();
        if (_cached is { } c && now - c.At < CacheFor) return c.Settings;
        var s = Load();
        _cached = (s, now);
        return s;
    }

    public void Forget() => _cached = null;

    private SsoSettings Load()
    {
        if (FromEnvironment)
        {
            return new SsoSettings(true, config["Sso:DisplayName"] ?? "SSO", config["Sso:Issuer"]!.Trim(), config["Sso:ClientId"]?.Trim() ?? "",
                config["Sso:ClientSecret"], config["Sso:EmployeeClaim"] is { Length: > 0 } claim ? claim : "employee_id",
                Domains(config["Sso:EmailDomains"]), ParseRoles(config["Sso:PasswordOffRoles"]), config.GetValue("Sso:Jit", false),
                config.GetValue<long?>("Sso:JitSiteId"), config.GetValue<long?>("Sso:JitTeamId"), config["Sso:SiteClaim"], config["Sso:TeamClaim"], -1, true);
        }
        using var conn = db.OpenAsync().GetAwaiter().GetResult();
        var row = conn.QuerySingleOrDefault<Row>(
            @"SELECT enabled AS Enabled, display_name AS DisplayName, issuer AS Issuer, client_id AS ClientId, client_secret_enc AS SecretEnc,
                     employee_claim AS EmployeeClaim, email_domains AS EmailDomains, password_off_roles AS PasswordOffRoles, jit AS Jit,
                     jit_site_id AS JitSiteId, jit_team_id AS JitTeamId, site_claim AS SiteClaim, team_claim AS TeamClaim, version AS Version
              FROM sso_settings WHERE id = 1");
        if (row is null) return SsoSettings.Off;
        string? secret = null;
        if (row.SecretEnc is { Length: > 0 } enc)
        {
            try { secret = _secret.Unprotect(enc); }
            catch (System.Security.Cryptography.CryptographicException) { secret = null; } // keys lost: the admin enters it again
        }
        return new SsoSettings(row.Enabled, row.DisplayName, row.Issuer, row.ClientId, secret, row.EmployeeClaim, Domains(row.EmailDomains),
            (Roles)row.PasswordOffRoles, row.Jit, row.JitSiteId, row.JitTeamId, row.SiteClaim, row.TeamClaim, row.Version, false);
    }

    /// <summary>Saves the form; an empty secret keeps the stored one. Refuses a form that could not sign anyone in.</summary>
    public async Task<Outcome> SaveAsync(SsoForm f, AdminScope scope, string? ip, DateTime now)
    {
        if (!scope.Org) return Outcome.Refused("Sso.OrgOnly");
        if (FromEnvironment) return Outcome.Refused("Sso.FromEnvironment");
        var issuer = (f.Issuer ?? "").Trim().TrimEnd('/');
        var name = TextRules.Clean(f.DisplayName);
        var clientId = (f.ClientId ?? "").Trim();
        var claim = (f.EmployeeClaim ?? "").Trim();
        if (name.Length is 0 or > 60) return Outcome.Refused("Sso.BadName");
        if (!Uri.TryCreate(issuer, UriKind.Absolute, out var uri) || uri.Query.Length > 0 || issuer.Length > 400
            || !(uri.Scheme == "https" || (uri.Scheme == "http" && (uri.IsLoopback || uri.Host == "localhost")))) return Outcome.Refused("Sso.BadIssuer");
        if (clientId.Length is 0 or > 200) return Outcome.Refused("Sso.BadClientId");
        if (claim.Length is 0 or > 100 || claim.Any(char.IsWhiteSpace)) return Outcome.Refused("Sso.BadClaim");
        if ((f.ClientSecret?.Length ?? 0) > 500) return Outcome.Refused("Error.TooLong", 500);
        var domains = Domains(f.EmailDomains);
        if (domains.Any(d => d.Length > 100 || !d.Contains('.') || d.Contains('@'))) return Outcome.Refused("Sso.BadDomains");
        var site = TextRules.Clean(f.SiteClaim) is { Length: > 0 and <= 100 } sc ? sc : null;
        var team = TextRules.Clean(f.TeamClaim) is { Length: > 0 and <= 100 } tc ? tc : null;
        var off = f.PasswordOffRoles & (Roles.Employee | Roles.Supervisor | Roles.Admin | Roles.RewardsKeeper);
        return await db.RunAsync(async (c, t) =>
        {
            if (f.Jit && f.JitSiteId is null && site is null) throw new RuleViolation("Sso.JitNeedsSite");
            if (f.JitSiteId is { } js && await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM sites WHERE id = @js AND active = 1", new { js }, t) == 0)
                throw new RuleViolation("People.SiteNotYours");
            if (f.JitTeamId is { } jt && await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM teams WHERE id = @jt AND site_id = @js AND active = 1", new { jt, js = f.JitSiteId }, t) == 0)
                throw new RuleViolation("People.UnknownTeam");
            var stored = await c.QuerySingleOrDefaultAsync<(string? SecretEnc, int Version)?>("SELECT client_secret_enc, version FROM sso_settings WHERE id = 1", transaction: t);
            var secretEnc = f.ClientSecret is { Length: > 0 } secret ? _secret.Protect(secret) : stored?.SecretEnc;
            if (f.Enabled && secretEnc is null) throw new RuleViolation("Sso.SecretMissing");
            var args = new
            {
                enabled = f.Enabled ? 1 : 0, name, issuer, clientId, secretEnc, claim, domains = domains.Count == 0 ? null : string.Join(' ', domains),
                off = (int)off, jit = f.Jit ? 1 : 0, jitSite = f.JitSiteId, jitTeam = f.JitTeamId, site, team, now,
            };
            if (stored is null)
            {
                await c.ExecuteAsync(
                    @"INSERT INTO sso_settings (id, enabled, display_name, issuer, client_id, client_secret_enc, employee_claim, email_domains, password_off_roles,
                                                jit, jit_site_id, jit_team_id, site_claim, team_claim, version, updated_utc)
                      VALUES (1, @enabled, @name, @issuer, @clientId, @secretEnc, @claim, @domains, @off, @jit, @jitSite, @jitTeam, @site, @team, 1, @now)", args, t);
            }
            else
            {
                await c.ExecuteAsync(
                    @"UPDATE sso_settings SET enabled = @enabled, display_name = @name, issuer = @issuer, client_id = @clientId, client_secret_enc = @secretEnc,
                          employee_claim = @claim, email_domains = @domains, password_off_roles = @off, jit = @jit, jit_site_id = @jitSite, jit_team_id = @jitTeam,
                          site_claim = @site, team_claim = @team, version = version + 1, updated_utc = @now WHERE id = 1", args, t);
            }
            // Never the secret: only whether a new one was entered.
            await Audit.WriteAsync(c, t, new AuditEntry(scope.Actor, "sso.settings", "sso", null,
                After: new { f.Enabled, name, issuer, clientId, claim, domains, passwordOff = off.ToString(), f.Jit, f.JitSiteId, f.JitTeamId, site, team, newSecret = f.ClientSecret is { Length: > 0 } },
                Ip: ip), now);
            Forget();
            return Outcome.Created(1);
        });
    }

    private static List<string> Domains(string? raw) =>
        (raw ?? "").Split([' ', ',', ';', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(d => d.TrimStart('@').ToLowerInvariant()).Distinct().Take(50).ToList();

    private static Roles ParseRoles(string? raw) =>
        (raw ?? "").Split([',', ' '], StringSplitOptions.RemoveEmptyEntries).Aggregate(Roles.None, (acc, r) => Enum.TryParse<Roles>(r, true, out var v) ? acc | v : acc);

    private sealed class Row
    {
        public bool Enabled { get; init; }
        public string DisplayName { get; init; } = "";
        public string Issuer { get; init; } = "";
        public string ClientId { get; init; } = "";
        public string? SecretEnc { get; init; }
        public string EmployeeClaim { get; init; } = "employee_id";
        public string? EmailDomains { get; init; }
        public int PasswordOffRoles { get; init; }
        public bool Jit { get; init; }
        public long? JitSiteId { get; init; }
        public long? JitTeamId { get; init; }
        public string? SiteClaim { get; init; }
        public string? TeamClaim { get; init; }
        public int Version { get; init; }
    }
}

public sealed record SsoForm(
    bool Enabled, string? DisplayName, string? Issuer, string? ClientId, string? ClientSecret, string? EmployeeClaim, string? EmailDomains,
    Roles PasswordOffRoles, bool Jit, long? JitSiteId, long? JitTeamId, string? SiteClaim, string? TeamClaim);
