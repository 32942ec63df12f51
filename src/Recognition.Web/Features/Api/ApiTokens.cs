using System.Collections.Concurrent;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Recognition.Web.Features.Api;

/// <summary>
/// An integration token for the plant's systems: made per site by an admin, shown once, stored as its SHA-256,
/// allowed to read and/or to report the behaviour rules it names, revocable. Unknown, revoked and malformed tokens get
/// 401 as problem details; each token may make Api:PerTokenPerSecond requests a second (429 beyond).
/// </summary>
public sealed class ApiAuthHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, Db db, TimeProvider clock)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiBearer";
    public const string TokenClaim = "api_token";
    public const string ReadClaim = "api_read";
    public const string RuleClaim = "api_rule";

    private sealed class Row
    {
        public long Id { get; init; }
        public long SiteId { get; init; }
        public long CanRead { get; init; }
        public string RuleCodes { get; init; } = "";
        public DateTime? LastUsedUtc { get; init; }
    }

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return AuthenticateResult.NoResult();
        var token = header[7..].Trim();
        if (token.Length is < 20 or > 200) return AuthenticateResult.Fail("Malformed token.");
        var hash = DeviceClaims.Hash(token);
        var row = await db.ReadAsync(c => c.QuerySingleOrDefaultAsync<Row>(
            @"SELECT t.id AS Id, t.site_id AS SiteId, t.can_read AS CanRead, t.rule_codes AS RuleCodes, t.last_used_utc AS LastUsedUtc
              FROM api_tokens t JOIN sites s ON s.id = t.site_id WHERE t.token_hash = @hash AND t.revoked_utc IS NULL AND s.active = 1", new { hash }));
        if (row is null) return AuthenticateResult.Fail("Unknown or revoked token.");
        var now = clock.GetUtcNow().UtcDateTime;
        if (row.LastUsedUtc is null || now - row.LastUsedUtc > TimeSpan.FromMinutes(1))
        {
            await db.WriteAsync((c, t) => c.ExecuteAsync("UPDATE api_tokens SET last_used_utc = @now WHERE id = @Id", new { now, row.Id }, t));
        }
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        List<Claim> claims = [new(TokenClaim, row.Id.ToString(inv)), new(ClaimNames.Site, row.SiteId.ToString(inv))];
        if (row.CanRead == 1) claims.Add(new Claim(ReadClaim, "1"));
        claims.AddRange(row.RuleCodes.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(r => new Claim(RuleClaim, r)));
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName)), SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = "Bearer realm=\"api\"";
        await ApiProblems.WriteAsync(Context, 401, "token", "A valid integration token for this site is required.");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        ApiProblems.WriteAsync(Context, 403, "scope", "This token may not do that.");
}

/// <summary>RFC 9457 problem details for every API error: a type per kind of problem, a title, the detail, the status.</summary>
public static class ApiProblems
{
    public static IResult Result(int status, string type, string detail, object? extensions = null) =>
        Results.Problem(detail: detail, statusCode: status, title: Title(status), type: $"https://recognition.example/problems/{type}",
            extensions: extensions is null ? null : new Dictionary<string, object?> { ["errors"] = extensions });

    public static Task WriteAsync(HttpContext ctx, int status, string type, string detail)
    {
        ctx.Response.StatusCode = status;
        return ctx.Response.WriteAsJsonAsync(new { type = $"https://recognition.example/problems/{type}", title = Title(status), status, detail },
            (System.Text.Json.JsonSerializerOptions?)null, "application/problem+json");
    }

    private static string Title(int status) => status switch
    {
        400 => "The request is not valid",
        401 => "Not signed in",
        403 => "Not allowed",
        404 => "Not found",
        409 => "Conflict",
        422 => "Refused by a rule",
        429 => "Too many requests",
        _ => "Error",
    };
}

/// <summary>A fixed one-second window per token; a request beyond the limit waits for the next second (429, Retry-After: 1).</summary>
public sealed class ApiRateLimit(IConfiguration config)
{
    private readonly ConcurrentDictionary<long, (long Second, int Count)> _windows = new();
    private int Limit => Math.Max(1, config.GetValue("Api:PerTokenPerSecond", 1000));

    public bool Take(long tokenId, DateTimeOffset now)
    {
        var second = now.ToUnixTimeSeconds();
        var taken = false;
        _windows.AddOrUpdate(tokenId, _ => { taken = true; return (second, 1); }, (_, w) =>
        {
            if (w.Second != second) { taken = true; return (second, 1); }
            taken = w.Count < Limit;
            return taken ? (second, w.Count + 1) : w;
        });
        return taken;
    }
}

