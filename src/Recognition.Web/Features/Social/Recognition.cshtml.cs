using Htmx;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Recognition.Web.Features.Feed;
using Recognition.Web.Infrastructure.Web;

namespace Recognition.Web.Features.Social;

/// <summary>
/// One recognition's page (<c>/r/{id}</c>): the card, its reactions and, for a public one, its comments. Whoever may not
/// see the recognition (<see cref="RecognitionAccess"/>) gets 404, whatever the reason. Reacting answers htmx with the
/// card's new bar; the comment forms post back here and show the page again.
/// </summary>
[Authorize(Policy = Policies.Employee)]
public sealed class RecognitionModel(FeedQueries feed, Reactions reactions, Comments comments, AddOns addOns, Recognize.RecognizeQueries giving, PolicyStore policies, Db db, TimeProvider clock) : FormPage
{
    public FeedCard Card { get; private set; } = null!;
    public IReadOnlyList<CommentRow> CommentList { get; private set; } = [];
    public string? Done { get; private set; }
    [BindProperty] public string? Body { get; set; }
    [BindProperty] public string Key { get; set; } = Idempotency.NewKey();
    [BindProperty] public int AddPoints { get; set; }
    [BindProperty] public string? AddMessage { get; set; }
    /// <summary>Whether the viewer may add points here (public, and neither the giver nor a recipient), the steps and what is left.</summary>
    public bool MayAdd { get; private set; }
    public int[] Steps { get; private set; } = [];
    public int AllowanceLeft { get; private set; }
    public string? AddError { get; private set; }

    private DateTime Now => clock.GetUtcNow().UtcDateTime;
    private long Me => User.EmployeeId();

    private async Task<bool> LoadAsync(long id)
    {
        if (await db.ReadAsync(c => RecognitionAccess.ForAsync(c, null, id, Me, User.SiteId())) is null) return false;
        if (await feed.OneAsync(id) is not { } card) return false;
        Card = card;
        CommentList = card.Visibility == "public" ? await comments.ForAsync(id) : [];
        MayAdd = card.Visibility == "public" && card.GiverId != Me && card.Recipients.All(r => r.Id != Me);
        if (MayAdd)
        {
            Steps = [.. (await policies.ForSiteAsync(User.SiteId())).Steps.Where(s => s > 0)];
            AllowanceLeft = await giving.AllowanceLeftAsync(Me);
        }
        return true;
    }

    public async Task<IActionResult> OnGetAsync(long id) => await LoadAsync(id) ? Page() : NotFound();

    /// <summary>Sets or clears one reaction; htmx gets the bar back, a plain post the page.</summary>
    public async Task<IActionResult> OnPostReactAsync(long id, string? kind, bool on)
    {
        var outcome = await reactions.SetAsync(id, Me, User.SiteId(), kind ?? "", on, Now);
        if (outcome.Error == "Error.RecognitionNotFound") return NotFound();
        if (!outcome.Ok) return BadRequest(HttpContext.RequestServices.GetRequiredService<Microsoft.Extensions.Localization.IStringLocalizer<SharedResource>>()[outcome.Error!].Value);
        if (!Request.IsHtmx()) return Redirect($"/r/{id}");
        return Partial("/Features/Social/_Reactions.cshtml", await reactions.BarAsync(id, Me));
    }

    public async Task<IActionResult> OnPostCommentAsync(long id)
    {
        var outcome = await comments.AddAsync(id, Me, User.SiteId(), Body, Key, Now);
        if (outcome.Error == "Error.RecognitionNotFound") return NotFound();
        if (!await LoadAsync(id)) return NotFound();
        if (!outcome.Ok) return Refuse(outcome);
        return Redirect($"/r/{id}#comment-{outcome.Id}");
    }

    public async Task<IActionResult> OnPostEditCommentAsync(long id, long commentId, string? body)
    {
        var outcome = await comments.EditAsync(commentId, Me, User.SiteId(), body, Now);
        if (!await LoadAsync(id)) return NotFound();
        if (!outcome.Ok) return Refuse(outcome);
        return Redirect($"/r/{id}#comment-{commentId}");
    }

    public async Task<IActionResult> OnPostRemoveCommentAsync(long id, long commentId)
    {
        var outcome = await comments.RemoveAsync(commentId, Me, User.SiteId(), User.AdministersSite(User.SiteId()), Now);
        if (!await LoadAsync(id)) return NotFound();
        if (!outcome.Ok) return Refuse(outcome);
        return Redirect($"/r/{id}#comments");
    }

    /// <summary>Adds points to the recognition from the viewer's allowance; refused adds show the reason by the form.</summary>
    public async Task<IActionResult> OnPostAddOnAsync(long id)
    {
        var outcome = await addOns.AddAsync(id, Me, User.SiteId(), AddPoints, AddMessage, Key, Now);
        if (outcome.Error == "Error.RecognitionNotFound") return NotFound();
        if (!await LoadAsync(id)) return NotFound();
        if (!outcome.Ok)
        {
            var page = Refuse(outcome);
            (AddError, Error) = (Error, null);
            return page;
        }
        return Redirect($"/r/{id}#addon");
    }
}
