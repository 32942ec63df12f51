using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Recognition.Web.Features.Walls;

/// <summary>The honor wall a paired display shows: a snapshot, then live updates over SignalR.</summary>
[Authorize(Policy = Policies.Display)]
public sealed class WallModel(WallQueries walls, Microsoft.Extensions.Localization.IStringLocalizer<SharedResource> L) : PageModel
{
    public IReadOnlyList<FeedCard> Cards { get; private set; } = [];
    public WallBoards Boards { get; private set; } = new();
    public long LastSeq { get; private set; }
    public string Slug { get; private set; } = "";
    public long? TeamId { get; private set; }
    public string Culture => System.Globalization.CultureInfo.CurrentUICulture.Name;
    public static string Version { get; } = typeof(WallModel).Assembly.ManifestModule.ModuleVersionId.ToString("N")[..12];

    /// <summary>A display reads only its own wall; a team display's team comes from its identity.</summary>
    private bool IsThisDisplay(string slug)
    {
        Slug = slug;
        TeamId = long.TryParse(User.FindFirst(DeviceClaims.Team)?.Value, out var t) ? t : null;
        return User.FindFirst(DeviceClaims.Slug)?.Value == slug;
    }

    public async Task<IActionResult> OnGetAsync(string slug)
    {
        if (!IsThisDisplay(slug)) return Redirect("/pair");
        (Cards, LastSeq) = await walls.SnapshotAsync(User.SiteId(), TeamId);
        Boards = await walls.BoardsAsync(User.SiteId(), TeamId);
        return Page();
    }

    /// <summary>Catch-up for a wall that reconnected or saw a gap: cards and revocations after its last sequence.</summary>
    public async Task<IActionResult> OnGetSinceAsync(string slug, long after)
    {
        if (!IsThisDisplay(slug)) return Unauthorized();
        var catchUp = await walls.SinceAsync(User.SiteId(), TeamId, after);
        // The panel as of this catch-up: a wall that missed pushed boards is current again without another request.
        var boards = BoardsHtml.Render(await walls.BoardsAsync(User.SiteId(), TeamId), Culture, L);
        Response.Headers["X-App-Version"] = Version;
        return Partial("_Since", (catchUp, Culture, boards));
    }
}