/// <summary>Integration tokens, managed by admins for the sites they cover.</summary>
public sealed class ApiTokens(Db db)
{
    public sealed class TokenRow
    {
        public long Id { get; init; }
        public string SiteCode { get; init; } = "";
        public string Name { get; init; } = "";
        public long CanRead { get; init; }
        public string RuleCodes { get; init; } = "";
        public DateTime CreatedUtc { get; init; }
        public DateTime? LastUsedUtc { get; init; }
        public DateTime? RevokedUtc { get; init; }
    }

    public async Task<IReadOnlyList<TokenRow>> ListAsync(AdminScope scope) =>
        (await db.ReadAsync(c => c.QueryAsync<TokenRow>(
            @"SELECT t.id AS Id, s.code AS SiteCode, t.name AS Name, t.can_read AS CanRead, t.rule_codes AS RuleCodes, t.created_utc AS CreatedUtc,
                     t.last_used_utc AS LastUsedUtc, t.revoked_utc AS RevokedUtc
              FROM api_tokens t JOIN sites s ON s.id = t.site_id WHERE (@org = 1 OR t.site_id = @site) ORDER BY t.id DESC",
            new { org = scope.Org ? 1 : 0, site = scope.HomeSite }))).ToList();

    /// <summary>The claimable rules a token may be allowed to report, by code.</summary>
    public async Task<IReadOnlyList<(string Code, string Name)>> RulesAsync() =>
        (await db.ReadAsync(c => c.QueryAsync<(string Code, string Zh, string En)>(
            "SELECT code, name_zh, name_en FROM behaviour_rules WHERE active = 1 AND claimable = 1 ORDER BY code")))
        .Select(r => (r.Code, Bilingual.Pick(r.Zh, r.En))).ToList();

    /// <summary>A new token for one site; the value is returned once and only its hash is kept.</summary>
    public async Task<(Outcome Outcome, string? Token)> CreateAsync(long siteId, string? name, bool canRead, IReadOnlyList<string> rules, AdminScope scope, string? ip, DateTime now)
    {
        var label = TextRules.Clean(name);
        if (label.Length is 0 or > 60) return (Outcome.Refused("Api.TokenName.Bad"), null);
        if (!scope.Covers(siteId)) return (Outcome.Refused("People.SiteNotYours"), null);
        var known = (await RulesAsync()).Select(r => r.Code).ToHashSet(StringComparer.Ordinal);
        var codes = rules.Where(known.Contains).Distinct().Order(StringComparer.Ordinal).ToList();
        if (!canRead && codes.Count == 0) return (Outcome.Refused("Api.TokenScope"), null);
        var token = "rec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var outcome = await db.RunAsync(async (c, t) =>
        {
            if (await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM sites WHERE id = @siteId AND active = 1", new { siteId }, t) == 0) throw new RuleViolation("People.SiteNotYours");
            var id = await c.QuerySingleAsync<long>(db.Dialect.InsertReturningId("api_tokens", "site_id, name, token_hash, can_read, rule_codes, created_by, created_utc",
                "@siteId, @label, @hash, @read, @ruleCodes, @by, @now"),
                new { siteId, label, hash = DeviceClaims.Hash(token), read = canRead ? 1 : 0, ruleCodes = string.Join(',', codes), by = scope.ActorId, now }, t);
            await Audit.WriteAsync(c, t, new AuditEntry(scope.Actor, "api.token_create", $"api_token:{id}", siteId, After: new { name = label, read = canRead, rules = codes }, Ip: ip), now);
            return id;
        });
        return (outcome, outcome.Ok ? token : null);
    }

    public Task<Outcome> RevokeAsync(long id, AdminScope scope, string? ip, DateTime now) =>
        db.RunAsync(async (c, t) =>
        {
            var site = await c.ExecuteScalarAsync<long?>("SELECT site_id FROM api_tokens WHERE id = @id AND revoked_utc IS NULL", new { id }, t);
            if (site is not { } s || !scope.Covers(s)) throw new RuleViolation("Api.TokenUnknown");
            await c.ExecuteAsync("UPDATE api_tokens SET revoked_utc = @now WHERE id = @id", new { now, id }, t);
            await Audit.WriteAsync(c, t, new AuditEntry(scope.Actor, "api.token_revoke", $"api_token:{id}", s, Ip: ip), now);
            return id;
        });
}
