using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Recognition.Web.Features.Claims;
using Recognition.Web.Features.Rewards;
using Recognition.Web.Infrastructure.Web;

namespace Recognition.Web.Features.Admin.Rewards;

/// <summary>/Admin/Rewards/Item: create or edit one catalogue item of a site the admin runs.</summary>
[Authorize(Policy = Policies.Admin)]
// A photo over the limit is read to the end so the admin gets the page back with a clear "too large" message (not a bare 400).
[RequestFormLimits(MultipartBodyLengthLimit = 16 * 1024 * 1024)]
[RequestSizeLimit(16 * 1024 * 1024)]
public sealed class ItemModel(RewardCatalogue catalogue, RewardQueries queries, TimeProvider clock, IStringLocalizer<SharedResource> L) : FormPage
{
    [BindProperty(SupportsGet = true)] public long? Id { get; set; }
    [BindProperty(SupportsGet = true)] public long? Site { get; set; }
    [BindProperty] public int Version { get; set; }
    [BindProperty] public string? Category { get; set; } = "physical";
    [BindProperty] public string? NameZh { get; set; }
    [BindProperty] public string? NameEn { get; set; }
    [BindProperty] public string? DescriptionZh { get; set; }
    [BindProperty] public string? DescriptionEn { get; set; }
    [BindProperty] public int Cost { get; set; } = 100;
    [BindProperty] public bool Unlimited { get; set; }
    [BindProperty] public int StockChange { get; set; }
    [BindProperty] public int? LimitCount { get; set; }
    [BindProperty] public string? LimitPeriod { get; set; } = "month";
    [BindProperty] public bool RequiresApproval { get; set; } = true;
    [BindProperty] public DateOnly? ActiveFrom { get; set; }
    [BindProperty] public DateOnly? ActiveTo { get; set; }
    [BindProperty] public bool Active { get; set; } = true;
    [BindProperty] public IFormFile? Photo { get; set; }
    public int? CurrentStock { get; private set; }
    public bool HasPhoto { get; private set; }
    public long SiteId { get; private set; }
    public string? Message { get; private set; }

    private AdminScope Scope => AdminScope.Of(User);

    public async Task<IActionResult> OnGetAsync(bool saved = false)
    {
        if (!await LoadAsync(fill: true)) return NotFound();
        if (saved) Message = L["Rewards.ItemSaved"];
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!await LoadAsync(fill: false)) return NotFound();
        Photo? photo = null;
        if (Photo is { Length: > 0 } file)
        {
            if (file.Length > RulesOptions.Product.PhotoMaxBytes) return Fail("Error.PhotoTooLarge", RulesOptions.Product.PhotoMaxBytes / (1024 * 1024));
            using var ms = new MemoryStream();
            await file.CopyToAsync(ms);
            photo = new Photo(ms.ToArray(), file.ContentType);
        }
        var outcome = await catalogue.SaveAsync(new RewardForm(Id, Version, SiteId, Category, NameZh, NameEn, DescriptionZh, DescriptionEn, Cost, Unlimited, StockChange,
            LimitCount, LimitPeriod, RequiresApproval, ActiveFrom, ActiveTo, Active, photo), Scope, clock.GetUtcNow().UtcDateTime);
        if (!outcome.Ok) return Fail(outcome.Error!, outcome.Args);
        return Redirect($"/Admin/Rewards/Item?id={outcome.Id}&saved=true");
    }

    private IActionResult Fail(string key, params object[] args)
    {
        return Refuse(key, args);
    }

    /// <summary>The item (of a site this admin runs) or the site a new item goes to; false when neither is theirs.</summary>
    private async Task<bool> LoadAsync(bool fill)
    {
        if (Id is { } id)
        {
            var r = await queries.ItemAsync(id);
            if (r is null || !Scope.Covers(r.SiteId)) return false;
            SiteId = r.SiteId;
            CurrentStock = r.Stock;
            HasPhoto = r.HasPhoto;
            if (fill)
            {
                (Version, Category, NameZh, NameEn, DescriptionZh, DescriptionEn, Cost) = (r.Version, r.Category, r.NameZh, r.NameEn, r.DescriptionZh, r.DescriptionEn, r.Cost);
                (Unlimited, LimitCount, LimitPeriod, RequiresApproval, Active) = (r.Stock is null, r.LimitCount, r.LimitPeriod ?? "month", r.RequiresApproval, r.Active);
                ActiveFrom = r.ActiveFrom is { } f ? DateOnly.FromDateTime(Recognition.Web.Domain.SiteTime.FromDay(f)) : null;
                ActiveTo = r.ActiveTo is { } t ? DateOnly.FromDateTime(Recognition.Web.Domain.SiteTime.FromDay(t)) : null;
            }
            return true;
        }
        SiteId = Site ?? User.SiteId();
        return Scope.Covers(SiteId);
    }
}
