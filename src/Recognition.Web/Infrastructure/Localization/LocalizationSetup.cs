using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Localization;

namespace Recognition.Web.Infrastructure.Localization;

public static class LocalizationSetup
{
    public static readonly string[] Cultures = ["zh-CN", "en-US"];

    public static WebApplicationBuilder AddRecognitionLocalization(this WebApplicationBuilder builder)
    {
        builder.Services.AddLocalization(o => o.ResourcesPath = "Resources");
        builder.Services.Configure<RequestLocalizationOptions>(o =>
        {
            var cultures = Cultures.Select(CultureInfo.GetCultureInfo).ToList(); // cached and read-only: no per-request clones
            o.DefaultRequestCulture = new RequestCulture("zh-CN");
            o.SupportedCultures = cultures;
            o.SupportedUICultures = cultures;
            o.FallBackToParentCultures = true;
            o.FallBackToParentUICultures = true;
            // The signed-in person's own locale wins (office or kiosk session); then the switcher's cookie;
            // then an enrolled device's setting (walls, idle kiosks); then the browser.
            o.RequestCultureProviders =
            [
                new CustomRequestCultureProvider(ctx => Task.FromResult(FromClaim(ctx.User))),
                new CustomRequestCultureProvider(ctx => FromSchemeAsync(ctx, KioskCookies.Scheme, KioskCookies.Person)),
                new CookieRequestCultureProvider(),
                // A kiosk's idle screen switched by hand: for one idle period, then the kiosk's own language again.
                new CustomRequestCultureProvider(ctx => Task.FromResult(ctx.Request.Cookies.TryGetValue(KioskCookies.Language, out var l) ? new ProviderCultureResult(Normalize(l)) : null)),
                new CustomRequestCultureProvider(ctx => FromSchemeAsync(ctx, "Device", "recognition.device")),
                new AcceptLanguageHeaderRequestCultureProvider(),
            ];
        });
        return builder;
    }

    public static string Normalize(string? locale) =>
        Cultures.FirstOrDefault(c => string.Equals(c, locale, StringComparison.OrdinalIgnoreCase))
        ?? (locale?.StartsWith("en", StringComparison.OrdinalIgnoreCase) == true ? "en-US" : "zh-CN");

    /// <summary>Authentication results are cached per request, so authorization later reuses this lookup.</summary>
    private static async Task<ProviderCultureResult?> FromSchemeAsync(HttpContext ctx, string scheme, string cookie)
    {
        if (!ctx.Request.Cookies.ContainsKey(cookie)) return null;
        var result = await Microsoft.AspNetCore.Authentication.AuthenticationHttpContextExtensions.AuthenticateAsync(ctx, scheme);
        return result.Succeeded ? FromClaim(result.Principal!) : null;
    }

    private static ProviderCultureResult? FromClaim(ClaimsPrincipal user)
    {
        var locale = user.FindFirstValue(ClaimNames.Locale);
        return locale is null ? null : new ProviderCultureResult(Normalize(locale));
    }
}
