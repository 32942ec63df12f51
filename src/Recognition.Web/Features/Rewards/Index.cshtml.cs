using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Recognition.Web.Infrastructure.Web;

namespace Recognition.Web.Features.Rewards;

/// <summary>The reward shop of one's own site: what I can redeem today, and my orders with their state.</summary>
[Authorize(Policy = Policies.Employee)]
public sealed class IndexModel(RewardService rewards, RewardQueries queries, PointsExpiry expiry, TimeProvider clock, IStringLocalizer<SharedResource> L) : FormPage
{
    public IReadOnlyList<RewardRow> Items { get; private set; } = [];
    public Dictionary<long, int> Taken { get; private set; } = [];
    public int Balance { get; private set; }
    public IReadOnlyList<OrderView> Orders { get; private set; } = [];
    public PointsExpiry.Expiring? Expiring { get; private set; }
    public IReadOnlyList<HistoryLine> History { get; private set; } = [];
    /// <summary>One key per page view; each item's form adds its id, so a double tap makes one order and another item its own.</summary>
    public string PageKey { get; private set; } = "";
    public string? Message { get; private set; }

    public async Task OnGetAsync(long? done, string? closed)
    {
        if (done is not null) Message = L["Rewards.Ordered"];
        if (closed == "cancelled") Message = L["Rewards.Cancelled"];
        await LoadAsync();
    }

    public async Task<IActionResult> OnPostRedeemAsync(long rewardId, int quantity, int cost, string? key)
    {
        var outcome = await rewards.RedeemAsync(new RedeemCommand(User.EmployeeId(), rewardId, quantity, cost, key ?? ""), clock.GetUtcNow().UtcDateTime);
        if (outcome.Ok) return Redirect($"/Rewards?done={outcome.Id}#orders");
        return await FailAsync(outcome);
    }

    public async Task<IActionResult> OnPostCancelAsync(long id)
    {
        var outcome = await rewards.CancelAsync(id, User.EmployeeId(), clock.GetUtcNow().UtcDateTime);
        if (outcome.Ok) return Redirect("/Rewards?closed=cancelled#orders");
        return await FailAsync(outcome);
    }

    /// <summary>An item's photo, for people of the item's site (and its admins).</summary>
    public async Task<IActionResult> OnGetPhotoAsync(long id)
    {
        if (await queries.PhotoAsync(id) is not { } photo) return NotFound();
        if (photo.SiteId != User.SiteId() && !User.AdministersSite(photo.SiteId)) return NotFound();
        Response.Headers.CacheControl = "private, max-age=300";
        return File(photo.Bytes, photo.ContentType);
    }

    private async Task<IActionResult> FailAsync(Domain.Outcome outcome)
    {
        await LoadAsync();
        return Refuse(outcome);
    }

    private async Task LoadAsync()
    {
        PageKey = Idempotency.NewKey();
        (Items, Taken, Balance) = await queries.ShopAsync(User.EmployeeId());
        Orders = await queries.MyOrdersAsync(User.EmployeeId());
        History = await queries.HistoryAsync(User.EmployeeId());
        Expiring = await expiry.UpcomingAsync(User.EmployeeId(), clock.GetUtcNow().UtcDateTime);
    }
}
