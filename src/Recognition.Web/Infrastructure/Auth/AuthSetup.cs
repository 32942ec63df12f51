using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Recognition.Web.Infrastructure.Auth;

public static class AuthSetup
{
    private static Task Forbidden(RedirectContext<CookieAuthenticationOptions> ctx)
    {
        ctx.Response.StatusCode = StatusCodes.Status403Forbidden;
        return Task.CompletedTask;
    }

    public static WebApplicationBuilder AddRecognitionAuth(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var cookieRules = CookieRules.From(builder.Configuration, builder.Environment);
        services.AddSingleton(cookieRules);
        KeyProtection.Configure(services.AddDataProtection().SetApplicationName("Recognition"), builder.Configuration, builder.Environment);
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp =>
            new ConfigureOptions<KeyManagementOptions>(o => o.XmlRepository = new DbXmlRepository(sp.GetRequiredService<Db>())));

        services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(o =>
            {
                o.Cookie.Name = "recognition.auth";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.Cookie.SecurePolicy = cookieRules.Policy;
                o.LoginPath = "/Account/SignIn";
                o.AccessDeniedPath = "/Account/Denied";
                o.ExpireTimeSpan = TimeSpan.FromHours(12);
                o.SlidingExpiration = true;
                o.Events.OnValidatePrincipal = ctx => ctx.HttpContext.RequestServices.GetRequiredService<SessionValidator>().ValidateAsync(ctx, absoluteLifetime: true);
                // A signed-in person without the right gets 403 (the page explaining it is rendered by status-code re-execution).
                o.Events.OnRedirectToAccessDenied = Forbidden;
                // A kiosk or wall (signed in as a device) asking for an office page is refused, not sent to a sign-in form.
                o.Events.OnRedirectToLogin = async ctx =>
                {
                    if ((await ctx.HttpContext.AuthenticateAsync(DeviceClaims.Scheme)).Succeeded) ctx.Response.StatusCode = StatusCodes.Status403Forbidden;
                    else ctx.Response.Redirect(ctx.RedirectUri);
                };
            })
            .AddScheme<AuthenticationSchemeOptions, DeviceAuthHandler>(DeviceClaims.Scheme, null)
            // A person's short session on a shared kiosk: its own cookie, so it can never open office pages.
            .AddCookie(KioskCookies.Scheme, o =>
            {
                o.Cookie.Name = KioskCookies.Person;
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.Cookie.SecurePolicy = cookieRules.Policy;
                o.ExpireTimeSpan = TimeSpan.FromSeconds(builder.Configuration.GetValue("Kiosk:IdleSeconds", 60));
                o.SlidingExpiration = true;
                o.LoginPath = "/kiosk";
                o.AccessDeniedPath = "/kiosk";
                // A kiosk without a person goes back to its idle screen (where people sign in); any other browser is
                // left to the device scheme's answer (pair, or 403 for a signed-in office user or a wall).
                o.Events.OnRedirectToLogin = async ctx =>
                {
                    if ((await ctx.HttpContext.AuthenticateAsync(DeviceClaims.Scheme)).Principal?.IsInRole("Kiosk") == true) ctx.Response.Redirect(ctx.RedirectUri);
                };
                o.Events.OnRedirectToAccessDenied = async ctx =>
                {
                    if ((await ctx.HttpContext.AuthenticateAsync(DeviceClaims.Scheme)).Principal?.IsInRole("Kiosk") == true) ctx.Response.Redirect(ctx.RedirectUri);
                    else ctx.Response.StatusCode = StatusCodes.Status403Forbidden;
                };
                // Renewed on every request, so the server's lifetime is the idle rule counted from the last request.
                o.Events.OnValidatePrincipal = async ctx =>
                {
                    await ctx.HttpContext.RequestServices.GetRequiredService<SessionValidator>().ValidateAsync(ctx, absoluteLifetime: false);
                    if (ctx.Principal is not null) ctx.ShouldRenew = true;
                };
            });

        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(Policies.Employee, p => p.RequireAuthenticatedUser().RequireRole(nameof(Roles.Employee), nameof(Roles.Supervisor), nameof(Roles.Admin)))
            .AddPolicy(Policies.Supervisor, p => p.RequireRole(nameof(Roles.Supervisor), nameof(Roles.Admin)))
            .AddPolicy(Policies.Admin, p => p.RequireRole(nameof(Roles.Admin)))
            .AddPolicy(Policies.Rewards, p => p.RequireRole(nameof(Roles.RewardsKeeper), nameof(Roles.Admin)))
            .AddPolicy(Policies.Display, p => p.AddAuthenticationSchemes(DeviceClaims.Scheme).RequireRole("Display"))
            .AddPolicy(Policies.Kiosk, p => p.AddAuthenticationSchemes(DeviceClaims.Scheme).RequireRole("Kiosk"))
            .AddPolicy(Policies.Device, p => p.AddAuthenticationSchemes(DeviceClaims.Scheme).RequireRole("Display", "Kiosk"))
            .AddPolicy(Policies.KioskAny, p => p.AddAuthenticationSchemes(DeviceClaims.Scheme, KioskCookies.Scheme).RequireRole("Kiosk"))
            .AddPolicy(Policies.KioskSession, p => p.AddAuthenticationSchemes(DeviceClaims.Scheme, KioskCookies.Scheme)
                .RequireRole("Kiosk").RequireClaim(System.Security.Claims.ClaimTypes.NameIdentifier).RequireClaim("kiosk_device"));

        services.AddAntiforgery(o =>
        {
            o.HeaderName = "RequestVerificationToken";
            o.Cookie.Name = "recognition.af";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = cookieRules.Policy;
        });

        services.AddSingleton<IPasswordHasher<Credential>, PasswordHasher<Credential>>();
        services.AddSingleton<AttemptLimiter>();
        services.AddSingleton<SignInGuard>();
        services.AddMemoryCache();
        services.AddSingleton<SessionValidator>();
        return builder;
    }
}

/// <summary>Marker type for PasswordHasher; passwords and PINs are not tied to a user object.</summary>
public sealed class Credential;

/// <summary>The kiosk's own sign-in (a person at a shared screen) and the idle screen's language, apart from office cookies.</summary>
public static class KioskCookies
{
    public const string Scheme = "KioskPerson";
    public const string Person = "recognition.kiosk";
    public const string Language = "recognition.kiosk-lang";
}
