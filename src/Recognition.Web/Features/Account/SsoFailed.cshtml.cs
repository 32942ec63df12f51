using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Recognition.Web.Features.Account;

/// <summary>Why signing in with the provider did not work, in the reader's language; nothing was created.</summary>
[AllowAnonymous]
public sealed class SsoFailedModel : PageModel
{
    private static readonly HashSet<string> Known =
        ["Sso.Failed", "Sso.Unknown", "Sso.Deactivated", "Sso.NoEmployeeClaim", "Sso.DomainNotAllowed", "Sso.SubjectMismatch", "Sso.NoSite", "Sso.Unreachable"];

    public string Reason { get; private set; } = "Sso.Failed";
    public string Arg { get; private set; } = "";

    public void OnGet(string? reason, string? arg)
    {
        Reason = reason is not null && Known.Contains(reason) ? reason : "Sso.Failed";
        Arg = arg is { Length: <= 64 } a ? a : "";
        Response.StatusCode = StatusCodes.Status403Forbidden;
    }
}
