using System.Globalization;
using Recognition.Web.Features.Claims;

namespace Recognition.Web.Features.Rewards;

/// <summary>One catalogue item as the pages and the redemption read it.</summary>
public sealed class RewardRow
{
    public const string Select =
        @"SELECT r.id AS Id, r.site_id AS SiteId, r.category AS Category, r.name_zh AS NameZh, r.name_en AS NameEn, r.description_zh AS DescriptionZh,
                 r.description_en AS DescriptionEn, r.cost AS Cost, r.stock AS Stock, r.stocked AS Stocked, r.limit_count AS LimitCount, r.limit_period AS LimitPeriod,
                 r.requires_approval AS RequiresApproval, r.active_from AS ActiveFrom, r.active_to AS ActiveTo, r.active AS Active, r.version AS Version,
                 CASE WHEN EXISTS (SELECT 1 FROM reward_photos p WHERE p.reward_id = r.id) THEN 1 ELSE 0 END AS HasPhoto
          FROM rewards r";

    public long Id { get; init; }
    public long SiteId { get; init; }
    public string Category { get; init; } = "";
    public string NameZh { get; init; } = "";
    public string NameEn { get; init; } = "";
    public string DescriptionZh { get; init; } = "";
    public string DescriptionEn { get; init; } = "";
    public int Cost { get; init; }
    public int? Stock { get; init; }
    public int Stocked { get; init; }
    public int? LimitCount { get; init; }
    public string? LimitPeriod { get; init; }
    public bool RequiresApproval { get; init; }
    public int? ActiveFrom { get; init; }
    public int? ActiveTo { get; init; }
    public bool Active { get; init; }
    public int Version { get; init; }
    public bool HasPhoto { get; init; }
    public string Name => Bilingual.Pick(NameZh, NameEn);
    public string Description => Bilingual.Pick(DescriptionZh, DescriptionEn);

    public bool AvailableOn(int day) => Active && (ActiveFrom is not { } f || day >= f) && (ActiveTo is not { } t || day <= t);
}

/// <summary>A site's reward settings: the points-to-money rate, the cost from which an order needs a second approver, and optional expiry.</summary>
public sealed record RewardSettings(long SiteId, int PointValueE4, string Currency, int? SecondApprovalPoints, int? ExpiryMonths)
{
    public static RewardSettings Default(long siteId) => new(siteId, 0, "CNY", null, null);

    public decimal PointValue => PointValueE4 / 10000m;

    /// <summary>Points in money at this site's rate, e.g. "¥12.50"-style text with the currency code ("CNY 12.50").</summary>
    public string Money(long points) => PointValueE4 == 0 ? "—" : $"{Currency} {(points * PointValue).ToString("N2", CultureInfo.InvariantCulture)}";

    public static async Task<RewardSettings> LoadAsync(DbConnection conn, DbTransaction? tx, long siteId) =>
        await conn.QuerySingleOrDefaultAsync<(int E4, string Currency, int? Second, int? Expiry)?>(
            "SELECT point_value_e4, currency, second_approval_points, expiry_months FROM reward_settings WHERE site_id = @siteId", new { siteId }, tx) is { } s
            ? new RewardSettings(siteId, s.E4, s.Currency, s.Second, s.Expiry)
            : Default(siteId);
}

public sealed record RewardForm(long? Id, int Version, long SiteId, string? Category, string? NameZh, string? NameEn, string? DescriptionZh, string? DescriptionEn,
    int Cost, bool Unlimited, int StockChange, int? LimitCount, string? LimitPeriod, bool RequiresApproval, DateOnly? ActiveFrom, DateOnly? ActiveTo, bool Active,
    Photo? Photo);

public sealed record SettingsForm(long SiteId, string? PointValue, string? Currency, int? SecondApprovalPoints, int? ExpiryMonths);

/// <summary>
/// The catalogue an admin keeps per site. Items are never deleted (orders point at them): they are switched off.
/// Stock is changed by adding or taking away, never overwritten, so a redemption in between is never lost.
/// </summary>
public sealed class RewardCatalogue(Db db)
{
    public static readonly string[] Categories = ["physical", "voucher", "experience"];
    public const int MaxCost = 1_000_000, MaxStockChange = 100_000;

