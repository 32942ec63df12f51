using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Recognition.Web.Features.Scim;

/// <summary>
/// The directory's bearer token: created per site by an admin, shown once, stored as its SHA-256, revocable. A request
/// with a revoked, unknown or malformed token gets 401 as a SCIM error; every request is scoped to the token's site.
/// </summary>
public sealed class ScimAuthHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, Db db, TimeProvider clock)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ScimBearer";
    public const string TokenClaim = "scim_token";

    public static string Hash(string token) => DeviceClaims.Hash(token); // the same SHA-256 as device tokens

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return AuthenticateResult.NoResult();
        var token = header[7..].Trim();
        if (token.Length is < 20 or > 200) return AuthenticateResult.Fail("Malformed token.");
        var hash = Hash(token);
        var row = await db.ReadAsync(c => c.QuerySingleOrDefaultAsync<(long Id, long SiteId, DateTime? LastUsed)?>(
            "SELECT t.id, t.site_id, t.last_used_utc FROM scim_tokens t JOIN sites s ON s.id = t.site_id WHERE t.token_hash = @hash AND t.revoked_utc IS NULL AND s.active = 1",
            new { hash }));
        if (row is not { } r) return AuthenticateResult.Fail("Unknown or revoked token.");
        var now = clock.GetUtcNow().UtcDateTime;
        // When it was last used, for the admin page; written at most once a minute, not on every request.
        if (r.LastUsed is null || now - r.LastUsed > TimeSpan.FromMinutes(1))
        {
            await db.WriteAsync((c, t) => c.ExecuteAsync("UPDATE scim_tokens SET last_used_utc = @now WHERE id = @Id", new { now, r.Id }, t));
        }
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        var identity = new ClaimsIdentity(
            [new Claim(TokenClaim, r.Id.ToString(inv)), new Claim(ClaimNames.Site, r.SiteId.ToString(inv))], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer realm=\"scim\"";
        await ScimJson.WriteErrorAsync(Response, 401, null, "A valid bearer token for this site is required.");
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        await ScimJson.WriteErrorAsync(Response, 403, null, "This token may not do that.");
    }
}

/// <summary>Tokens for the directory, managed by admins for the sites they cover.</summary>
public sealed class ScimTokens(Db db)
{
    public sealed class TokenRow
    {
        public long Id { get; init; }
        public long SiteId { get; init; }
        public string SiteCode { get; init; } = "";
        public string Name { get; init; } = "";
        public DateTime CreatedUtc { get; init; }
        public DateTime? LastUsedUtc { get; init; }
        public DateTime? RevokedUtc { get; init; }
    }

    public async Task<IReadOnlyList<TokenRow>> ListAsync(AdminScope scope)
    {
        var rows = await db.ReadAsync(c => c.QueryAsync<TokenRow>(
            @"SELECT t.id AS Id, t.site_id AS SiteId, s.code AS SiteCode, t.name AS Name, t.created_utc AS CreatedUtc, t.last_used_utc AS LastUsedUtc, t.revoked_utc AS RevokedUtc
              FROM scim_tokens t JOIN sites s ON s.id = t.site_id WHERE (@org = 1 OR t.site_id = @site) ORDER BY t.id DESC",
            new { org = scope.Org ? 1 : 0, site = scope.HomeSite }));
        return rows.ToList();
    }

    /// <summary>A new token for one site; the value is returned once and only its hash is kept.</summary>
    public async Task<(Outcome Outcome, string? Token)> CreateAsync(long siteId, string? name, AdminScope scope, string? ip, DateTime now)
    {
        var label = TextRules.Clean(name);
        if (label.Length is 0 or > 60) return (Outcome.Refused("Scim.TokenName.Bad"), null);
        if (!scope.Covers(siteId)) return (Outcome.Refused("People.SiteNotYours"), null);
        var token = "scim_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var outcome = await db.RunAsync(async (c, t) =>
        {
            if (await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM sites WHERE id = @siteId AND active = 1", new { siteId }, t) == 0) throw new RuleViolation("People.SiteNotYours");
            var id = await c.QuerySingleAsync<long>(db.Dialect.InsertReturningId("scim_tokens", "site_id, name, token_hash, created_by, created_utc", "@siteId, @label, @hash, @by, @now"),
                new { siteId, label, hash = ScimAuthHandler.Hash(token), by = scope.ActorId, now }, t);
            await Audit.WriteAsync(c, t, new AuditEntry(scope.Actor, "scim.token_create", $"scim_token:{id}", siteId, After: new { name = label }, Ip: ip), now);
            return id;
        });
        return (outcome, outcome.Ok ? token : null);
    }

    public Task<Outcome> RevokeAsync(long id, AdminScope scope, string? ip, DateTime now) =>
        db.RunAsync(async (c, t) =>
        {
            var site = await c.ExecuteScalarAsync<long?>("SELECT site_id FROM scim_tokens WHERE id = @id AND revoked_utc IS NULL", new { id }, t);
            if (site is not { } s || !scope.Covers(s)) throw new RuleViolation("Scim.TokenUnknown");
            await c.ExecuteAsync("UPDATE scim_tokens SET revoked_utc = @now WHERE id = @id", new { now, id }, t);
            await Audit.WriteAsync(c, t, new AuditEntry(scope.Actor, "scim.token_revoke", $"scim_token:{id}", s, Ip: ip), now);
            return id;
        });
}
