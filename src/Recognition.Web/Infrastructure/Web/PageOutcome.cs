using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Recognition.Web.Infrastructure.Web;

/// <summary>
/// A page with a form. It refuses in one way: the error in the reader's language, 422 (or the status given), and the
/// page rendered again with everything as typed (bound properties keep what was posted; the page reloads its lists first).
/// </summary>
public abstract class FormPage : PageModel
{
    public string? Error { get; protected set; }

    private IStringLocalizer L => HttpContext.RequestServices.GetRequiredService<IStringLocalizer<SharedResource>>();

    protected PageResult Refuse(Outcome outcome, int status = StatusCodes.Status422UnprocessableEntity)
    {
        Error = L[outcome.Error!, outcome.Args];
        Response.StatusCode = status;
        return Page();
    }

    protected PageResult Refuse(string key, params object[] args) => Refuse(Outcome.Refused(key, args));

    /// <summary>After an action that shows the page again: the success message to show, or null and the refusal.</summary>
    protected string? Show(Outcome outcome, string okKey)
    {
        if (outcome.Ok) return L[okKey];
        Refuse(outcome);
        return null;
    }
}
