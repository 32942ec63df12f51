using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Recognition.Web.Infrastructure.Web;

namespace Recognition.Web.Features.Sso;

public static class SsoDefaults
{
    public const string Scheme = "oidc";
    public const string CallbackPath = "/signin-oidc";
    public const string SignedOutPath = "/signout-callback-oidc";
    public const string FrontchannelPath = "/signout-oidc";

    /// <summary>A session that came from the provider carries this claim, so signing out also ends the provider's session.</summary>
    public const string Claim = "sso";
}

/// <summary>
/// Sign-in with the organisation's OpenID Connect provider: authorization code flow with PKCE as a confidential client.
/// The handler's options are built from <see cref="SsoSettingsStore"/> and rebuilt when the settings change (this
/// instance at once, others within the store's cache time).
/// </summary>
public static class SsoModule
{
    public static IServiceCollection AddSso(this IServiceCollection s)
    {
        s.AddSingleton<SsoSettingsStore>().AddSingleton<SsoSignIn>().AddSingleton<SsoOptionsVersion>();
        s.AddSingleton<IConfigureOptions<OpenIdConnectOptions>, SsoOptionsSetup>();
        s.AddAuthentication().AddOpenIdConnect(SsoDefaults.Scheme, _ => { });
        return s;
    }

    /// <summary>Before the handler sees a sign-in or its callback, its options match the current settings.</summary>
    public static WebApplication UseSso(this WebApplication app)
    {
        app.Use(async (ctx, next) =>
        {
            var path = ctx.Request.Path;
            if (path.StartsWithSegments(SsoDefaults.CallbackPath) || path.StartsWithSegments(SsoDefaults.SignedOutPath) || path.StartsWithSegments(SsoDefaults.FrontchannelPath)
                || path.StartsWithSegments(SsoLogout.BackchannelPath) || path.StartsWithSegments("/Account/Sso"))
            {
                ctx.RequestServices.GetRequiredService<SsoOptionsVersion>().Refresh(ctx.RequestServices);
            }
            await next();
        });
        return app;
    }
}

/// <summary>The settings version the handler's options were built from.</summary>
public sealed class SsoOptionsVersion
{
    public int Built { get; set; } = int.MinValue;

    public void Refresh(IServiceProvider services)
    {
        if (services.GetRequiredService<SsoSettingsStore>().Current().Version == Built) return;
        services.GetRequiredService<IOptionsMonitorCache<OpenIdConnectOptions>>().TryRemove(SsoDefaults.Scheme);
    }
}

