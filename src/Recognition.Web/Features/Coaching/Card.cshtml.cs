using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Recognition.Web.Infrastructure.Web;

namespace Recognition.Web.Features.Coaching;

/// <summary>
/// /Coaching/{id}: the one-to-one prompt card about a team member, for their supervisor — and the same card for the
/// person about themselves. A supervisor records the conversation here; the note is shown only to the two of them.
/// </summary>
[Authorize(Policy = Policies.Employee)]
public sealed class CardModel(CardQueries cards, OneOnOnes oneOnOnes) : FormPage
{
    public CoachingCard Card { get; private set; } = null!;
    public bool Mine => Card.Person.Id == User.EmployeeId();
    [BindProperty] public string? HeldOn { get; set; }
    [BindProperty] public string? Note { get; set; }
    [BindProperty] public string? NextStep { get; set; }
    [BindProperty] public string? NextStepOn { get; set; }
    [BindProperty] public string? Key { get; set; }
    public bool Recorded { get; private set; }

    public async Task<IActionResult> OnGetAsync(long id, bool recorded = false)
    {
        if (await cards.ForAsync(User, id) is not { } card) return NotFound();
        Card = card;
        Recorded = recorded;
        HeldOn = SiteTime.ToLocal(card.NowUtc, card.Person.TimeZone).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        Key = Idempotency.NewKey();
        return Page();
    }

    public async Task<IActionResult> OnPostRecordAsync(long id)
    {
        if (await cards.ForAsync(User, id) is not { } card || card.Person.Id == User.EmployeeId()) return NotFound();
        var outcome = await oneOnOnes.RecordAsync(User, new OneOnOneForm(id, HeldOn, Note, NextStep, NextStepOn, Key));
        if (outcome.Ok) return Redirect($"/Coaching/{id}?recorded=true#talks");
        Card = card;
        return Refuse(outcome);
    }

    /// <summary>Whether this viewer may read a talk's note: only the person and the supervisor who wrote it.</summary>
    public bool MayRead(OneOnOneRow o) => Mine || o.SupervisorId == User.EmployeeId();
}
