using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

using Recognition.Web.Infrastructure.Web;

namespace Recognition.Web.Features.Rewards;

/// <summary>
/// The rewards keeper's queue and counter: approve, mark ready (a pickup code and a slip), hand over by scanning the code,
/// decline with a reason. A keeper works their own site; an organisation admin picks a site.
/// </summary>
[Authorize(Policy = Policies.Rewards)]
public sealed class QueueModel(RewardService rewards, RewardQueries queries, TimeProvider clock) : FormPage
{
    [BindProperty(SupportsGet = true)] public long? Site { get; set; }
    public long SiteId { get; private set; }
    public IReadOnlyList<(long Id, string Name)> Sites { get; private set; } = [];
    public IReadOnlyList<OrderView> Open { get; private set; } = [];
    public IReadOnlyList<OrderView> Closed { get; private set; } = [];
    public RewardSettings Settings { get; private set; } = RewardSettings.Default(0);
    public string? Message { get; private set; }
    public long? ReadyId { get; private set; }

    private AdminScope Scope => AdminScope.Of(User);

    public async Task OnGetAsync() => await LoadAsync();

    public Task<IActionResult> OnPostApproveAsync(long id) => Respond(rewards.ApproveAsync(id, Scope, Now), "Rewards.Approved");

    public async Task<IActionResult> OnPostReadyAsync(long id)
    {
        var result = await Respond(rewards.ReadyAsync(id, Scope, Now), "Rewards.MarkedReady");
        if (Error is null) ReadyId = id;
        return result;
    }

    public Task<IActionResult> OnPostDeclineAsync(long id, string? reason) => Respond(rewards.DeclineAsync(id, Scope, reason, Now), "Rewards.Declined");

    public Task<IActionResult> OnPostHandOverAsync(string? code) => Respond(rewards.HandOverAsync(code, Scope, Now), "Rewards.HandedOver");

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    private async Task<IActionResult> Respond(Task<Outcome> work, string okKey)
    {
        Message = Show(await work, okKey);
        await LoadAsync();
        return Page();
    }

    private async Task LoadAsync()
    {
        Sites = await queries.SitesAsync(Scope);
        SiteId = Site is { } s && Scope.Covers(s) && Sites.Any(x => x.Id == s) ? s : User.SiteId();
        (Open, Closed) = await queries.QueueAsync(SiteId);
        Settings = await queries.SettingsAsync(SiteId);
    }
}
