using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Recognition.Web.Features.Credentials;

/// <summary>/pickup/{token}: what the kiosk's QR code opens on the person's phone — their badges to download, for ten minutes.</summary>
[AllowAnonymous]
public sealed class PickupModel(Db db, PickupTokens tokens) : PageModel
{
    public IReadOnlyList<KeepableBadge> Badges { get; private set; } = [];
    public string Token { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync(string token)
    {
        if (tokens.Read(token) is not { } me)
        {
            Response.StatusCode = StatusCodes.Status404NotFound;
            return Page();
        }
        Token = token;
        Badges = await KeepableBadge.ListAsync(db, me);
        return Page();
    }
}
