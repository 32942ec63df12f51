using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Recognition.Web.Features.Account;

/// <summary>The page for a bodiless error status: 403 (no right), 404, or any other, re-executed with its status kept.</summary>
[AllowAnonymous]
[Microsoft.AspNetCore.Mvc.IgnoreAntiforgeryToken]
public sealed class DeniedModel : PageModel
{
    public int Status { get; private set; } = StatusCodes.Status403Forbidden;

    public void OnGet() => Read();

    public void OnPost() => Read(); // a refused POST is re-executed as a POST

    private void Read()
    {
        if (HttpContext.Features.Get<IStatusCodeReExecuteFeature>() is not null) Status = Response.StatusCode;
        else Response.StatusCode = Status;
    }
}
