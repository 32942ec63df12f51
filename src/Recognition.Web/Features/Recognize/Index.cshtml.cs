using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Recognition.Web.Infrastructure.Web;

namespace Recognition.Web.Features.Recognize;

[Authorize(Policy = Policies.Employee)]
public sealed class IndexModel(AwardService awards, RecognizeQueries queries, TimeProvider clock, PolicyStore policies,
    Microsoft.Extensions.Localization.IStringLocalizer<SharedResource> localizer) : FormPage
{
    [BindProperty] public List<long> RecipientIds { get; set; } = [];
    [BindProperty] public long? BadgeId { get; set; }
    [BindProperty] public long? ValueId { get; set; }
    [BindProperty] public string? Message { get; set; }
    [BindProperty] public string Visibility { get; set; } = "public";
    [BindProperty] public int PointsEach { get; set; }
    [BindProperty] public string IdempotencyKey { get; set; } = "";

    /// <summary>The person saw the near-duplicate warning and sends anyway.</summary>
    [BindProperty] public bool SendAgain { get; set; }

    /// <summary>The same words went to the same person recently: the page asks before sending (everything typed kept).</summary>
    public string? DuplicateWarning { get; private set; }

    public long? DoneId { get; private set; }
    public (string Recipients, string? Badge, int Points)? Sent { get; private set; }
    public RulesOptions Rules { get; private set; } = new();
    public IReadOnlyList<BadgeOption> Badges { get; private set; } = [];
    public IReadOnlyList<ValueOption> Values { get; private set; } = [];
    public IReadOnlyList<PersonOption> Chosen { get; private set; } = [];
    public IReadOnlyList<(long Id, string Name)> Teams { get; private set; } = [];
    /// <summary>For a supervisor: what is left of this month's spot budget (supervisor's badges draw on it).</summary>
    public int? SpotLeft { get; private set; }
    public int AllowanceLeft { get; private set; }

    public async Task OnGetAsync(long? to, long? done)
    {
        IdempotencyKey = Idempotency.NewKey();
        DoneId = done;
        if (done is { } sentId) Sent = await queries.SentAsync(User.EmployeeId(), sentId);
        if (to is { } id && id != User.EmployeeId()) RecipientIds = [id];
        await LoadAsync();
    }

    public async Task<IActionResult> OnGetSearchAsync(string? q)
    {
        var people = await queries.SearchAsync(User.SiteId(), User.EmployeeId(), q);
        return Partial("_Results", people);
    }

    public async Task<IActionResult> OnGetChipAsync(long id)
    {
        var person = (await queries.PeopleAsync(User.SiteId(), [id])).FirstOrDefault();
        return person is null ? NotFound() : Partial("_Chip", person);
    }

    /// <summary>Everyone in a team as chips (added to those already chosen); the form sends them as one recognition.</summary>
    public async Task<IActionResult> OnGetTeamAsync(long teamId) =>
        Partial("_Chips", await queries.TeamMembersAsync(User.SiteId(), teamId, User.EmployeeId()));

    public async Task<IActionResult> OnPostAsync()
    {
        var now = clock.GetUtcNow().UtcDateTime;
        if (!SendAgain && await queries.NearDuplicateAsync(User.EmployeeId(), RecipientIds, Message, IdempotencyKey, now) is { } dup)
        {
            var minutes = (int)Math.Max(1, Math.Round((now - dup.CreatedUtc).TotalMinutes));
            DuplicateWarning = minutes < 120
                ? localizer["Recognize.DuplicateMinutes", dup.Names, minutes]
                : localizer["Recognize.DuplicateAt", dup.Names, SiteTime.Format(dup.CreatedUtc, dup.TimeZone)];
            await LoadAsync();
            return Page();
        }
        var outcome = await awards.AwardAsync(
            new AwardCommand(User.EmployeeId(), RecipientIds, BadgeId, ValueId, Message, Visibility, PointsEach, IdempotencyKey),
            clock.GetUtcNow().UtcDateTime);
        if (outcome.Ok) return RedirectToPage("/Recognize/Index", new { done = outcome.Id });
        await LoadAsync();
        return Refuse(outcome);
    }

    private async Task LoadAsync()
    {
        Rules = await policies.ForSiteAsync(User.SiteId());
        Badges = await queries.BadgesAsync(User.IsSupervisor());
        Values = await queries.ValuesAsync();
        Chosen = await queries.PeopleAsync(User.SiteId(), RecipientIds.Distinct().Take(Rules.MaxRecipients).ToList());
        AllowanceLeft = await queries.AllowanceLeftAsync(User.EmployeeId());
        Teams = await queries.TeamsAsync(User.SiteId());
        if (User.IsSupervisor()) SpotLeft = await queries.SpotLeftAsync(User.EmployeeId());
    }
}
