using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Recognition.Web.Features.Sso;

namespace Recognition.Web.Features.Account;

/// <summary>
/// "Sign in with …": sends the browser to the organisation's provider (code flow with PKCE). A provider that cannot be
/// reached (a wrong issuer URL, no discovery document) gets the same clear page as a failed sign-in, not an error page.
/// </summary>
[AllowAnonymous]
public sealed class SsoModel(SsoSettingsStore store, Db db, TimeProvider clock, ILogger<SsoModel> log) : PageModel
{
    public async Task<IActionResult> OnGetAsync(string? returnUrl)
    {
        if (!store.Current().Usable) return RedirectToPage("/Account/SignIn");
        var target = returnUrl is { Length: > 0 and < 2000 } r && Url.IsLocalUrl(r) ? r : "/";
        try
        {
            await HttpContext.ChallengeAsync(SsoDefaults.Scheme, new AuthenticationProperties { RedirectUri = target });
            return new EmptyResult();
        }
        catch (Exception ex) when (ex is InvalidOperationException or HttpRequestException or IOException or Microsoft.IdentityModel.Protocols.OpenIdConnect.OpenIdConnectProtocolException)
        {
            // The provider refused this application (a wrong client secret at the pushed authorization request) or was not reached.
            var refused = ex is Microsoft.IdentityModel.Protocols.OpenIdConnect.OpenIdConnectProtocolException;
            log.LogWarning(ex, refused ? "The identity provider refused the sign-in request" : "The identity provider could not be reached");
            await Audit.WriteAsync(db, new AuditEntry(null, "signin.sso_failed", "sso", Detail: ex.Message, Ip: HttpContext.Connection.RemoteIpAddress?.ToString()),
                clock.GetUtcNow().UtcDateTime);
            return RedirectToPage("/Account/SsoFailed", new { reason = refused ? "Sso.Failed" : "Sso.Unreachable" });
        }
    }
}
