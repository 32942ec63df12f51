using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Recognition.Web.Features.Recognize;

namespace Recognition.Web.Features.Kiosk;

/// <summary>Recognise a colleague at the kiosk: the same award code and rules as the browser, in big touch steps.</summary>
[Authorize(Policy = Policies.KioskSession)]
public sealed class RecognizeModel(AwardService awards, RecognizeQueries queries, TimeProvider clock, PolicyStore policies) : KioskPage
{
    /// <summary>One or several colleagues (checked in the list, kept while searching for the next one).</summary>
    [BindProperty] public List<long> RecipientIds { get; set; } = [];
    /// <summary>Everyone active in the giver's team, in one recognition (one card on the wall, each in their own history).</summary>
    [BindProperty] public bool WholeTeam { get; set; }
    [BindProperty] public long? BadgeId { get; set; }
    [BindProperty] public string? Phrase { get; set; }
    [BindProperty] public string? Message { get; set; }
    [BindProperty] public int PointsEach { get; set; }
    [BindProperty] public string IdempotencyKey { get; set; } = "";
    public IReadOnlyList<PersonOption> Mates { get; private set; } = [];
    public IReadOnlyList<BadgeOption> Badges { get; private set; } = [];
    public int AllowanceLeft { get; private set; }
    public int TeamSize { get; private set; }
    public int[] Steps { get; private set; } = [];
    public RulesOptions Rules { get; private set; } = new();

    public async Task OnGetAsync()
    {
        IdempotencyKey = Idempotency.NewKey();
        await LoadAsync();
    }

    public async Task<IActionResult> OnGetSearchAsync(string? q) => Partial("_People", await queries.SearchAsync(SiteId, PersonId, q, 12));

    public async Task<IActionResult> OnGetPhrasesAsync(long badgeId) => Partial("_Phrases", await queries.PhrasesAsync(badgeId));

    public async Task<IActionResult> OnPostAsync()
    {
        var text = string.IsNullOrWhiteSpace(Message) ? Phrase : Message;
        List<long> to = WholeTeam ? [.. RecipientIds, .. (await queries.TeamMatesAsync(PersonId)).Select(m => m.Id)] : RecipientIds;
        var outcome = await awards.AwardAsync(new AwardCommand(PersonId, to.Distinct().ToList(), BadgeId, null, text, "public", PointsEach, IdempotencyKey),
            clock.GetUtcNow().UtcDateTime);
        if (outcome.Ok) return await FinishAsync("recognized");
        await LoadAsync();
        return Refuse(outcome);
    }

    /// <summary>The phrases of the badge chosen when the page was last rendered (after a refused post, say).</summary>
    public IReadOnlyList<(string Zh, string En)> ChosenPhrases { get; private set; } = [];

    private async Task LoadAsync()
    {
        Rules = await policies.ForSiteAsync(SiteId);
        Steps = Rules.Steps;
        Mates = await queries.TeamMatesAsync(PersonId);
        TeamSize = Mates.Count;
        // People found by search and chosen before a refused send stay chosen (first in the list).
        var found = RecipientIds.Where(id => Mates.All(m => m.Id != id)).Distinct().Take(Rules.MaxRecipients).ToList();
        if (found.Count > 0) Mates = [.. await queries.PeopleAsync(SiteId, found), .. Mates];
        ViewData["Chosen"] = RecipientIds.ToHashSet();
        Badges = await queries.BadgesAsync(User.IsSupervisor());
        ChosenPhrases = BadgeId is { } id ? await queries.PhrasesAsync(id) : [];
        AllowanceLeft = await queries.AllowanceLeftAsync(PersonId);
    }

    public static string Text((string Zh, string En) p) => Bilingual.IsChinese ? p.Zh : p.En;
}
