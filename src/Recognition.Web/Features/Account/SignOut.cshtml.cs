using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using Recognition.Web.Features.Sso;
using Recognition.Web.Infrastructure.Web;

namespace Recognition.Web.Features.Account;

/// <summary>
/// Ends the local session. A session that came from the identity provider also ends the provider's session where it
/// offers RP-initiated logout (an end_session_endpoint): the page then forwards the browser there with the id token as
/// the hint, and the provider sends it back to the sign-in page. The forward is a page of its own, not a redirect of this
/// POST, because the pages' Content-Security-Policy (form-action 'self') forbids a form's redirect to another origin.
/// </summary>
[AllowAnonymous]
public sealed class SignOutModel(SsoSettingsStore sso, IOptionsMonitor<OpenIdConnectOptions> oidc, ILogger<SignOutModel> log) : PageModel
{
    public string? ProviderLogoutUrl { get; private set; }

    public IActionResult OnGet() => RedirectToPage("/Account/SignIn");

    public async Task<IActionResult> OnPostAsync()
    {
        var idToken = User.FindFirst("sso_id_token")?.Value;
        await HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        if (idToken is null || !sso.Current().Usable) return RedirectToPage("/Account/SignIn");
        try
        {
            var options = oidc.Get(SsoDefaults.Scheme);
            var config = await options.ConfigurationManager!.GetConfigurationAsync(HttpContext.RequestAborted);
            if (string.IsNullOrEmpty(config.EndSessionEndpoint)) return RedirectToPage("/Account/SignIn");
            var back = PublicUrl.Base(HttpContext) + "/Account/SignIn";
            ProviderLogoutUrl = Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString(config.EndSessionEndpoint, new Dictionary<string, string?>
            {
                ["id_token_hint"] = idToken, ["client_id"] = options.ClientId, ["post_logout_redirect_uri"] = back,
            });
            return Page();
        }
        catch (Exception ex) when (ex is InvalidOperationException or HttpRequestException or IOException)
        {
            log.LogWarning(ex, "The identity provider's sign-out could not be reached; signed out here only");
            return RedirectToPage("/Account/SignIn");
        }
    }
}
