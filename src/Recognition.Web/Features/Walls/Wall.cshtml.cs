using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Recognition.Web.Features.Walls;

/// <summary>The honor wall a paired display shows: a snapshot, then live updates over SignalR.</summary>
[Authorize(Policy = Policies.Display)]
public sealed class WallModel(WallQueries walls, WallSnapshots snapshots, Microsoft.Extensions.Localization.IStringLocalizer<SharedResource> L, Db db, Praise.PraiseCodes praise, TimeProvider clock,
    Celebrations.CelebrationService celebrations) : PageModel
{
    public string SiteName { get; private set; } = "";
    public string Zone { get; private set; } = "UTC";
    /// <summary>A new wall with nothing to show yet offers the thank-you link of its team (or of the site's first area).</summary>
    public string? PraiseUrl { get; private set; }

    public IReadOnlyList<FeedCard> Cards { get; private set; } = [];
    /// <summary>The cards and the side panel rendered in the wall's language (shared with the site's other walls).</summary>
    public (string Cards, string Boards) Html { get; private set; } = ("", "");
    /// <summary>Today's celebrations at the site (a team's wall: its team's).</summary>
    public IReadOnlyList<Celebrations.CelebrationRow> Celebrations { get; private set; } = [];
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
        var snapshot = await snapshots.GetAsync(User.SiteId(), TeamId);
        (Cards, LastSeq, Boards, Html) = (snapshot.Cards, snapshot.LastSeq, snapshot.Boards, snapshot.Html(Culture, L));
        var site = User.SiteId();
        var (zh, en, zone, area) = await db.ReadAsync(c => c.QuerySingleAsync<(string Zh, string En, string Zone, long? Area)>(
            "SELECT name_zh, name_en, time_zone, (SELECT MIN(id) FROM site_areas WHERE site_id = @site AND active = 1) FROM sites WHERE id = @site", new { site }));
        (SiteName, Zone) = (Bilingual.Pick(zh, en), zone);
        Celebrations = (await celebrations.TodayAsync(site, clock.GetUtcNow().UtcDateTime)).Where(c => TeamId is null || c.TeamId == TeamId).ToList();
        if (Cards.Count == 0 && (TeamId ?? area) is { } target)
        {
            var code = await praise.EnsureCodeAsync(site, TeamId is null ? "area" : "team", target, clock.GetUtcNow().UtcDateTime);
            PraiseUrl = $"{Infrastructure.Web.PublicUrl.Base(HttpContext)}/thanks/{code}";
        }
        return Page();
    }

    /// <summary>Catch-up for a wall that reconnected or saw a gap: cards and revocations after its last sequence.</summary>
    public async Task<IActionResult> OnGetSinceAsync(string slug, long after)
    {
        if (!IsThisDisplay(slug)) return Unauthorized();
        var catchUp = await walls.SinceAsync(User.SiteId(), TeamId, after);
        // The panel as of this catch-up: a wall that missed pushed boards is current again without another request.
        var boards = (await snapshots.GetAsync(User.SiteId(), TeamId)).Html(Culture, L).Boards;
        Response.Headers["X-App-Version"] = Version;
        return Partial("_Since", (catchUp, Culture, boards));
    }
}
