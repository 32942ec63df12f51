using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Recognition.Web.Features.Feed;
using Recognition.Web.Infrastructure.Auth;

namespace Recognition.Web.Features.Admin;

/// <summary>HR admin: recent recognitions across the site, each revocable with a reason (audited).</summary>
[Authorize(Policy = Policies.Admin)]
public sealed class IndexModel(FeedQueries feed, RevokeService revoke, TimeProvider clock, IStringLocalizer<SharedResource> L) : PageModel
{
    public IReadOnlyList<FeedCard> Recent { get; private set; } = [];
    public string? Message { get; private set; }
    public string? Error { get; private set; }

    public async Task OnGetAsync() => Recent = await feed.GivenOrReceivedAtSiteAsync(User.SiteId(), 50);

    public async Task<IActionResult> OnPostRevokeAsync(long id, string? reason)
    {
        var outcome = await revoke.RevokeAsync(id, User.EmployeeId(), reason, HttpContext.Connection.RemoteIpAddress?.ToString(), clock.GetUtcNow().UtcDateTime);
        if (outcome.Ok) Message = L["Admin.Revoked"];
        else
        {
            Error = L[outcome.Error!, outcome.Args];
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        }
        await OnGetAsync();
        return Page();
    }
}
