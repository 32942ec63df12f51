using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Recognition.Web.Features.Rewards;

namespace Recognition.Web.Features.Kiosk;

/// <summary>
/// Rewards at the kiosk: big tiles of what I can redeem, one tap to see an item, one big button to redeem one of it.
/// A rewards keeper signed in at the kiosk also gets the hand-over box (scan the pickup slip).
/// </summary>
[Authorize(Policy = Policies.KioskSession)]
public sealed class RewardsModel(RewardService rewards, RewardQueries queries, TimeProvider clock) : KioskPage
{
    public IReadOnlyList<RewardRow> Items { get; private set; } = [];
    public Dictionary<long, int> Taken { get; private set; } = [];
    public int Balance { get; private set; }
    public RewardRow? Chosen { get; private set; }
    public IReadOnlyList<OrderView> Ready { get; private set; } = [];
    [BindProperty] public string IdempotencyKey { get; set; } = "";
    public string? Message { get; private set; }

    public async Task<IActionResult> OnGetAsync(long? id)
    {
        await LoadAsync(id);
        return id is not null && Chosen is null ? Redirect("/kiosk/rewards") : Page();
    }

    public async Task<IActionResult> OnPostRedeemAsync(long id, int cost)
    {
        var outcome = await rewards.RedeemAsync(new RedeemCommand(PersonId, id, 1, cost, IdempotencyKey), clock.GetUtcNow().UtcDateTime);
        if (outcome.Ok) return await FinishAsync("redeemed");
        await LoadAsync(id);
        return Refuse(outcome);
    }

    public async Task<IActionResult> OnPostHandOverAsync(string? code)
    {
        if (!User.IsRewardsKeeper()) return Forbid();
        Message = Show(await rewards.HandOverAsync(code, new AdminScope(PersonId, SiteId, User.IsOrgAdmin()), clock.GetUtcNow().UtcDateTime), "Rewards.HandedOver");
        await LoadAsync(null);
        return Page();
    }

    public async Task<IActionResult> OnGetPhotoAsync(long id)
    {
        if (await queries.PhotoAsync(id) is not { } photo || photo.SiteId != SiteId) return NotFound();
        return File(photo.Bytes, photo.ContentType);
    }

    private async Task LoadAsync(long? id)
    {
        IdempotencyKey = Idempotency.NewKey();
        (Items, Taken, Balance) = await queries.ShopAsync(PersonId);
        Chosen = id is { } x ? Items.FirstOrDefault(i => i.Id == x) : null;
        Ready = (await queries.MyOrdersAsync(PersonId, 10)).Where(o => o.Status is "ready" or "pending" or "approved").ToList();
    }
}
