using System.Text.Json;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace Recognition.Web.Features.Sso;

/// <summary>
/// OpenID Connect Back-Channel Logout 1.0: when someone signs out at the provider (or the provider ends their
/// session), the provider POSTs a signed logout token here and every session that person has in this app ends, as
/// the admin's "sign out everywhere" does. Unlike front-channel logout this needs no cookie in a third-party frame,
/// so it works with any provider that offers it (Keycloak, Authing, oidc-provider, PingFederate).
/// </summary>
public static class SsoLogout
{
    public const string BackchannelPath = "/signout-oidc-backchannel";
    private const string LogoutEvent = "http://schemas.openid.net/event/backchannel-logout";
    private const int MaxToken = 8 * 1024;

    public static WebApplication MapSsoLogout(this WebApplication app)
    {
        app.MapPost(BackchannelPath, HandleAsync).AllowAnonymous().DisableAntiforgery().WithMetadata(new RequestSizeLimitAttribute(16 * 1024));
        return app;
    }

    private static async Task<IResult> HandleAsync(HttpContext http, SsoSettingsStore store, IOptionsMonitor<OpenIdConnectOptions> monitor,
        Db db, SessionValidator sessions, IMemoryCache cache, TimeProvider clock, ILogger<SsoSettingsStore> log)
    {
        http.Response.Headers.CacheControl = "no-store";
        var settings = store.Current();
        if (!settings.Usable) return Results.NotFound();
        if (!http.Request.HasFormContentType) return Refuse("the body must be a form with logout_token");
        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        if (form["logout_token"].ToString() is not { Length: > 0 and <= MaxToken } token) return Refuse("logout_token is missing or too long");

        var options = monitor.Get(SsoDefaults.Scheme);
        OpenIdConnectConfiguration config;
        try { config = await options.ConfigurationManager!.GetConfigurationAsync(http.RequestAborted); }
        catch (Exception e) when (e is InvalidOperationException or HttpRequestException or IOException)
        {
            log.LogWarning(e, "Back-channel logout: the provider's keys could not be read");
            return Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
        }
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = config.Issuer,
            ValidAudience = options.ClientId,
            IssuerSigningKeys = config.SigningKeys,
            RequireExpirationTime = false,
            ClockSkew = TimeSpan.FromMinutes(2),
            ValidTypes = ["logout+jwt", "JWT"],
        });
        if (!result.IsValid || result.SecurityToken is not JsonWebToken jwt) return Refuse("the logout token is not valid for this client");
        return await EndSessionsAsync(http, jwt, db, sessions, cache, clock);
    }

    private static async Task<IResult> EndSessionsAsync(HttpContext http, JsonWebToken jwt, Db db, SessionValidator sessions, IMemoryCache cache, TimeProvider clock)
    {
        // Logout tokens are not ID tokens: they carry the logout event and never a nonce (OIDC Back-Channel Logout §2.4).
        if (!jwt.TryGetPayloadValue<JsonElement>("events", out var events) || events.ValueKind != JsonValueKind.Object || !events.TryGetProperty(LogoutEvent, out _))
            return Refuse("the token carries no back-channel logout event");
        if (jwt.TryGetPayloadValue<object>("nonce", out _)) return Refuse("a logout token must not carry a nonce");
        var now = clock.GetUtcNow().UtcDateTime;
        if (jwt.IssuedAt == DateTime.MinValue || Math.Abs((now - jwt.IssuedAt).TotalMinutes) > 10) return Refuse("the logout token is not fresh");
        if (jwt.Id is not { Length: > 0 and <= 200 } jti) return Refuse("the logout token has no jti");
        if (jwt.Subject is not { Length: > 0 and <= 255 } sub) return Refuse("a logout token naming only a session (sid) is not supported here: the provider must send sub");
        var seen = cache.Get<bool?>("sso-bcl:" + jti);
        if (seen is true) return Refuse("the logout token was already used");
        cache.Set("sso-bcl:" + jti, true, TimeSpan.FromMinutes(15));

        await using var c = await db.OpenAsync();
        var ids = (await c.QueryAsync<long>("SELECT id FROM employees WHERE sso_subject = @sub", new { sub })).ToList();
        foreach (var id in ids)
        {
            await c.ExecuteAsync("UPDATE employees SET security_stamp = @stamp WHERE id = @id", new { stamp = Admin.People.PeopleAdmin.NewStamp(), id });
            sessions.Forget(id);
            await Audit.WriteAsync(db, new AuditEntry(id, "signout.sso_backchannel", $"employee:{id}", Detail: "the identity provider ended the session",
                Ip: http.Connection.RemoteIpAddress?.ToString()), now);
        }
        return Results.Ok();
    }

    private static IResult Refuse(string description) =>
        Results.Json(new { error = "invalid_request", error_description = description }, statusCode: StatusCodes.Status400BadRequest);
}
