using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Recognition.Web.Features.Admin;
using Recognition.Web.Features.Feed;
using Recognition.Web.Infrastructure.Web;

namespace Recognition.Web.Features.Insights;

public sealed class ClueRow
{
    public long Id { get; init; }
    public long SiteId { get; init; }
    public string Kind { get; init; } = "";
    public string People { get; init; } = "";
    public string Evidence { get; init; } = "";
    public string Detail { get; init; } = "";
    public string Status { get; init; } = "";
    public DateTime FoundUtc { get; init; }
    public List<string> Names { get; } = [];
    public List<FeedCard> Cards { get; } = [];
    public long[] EvidenceIds => Evidence.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(long.Parse).ToArray();
}

/// <summary>
/// /Insights/Clues: the anti-gaming review queue. Each clue shows who and the recognitions behind it; an admin of the site
/// dismisses it (nothing changes) or revokes those recognitions with a reason (points reversed, gone from walls). Nothing
/// happens without that decision.
/// </summary>
[Authorize(Policy = Policies.Admin)]
public sealed class CluesModel(Db db, FeedQueries feed, RevokeService revoke, TimeProvider clock, IStringLocalizer<SharedResource> L) : FormPage
{
    public IReadOnlyList<ClueRow> Open { get; private set; } = [];
    public int Decided { get; private set; }
    public string? Message { get; private set; }

    private AdminScope Scope => AdminScope.Of(User);

    public async Task OnGetAsync() => await LoadAsync();

    public async Task<IActionResult> OnPostDismissAsync(long id) => await DecideAsync(id, "dismissed", null);

    public async Task<IActionResult> OnPostRevokeAsync(long id, string? reason)
    {
        if ((reason ?? "").Trim().Length < 5) return await FailAsync("Error.RevokeReason", 5);
        return await DecideAsync(id, "revoked", reason);
    }

    private async Task<IActionResult> DecideAsync(long id, string status, string? reason)
    {
        var clue = await db.ReadAsync(c => c.QuerySingleOrDefaultAsync<ClueRow>(
            "SELECT id AS Id, site_id AS SiteId, kind AS Kind, people AS People, evidence AS Evidence, detail AS Detail, status AS Status, found_utc AS FoundUtc FROM insight_clues WHERE id = @id",
            new { id }));
        if (clue is null || !Scope.Covers(clue.SiteId)) return await FailAsync("Clues.Unknown");
        if (clue.Status != "open") return await FailAsync("Clues.AlreadyDecided");
        // An add-on or reaction pattern is for a conversation: the recognitions it points at were given by others.
        if (status == "revoked" && ClueDetector.SocialKinds.Contains(clue.Kind)) return await FailAsync("Clues.NotRevocable");
        var now = clock.GetUtcNow().UtcDateTime;
        if (status == "revoked")
        {
            foreach (var rid in clue.EvidenceIds)
            {
                var outcome = await revoke.RevokeAsync(rid, Scope, reason, HttpContext.Connection.RemoteIpAddress?.ToString(), now);
                if (!outcome.Ok && outcome.Error != "Error.AlreadyRevoked") return await FailAsync(outcome.Error!, outcome.Args);
            }
        }
        var changed = await db.WriteAsync(async (c, t) =>
        {
            var n = await c.ExecuteAsync("UPDATE insight_clues SET status = @status, decided_by = @by, decided_utc = @now WHERE id = @id AND status = 'open'",
                new { status, by = User.EmployeeId(), now, id }, t);
            if (n == 1) await Audit.WriteAsync(c, t, User.EmployeeId(), $"clue.{status}", $"clue:{id}", reason, null, now);
            return n;
        });
        if (changed != 1) return await FailAsync("Clues.AlreadyDecided");
        Message = L[status == "revoked" ? "Clues.Revoked" : "Clues.Dismissed"];
        await LoadAsync();
        return Page();
    }

    private async Task<IActionResult> FailAsync(string key, params object[] args)
    {
        await LoadAsync();
        return Refuse(key, args);
    }

    private async Task LoadAsync()
    {
        var args = new { org = Scope.Org ? 1 : 0, site = Scope.HomeSite, skip = 0, take = 50 };
        await using var conn = await db.OpenAsync();
        Open = (await conn.QueryAsync<ClueRow>(db.Dialect.Page(
            @"SELECT id AS Id, site_id AS SiteId, kind AS Kind, people AS People, evidence AS Evidence, detail AS Detail, status AS Status, found_utc AS FoundUtc
              FROM insight_clues WHERE status = 'open' AND (@org = 1 OR site_id = @site) ORDER BY id"), args)).ToList();
        Decided = await conn.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM insight_clues WHERE status <> 'open' AND (@org = 1 OR site_id = @site)", args);
        foreach (var clue in Open)
        {
            var ids = clue.People.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(long.Parse).ToArray();
            clue.Names.AddRange((await conn.QueryAsync<(string? Zh, string? En, string No)>("SELECT name_zh, name_en, employee_no FROM employees WHERE id IN @ids", new { ids }))
                .Select(p => $"{Bilingual.Pick(p.Zh, p.En)} ({p.No})"));
            clue.Cards.AddRange((await feed.ManyAsync(conn, clue.EvidenceIds.Take(20).ToList(), reactions: false)).OrderBy(c => c.Id));
        }
    }
}
