using System.Globalization;
using Microsoft.AspNetCore.DataProtection;

namespace Recognition.Web.Infrastructure.Auth;

/// <summary>
/// Limits password guessing, in the database (<see cref="AttemptLimiter"/>), so instances share the counts and a
/// restart keeps them. Per account (employee number and email are one account; an unknown login counts under its
/// own name), and per client address for browsers that have never signed in. A browser where the person signed in
/// before carries a "known browser" cookie and is counted on its own instead (OWASP's device cookies): an attacker
/// guessing behind the plant's NAT, or locking an account on purpose, doesn't lock out the people already using it.
/// </summary>
public sealed class SignInGuard(AttemptLimiter limiter, IDataProtectionProvider protection, IConfiguration config, CookieRules cookies)
{
    public const string KnownCookie = "recognition.known";
    public const int LoginMaxLength = 254; // an email address's limit; employee numbers are far shorter
    private readonly IDataProtector _known = protection.CreateProtector("Recognition.KnownBrowser.v1");

    private int PerAccount => config.GetValue("Security:SignInFailuresPerLogin", 5);
    private int PerAddress => config.GetValue("Security:SignInFailuresPerAddress", 100);
    private TimeSpan Window => TimeSpan.FromMinutes(config.GetValue("Security:SignInWindowMinutes", 15));

    /// <summary>Reserves one attempt for this login from this request, or says how long to wait.</summary>
    public Task<AttemptLimiter.Blocked?> ReserveAsync(HttpContext http, long? personId, string login, DateTime now) =>
        limiter.ReserveAsync(Buckets(http, personId, login), now);

    /// <summary>After the right password: the account's count is forgotten, the address gets its attempt back, and the browser is known.</summary>
    public async Task SucceededAsync(HttpContext http, long personId, string login)
    {
        foreach (var b in Buckets(http, personId, login))
        {
            if (b.Key.StartsWith("addr:", StringComparison.Ordinal)) await limiter.GiveBackAsync(b.Key);
            else await limiter.ClearAsync(b.Key);
        }
        var nonce = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(12));
        http.Response.Cookies.Append(KnownCookie, _known.Protect($"{personId.ToString(CultureInfo.InvariantCulture)}:{nonce}"), new CookieOptions
        {
            HttpOnly = true, IsEssential = true, SameSite = SameSiteMode.Strict, Secure = cookies.Secure(http.Request),
            Path = "/", Expires = DateTimeOffset.UtcNow.AddYears(1),
        });
    }

    /// <summary>A signed-in person re-entering their password (to change it) uses the account's count.</summary>
    public Task<AttemptLimiter.Blocked?> ReserveAccountAsync(long personId, DateTime now) =>
        limiter.ReserveAsync([new AttemptBucket(AccountKey(personId), PerAccount, Window)], now);

    public Task ClearAccountAsync(long personId) => limiter.ClearAsync(AccountKey(personId));

    private static string AccountKey(long personId) => $"acct:{personId.ToString(CultureInfo.InvariantCulture)}";

    private List<AttemptBucket> Buckets(HttpContext http, long? personId, string login)
    {
        if (personId is { } id && KnownNonce(http.Request, id) is { } nonce)
        {
            return [new AttemptBucket($"known:{nonce}", PerAccount, Window)];
        }
        var account = personId is { } p ? AccountKey(p) : $"login:{login.Trim().ToLowerInvariant()}";
        return
        [
            new AttemptBucket(account, PerAccount, Window),
            new AttemptBucket($"addr:{http.Connection.RemoteIpAddress}", PerAddress, Window),
        ];
    }

    private string? KnownNonce(HttpRequest request, long personId)
    {
        if (request.Cookies[KnownCookie] is not { Length: > 0 and < 1000 } value) return null;
        try
        {
            var parts = _known.Unprotect(value).Split(':');
            return parts.Length == 2 && parts[0] == personId.ToString(CultureInfo.InvariantCulture) ? parts[1] : null;
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null;
        }
    }
}

/// <summary>
/// Whether cookies are marked Secure: always, except in Development (plain http on a laptop) or when
/// Security:AllowInsecureCookies is true (the test suite's in-process server). Behind the TLS proxy the
/// forwarded scheme makes requests https, so Secure cookies travel.
/// </summary>
public sealed class CookieRules(bool always)
{
    public bool Always { get; } = always;

    public CookieSecurePolicy Policy => Always ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;

    public bool Secure(HttpRequest request) => Always || request.IsHttps;

    public static CookieRules From(IConfiguration config, IHostEnvironment env) =>
        new(!env.IsDevelopment() && !config.GetValue("Security:AllowInsecureCookies", false));
}