    public async Task<Outcome> SaveAsync(RewardForm f, AdminScope scope, DateTime now)
    {
        if (!scope.Covers(f.SiteId)) return Outcome.Refused("Rewards.UnknownItem");
        var zh = TextRules.Clean(f.NameZh);
        var en = TextRules.Clean(f.NameEn);
        if (zh.Length == 0 && en.Length == 0) return Outcome.Refused("Org.NameMissing");
        if (zh.Length > 100 || en.Length > 100) return Outcome.Refused("Rewards.NameTooLong", 100);
        var dzh = MessageRules.Clean(f.DescriptionZh);
        var den = MessageRules.Clean(f.DescriptionEn);
        if (dzh.Length > 1000 || den.Length > 1000) return Outcome.Refused("Rewards.DescriptionTooLong", 1000);
        if (!Categories.Contains(f.Category)) return Outcome.Refused("Rewards.BadCategory");
        if (f.Cost is < 1 or > MaxCost) return Outcome.Refused("Rewards.BadCost", MaxCost);
        if (Math.Abs(f.StockChange) > MaxStockChange) return Outcome.Refused("Rewards.BadStock", MaxStockChange);
        if (f.LimitCount is { } lc && (lc < 1 || lc > 1000 || f.LimitPeriod is not ("month" or "quarter"))) return Outcome.Refused("Rewards.BadLimit");
        if (f.ActiveFrom is { } a && f.ActiveTo is { } b && b < a) return Outcome.Refused("Rewards.BadWindow");
        Photo? photo = null;
        if (f.Photo is { Bytes.Length: > 0 } upload)
        {
            if (upload.Bytes.Length > RulesOptions.Product.PhotoMaxBytes)
                return Outcome.Refused("Error.PhotoTooLarge", RulesOptions.Product.PhotoMaxBytes / (1024 * 1024));
            if (ImageSniffer.ContentType(upload.Bytes) is null) return Outcome.Refused(PhotoCleaner.NotImage);
            var (clean, error) = PhotoCleaner.Clean(upload.Bytes);
            if (clean is null) return Outcome.Refused(error!, PhotoCleaner.MaxPixels / 1_000_000);
            photo = clean;
        }
        var row = new
        {
            f.Id, f.Version, f.SiteId, category = f.Category, zh = zh.Length == 0 ? en : zh, en = en.Length == 0 ? zh : en, dzh = dzh.Length == 0 ? den : dzh,
            den = den.Length == 0 ? dzh : den, cost = f.Cost, limitCount = f.LimitCount, limitPeriod = f.LimitCount is null ? null : f.LimitPeriod,
            approval = f.RequiresApproval ? 1 : 0, from = Day(f.ActiveFrom), to = Day(f.ActiveTo), active = f.Active ? 1 : 0, now,
            change = f.StockChange,
        };
        return await db.RunAsync(async (c, t) =>
        {
            if (await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM sites WHERE id = @SiteId", row, t) == 0) throw new RuleViolation("Rewards.UnknownItem");
            long id;
            if (f.Id is null)
            {
                if (!f.Unlimited && f.StockChange < 0) throw new RuleViolation("Rewards.BadStock", MaxStockChange);
                id = await c.ScalarAsync<long>(t, db.Dialect.InsertReturningId("rewards",
                        "site_id, category, name_zh, name_en, description_zh, description_en, cost, stock, stocked, limit_count, limit_period, requires_approval, " +
                        "active_from, active_to, active, version, created_utc, updated_utc",
                        "@SiteId, @category, @zh, @en, @dzh, @den, @cost, @stock, @stocked, @limitCount, @limitPeriod, @approval, @from, @to, @active, 1, @now, @now"),
                    new
                    {
                        row.SiteId, row.category, row.zh, row.en, row.dzh, row.den, row.cost, stock = f.Unlimited ? (int?)null : f.StockChange,
                        stocked = f.Unlimited ? 0 : f.StockChange, row.limitCount, row.limitPeriod, row.approval, row.from, row.to, row.active, now,
                    });
                await Audit.WriteAsync(c, t, scope.Actor, "reward.created", $"reward:{id}", $"{row.zh} / {row.en}: {row.cost}", null, now);
            }
            else
            {
                id = f.Id.Value;
                var before = await c.QuerySingleOrDefaultAsync<RewardRow>(RewardRow.Select + " WHERE r.id = @Id", row, t);
                if (before is null || !scope.Covers(before.SiteId) || before.SiteId != f.SiteId) throw new RuleViolation("Rewards.UnknownItem");
                var changed = await c.ExecuteAsync(
                    @"UPDATE rewards SET category = @category, name_zh = @zh, name_en = @en, description_zh = @dzh, description_en = @den, cost = @cost,
                          limit_count = @limitCount, limit_period = @limitPeriod, requires_approval = @approval, active_from = @from, active_to = @to,
                          active = @active, version = version + 1, updated_utc = @now
                      WHERE id = @Id AND version = @Version", row, t);
                if (changed != 1) throw new RuleViolation("Rewards.ChangedMeanwhile");
                // Stock moves by a difference, in one conditional UPDATE: never below zero, never over a redemption made meanwhile.
                if (f.Unlimited && before.Stock is not null)
                {
                    await c.ExecuteAsync("UPDATE rewards SET stock = NULL WHERE id = @Id", row, t);
                }
                else if (!f.Unlimited && before.Stock is null)
                {
                    if (f.StockChange < 0) throw new RuleViolation("Rewards.StockBelowZero");
                    await c.ExecuteAsync("UPDATE rewards SET stock = @change, stocked = stocked + @change WHERE id = @Id", row, t);
                }
                else if (!f.Unlimited && f.StockChange != 0 &&
                         await c.ExecuteAsync("UPDATE rewards SET stock = stock + @change, stocked = stocked + @change WHERE id = @Id AND stock + @change >= 0", row, t) != 1)
                {
                    throw new RuleViolation("Rewards.StockBelowZero");
                }
                await Audit.WriteAsync(c, t, scope.Actor, "reward.updated", $"reward:{id}",
                    $"{before.NameZh} / {before.NameEn}: {before.Cost} → {row.zh} / {row.en}: {row.cost}; stock {before.Stock?.ToString(CultureInfo.InvariantCulture) ?? "∞"} {(f.Unlimited ? "→ ∞" : f.StockChange.ToString("+0;-0;±0", CultureInfo.InvariantCulture))}",
                    null, now);
            }
            if (photo is not null)
            {
                await c.ExecuteAsync("DELETE FROM reward_photos WHERE reward_id = @id", new { id }, t);
                await c.ExecuteAsync("INSERT INTO reward_photos (reward_id, content_type, bytes) VALUES (@id, @ContentType, @Bytes)", new { id, photo.ContentType, photo.Bytes }, t);
            }
            return id;
        });
    }

    public async Task<Outcome> SaveSettingsAsync(SettingsForm f, AdminScope scope, DateTime now)
    {
        if (!scope.Covers(f.SiteId)) return Outcome.Refused("Rewards.UnknownItem");
        var text = (f.PointValue ?? "").Trim();
        if (text.Length == 0) text = "0";
        if (!decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) || value < 0 || value > 1000 || decimal.Round(value, 4) != value)
        {
            return Outcome.Refused("Rewards.BadRate");
        }
        var currency = (f.Currency ?? "").Trim().ToUpperInvariant();
        if (currency.Length != 3 || !currency.All(char.IsAsciiLetterUpper)) return Outcome.Refused("Rewards.BadCurrency");
        if (f.SecondApprovalPoints is < 1 or > MaxCost) return Outcome.Refused("Rewards.BadSecondApproval");
        if (f.ExpiryMonths is < 1 or > 120) return Outcome.Refused("Rewards.BadExpiry");
        var args = new { f.SiteId, e4 = (int)(value * 10000), currency, second = f.SecondApprovalPoints, months = f.ExpiryMonths, now };
        return Outcome.Created(await db.WriteAsync(async (c, t) =>
        {
            if (await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM sites WHERE id = @SiteId", args, t) == 0) throw new InvalidOperationException("No such site.");
            var updated = await c.ExecuteAsync(
                "UPDATE reward_settings SET point_value_e4 = @e4, currency = @currency, second_approval_points = @second, expiry_months = @months, updated_utc = @now WHERE site_id = @SiteId",
                args, t);
            if (updated == 0)
            {
                await c.ExecuteAsync(
                    "INSERT INTO reward_settings (site_id, point_value_e4, currency, second_approval_points, expiry_months, updated_utc) VALUES (@SiteId, @e4, @currency, @second, @months, @now)",
                    args, t);
            }
            await Audit.WriteAsync(c, t, scope.Actor, "reward.settings", $"site:{f.SiteId}",
                $"rate {value.ToString(CultureInfo.InvariantCulture)} {currency}; second approval from {f.SecondApprovalPoints?.ToString(CultureInfo.InvariantCulture) ?? "-"}; expiry {f.ExpiryMonths?.ToString(CultureInfo.InvariantCulture) ?? "off"}",
                null, now);
            return f.SiteId;
        }));
    }

    private static int? Day(DateOnly? d) => d is { } x ? x.Year * 10000 + x.Month * 100 + x.Day : null;
}
