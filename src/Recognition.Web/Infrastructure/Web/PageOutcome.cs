using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Recognition.Web.Infrastructure.Web;

/// <summary>How a page that acts and shows itself again reports a use case's outcome: a message, or the error in the reader's language with 422.</summary>
public static class PageOutcome
{
    public static (string? Message, string? Error) Show(this PageModel page, Outcome outcome, IStringLocalizer L, string okKey)
    {
        if (outcome.Ok) return (L[okKey], null);
        page.Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        return (null, L[outcome.Error!, outcome.Args]);
    }
}