public sealed class SsoOptionsSetup(SsoSettingsStore store, SsoOptionsVersion version, CookieRules cookies, PublicUrl publicUrl)
    : IConfigureNamedOptions<OpenIdConnectOptions>
{
    public void Configure(OpenIdConnectOptions options) => Configure(Options.DefaultName, options);

    public void Configure(string? name, OpenIdConnectOptions o)
    {
        if (name != SsoDefaults.Scheme) return;
        var s = store.Current();
        version.Built = s.Version;
        // Not configured: placeholders that pass the handler's validation; /Account/Sso refuses before any challenge.
        o.Authority = s.Usable ? s.Issuer : "https://sso.invalid";
        o.ClientId = s.Usable ? s.ClientId : "unconfigured";
        o.ClientSecret = s.Usable ? s.ClientSecret : null;
        o.RequireHttpsMetadata = !(s.Usable && s.IssuerIsLoopback);
        o.ResponseType = OpenIdConnectResponseType.Code;
        o.ResponseMode = OpenIdConnectResponseMode.Query;
        o.UsePkce = true;
        o.SaveTokens = false;
        o.MapInboundClaims = false;
        o.GetClaimsFromUserInfoEndpoint = false;
        o.Scope.Clear();
        foreach (var scope in new[] { "openid", "profile", "email" }) o.Scope.Add(scope);
        o.CallbackPath = SsoDefaults.CallbackPath;
        o.SignedOutCallbackPath = SsoDefaults.SignedOutPath;
        o.SignedOutRedirectUri = "/Account/SignIn";
        o.RemoteSignOutPath = SsoDefaults.FrontchannelPath;
        o.SignInScheme = CookieAuthenticationDefaults.AuthenticationScheme;
        o.SignOutScheme = CookieAuthenticationDefaults.AuthenticationScheme;
        o.TokenValidationParameters.ValidateIssuer = true;
        o.TokenValidationParameters.ValidateAudience = true;
        o.TokenValidationParameters.ValidAudience = o.ClientId;
        o.TokenValidationParameters.ClockSkew = TimeSpan.FromMinutes(2);
        o.TokenValidationParameters.NameClaimType = "name";
        o.CorrelationCookie.SecurePolicy = cookies.Policy;
        o.CorrelationCookie.SameSite = SameSiteMode.Lax;
        o.NonceCookie.SecurePolicy = cookies.Policy;
        o.NonceCookie.SameSite = SameSiteMode.Lax;
        o.RemoteAuthenticationTimeout = TimeSpan.FromMinutes(10);
        o.Events = new OpenIdConnectEvents
        {
            OnRedirectToIdentityProvider = ctx =>
            {
                // Behind the TLS proxy the provider must send people back to the public address.
                if (publicUrl.Value is { } pub) ctx.ProtocolMessage.RedirectUri = pub + SsoDefaults.CallbackPath;
                ctx.ProtocolMessage.UiLocales = System.Globalization.CultureInfo.CurrentUICulture.Name;
                return Task.CompletedTask;
            },
            OnRedirectToIdentityProviderForSignOut = ctx =>
            {
                if (publicUrl.Value is { } pub) ctx.ProtocolMessage.PostLogoutRedirectUri = pub + SsoDefaults.SignedOutPath;
                return Task.CompletedTask;
            },
            OnTokenValidated = OnTokenValidatedAsync,
            OnRemoteSignOut = OnFrontchannelSignOutAsync,
            OnRemoteFailure = OnRemoteFailureAsync,
        };
    }

    private static async Task OnTokenValidatedAsync(TokenValidatedContext ctx)
    {
        var services = ctx.HttpContext.RequestServices;
        var settings = services.GetRequiredService<SsoSettingsStore>().Current();
        var clock = services.GetRequiredService<TimeProvider>();
        var ip = ctx.HttpContext.Connection.RemoteIpAddress?.ToString();
        var match = await services.GetRequiredService<SsoSignIn>().MatchAsync(ctx.Principal!, settings, ip, clock.GetUtcNow().UtcDateTime);
        if (match.Value is not { } person)
        {
            var query = $"?reason={Uri.EscapeDataString(match.Error!)}" + (match.Args.Length > 0 ? $"&arg={Uri.EscapeDataString(Convert.ToString(match.Args[0], System.Globalization.CultureInfo.InvariantCulture) ?? "")}" : "");
            ctx.HandleResponse();
            ctx.Response.Redirect("/Account/SsoFailed" + query);
            return;
        }
        var sessions = services.GetRequiredService<SessionValidator>();
        var claims = new List<Claim> { sessions.AuthTimeClaim(), new(SsoDefaults.Claim, "1") };
        if (ctx.SecurityToken?.RawData is { Length: < 4000 } idToken) claims.Add(new Claim("sso_id_token", idToken));
        // Front-channel logout names the provider's session: the handler compares these with the request's iss and sid.
        if (ctx.Principal!.FindFirst("sid")?.Value is { Length: > 0 and <= 255 } sid) claims.Add(new Claim("sid", sid));
        if (ctx.SecurityToken?.Issuer is { Length: > 0 and <= 500 } iss) claims.Add(new Claim("iss", iss));
        ctx.Principal = PeopleStore.Principal(person, CookieAuthenticationDefaults.AuthenticationScheme, [.. claims]);
        var returnUrl = ctx.Properties?.RedirectUri;
        if (ctx.Properties is { } p) p.RedirectUri = returnUrl is { Length: > 0 } r && r.StartsWith('/') && !r.StartsWith("//", StringComparison.Ordinal) ? r : "/";
    }

    /// <summary>
    /// Front-channel logout (the provider loads /signout-oidc?iss=…&amp;sid=… in a frame): only a session that came from
    /// the provider can be ended this way, and the handler then checks its iss and sid. A password session is left alone,
    /// so a link cannot sign people out. Browsers send the session cookie into the frame only when the provider is on
    /// the same site as the app; back-channel logout has no such limit.
    /// </summary>
    private static async Task OnFrontchannelSignOutAsync(RemoteSignOutContext ctx)
    {
        var principal = (await ctx.HttpContext.AuthenticateAsync(CookieAuthenticationDefaults.AuthenticationScheme)).Principal;
        if (principal is null || principal.FindFirst(SsoDefaults.Claim) is null || principal.FindFirst("sid") is null || string.IsNullOrEmpty(ctx.ProtocolMessage?.Sid))
        {
            ctx.HandleResponse();
            ctx.Response.Headers.CacheControl = "no-store";
            return;
        }
        var id = long.TryParse(principal.FindFirstValue(ClaimTypes.NameIdentifier), out var n) ? n : (long?)null;
        var clock = ctx.HttpContext.RequestServices.GetRequiredService<TimeProvider>();
        await Audit.WriteAsync(ctx.HttpContext.RequestServices.GetRequiredService<Db>(), new AuditEntry(id, "signout.sso_frontchannel", $"employee:{id}",
            Ip: ctx.HttpContext.Connection.RemoteIpAddress?.ToString()), clock.GetUtcNow().UtcDateTime);
    }

    private static async Task OnRemoteFailureAsync(RemoteFailureContext ctx)
    {
        var services = ctx.HttpContext.RequestServices;
        services.GetRequiredService<ILogger<SsoOptionsSetup>>().LogWarning(ctx.Failure, "Single sign-on failed");
        var clock = services.GetRequiredService<TimeProvider>();
        await Audit.WriteAsync(services.GetRequiredService<Db>(), new AuditEntry(null, "signin.sso_failed", "sso",
            Detail: ctx.Failure?.Message, Ip: ctx.HttpContext.Connection.RemoteIpAddress?.ToString()), clock.GetUtcNow().UtcDateTime);
        ctx.HandleResponse();
        ctx.Response.Redirect("/Account/SsoFailed?reason=Sso.Failed");
    }
}
