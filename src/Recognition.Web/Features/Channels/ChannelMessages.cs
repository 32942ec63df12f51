using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Localization;
using Recognition.Web.Infrastructure.Web;

namespace Recognition.Web.Features.Channels;

public sealed class OrderInfo
{
    public long Id { get; init; }
    public string EmployeeNo { get; init; } = "";
    public string RewardZh { get; init; } = "";
    public string RewardEn { get; init; } = "";
    public long Quantity { get; init; }
    public long Points { get; init; }
    public string? Reason { get; init; }
}

public sealed class PraiseInfo
{
    public long Id { get; init; }
    public long? RecognitionId { get; init; }
    public long? TeamId { get; init; }
    public string? Company { get; init; }
    public DateTime? DecidedUtc { get; init; }
}

/// <summary>
/// What each event says in a channel, in the channel's language, with a link through PublicUrl. Chat channels get a
/// title and a short text; webhooks get the event's documented JSON (see README, "Webhooks").
/// </summary>
public sealed class ChannelMessages(IStringLocalizer<SharedResource> l, PublicUrl publicUrl)
{
    public string Base => (publicUrl.Value ?? "http://localhost:5000").TrimEnd('/');

    public (string Title, string Body) Test(string locale) => In(locale, () => (l["Channels.TestTitle"].Value, l["Channels.TestBody"].Value));

    /// <summary>A recognition for a chat channel: who thanked whom, the badge and value, the words; points only when no recipient opted out.</summary>
    public (string Title, string Body, string Link) Recognition(FeedCard card, string locale, bool showPoints) => In(locale, () =>
    {
        var zh = locale == "zh-CN";
        var to = string.Join(zh ? "、" : ", ", card.RecipientDetails.Select(r => Bilingual.Pick(r.NameZh, r.NameEn, zh)));
        var title = card.FromCustomer
            ? l["Channels.PraiseTitle", to].Value
            : l["Channels.RecognitionTitle", Bilingual.Pick(card.GiverZh, card.GiverEn, zh), to].Value;
        var lines = new List<string>();
        if (card.BadgeZh is not null) lines.Add($"🏅 {Bilingual.Pick(card.BadgeZh, card.BadgeEn, zh)}" + (card.ValueZh is null ? "" : $" · {Bilingual.Pick(card.ValueZh, card.ValueEn, zh)}"));
        if (card.FromCustomer && card.ExternalFrom is { Length: > 0 } from) lines.Add(l["Channels.PraiseFrom", from].Value);
        lines.Add($"“{card.Message}”");
        if (showPoints && card.PointsEach > 0) lines.Add(l["Channels.Points", card.PointsEach].Value);
        return (title, string.Join("\n", lines), $"{Base}/verify/{card.VerifyCode}");
    });

    /// <summary>A celebration for a chat group: "🎉 Jing Chen: 5 year(s) with us", a congratulation, a link to the feed.</summary>
    public (string Title, string Body, string Link) Celebration(Celebrations.CelebrationRow row, string locale) => In(locale, () =>
        ("🎉 " + row.Text(locale), l["Mail.Celebration"].Value, $"{Base}/Feed"));

    /// <summary>Several messages a burst folded into one: the titles, newest last.</summary>
    public (string Title, string Body) Digest(string locale, IReadOnlyList<string> titles) => In(locale, () =>
        (l["Channels.DigestTitle", titles.Count].Value, string.Join("\n", titles.Take(20).Select(t => "• " + t)) + (titles.Count > 20 ? "\n…" : "")));

    /// <summary>The webhook body's data for a recognition (schema in the README): ids, numbers and both names, never private ones.</summary>
    public string RecognitionData(FeedCard card, bool showPoints, IReadOnlyDictionary<long, string> numbers) => new JsonObject
    {
        ["id"] = card.Id,
        ["source"] = card.Source,
        ["giver"] = card.FromCustomer ? null : new JsonObject { ["employeeNo"] = numbers.GetValueOrDefault(card.GiverId), ["nameZh"] = card.GiverZh, ["nameEn"] = card.GiverEn },
        ["recipients"] = new JsonArray([.. card.RecipientDetails.Select(r => (JsonNode)new JsonObject
        {
            ["employeeNo"] = numbers.GetValueOrDefault(r.Id), ["nameZh"] = r.NameZh, ["nameEn"] = r.NameEn, ["teamId"] = r.TeamId,
        })]),
        ["badge"] = card.BadgeZh is null ? null : new JsonObject { ["nameZh"] = card.BadgeZh, ["nameEn"] = card.BadgeEn },
        ["value"] = card.ValueZh is null ? null : new JsonObject { ["nameZh"] = card.ValueZh, ["nameEn"] = card.ValueEn },
        ["message"] = card.Message,
        ["pointsEach"] = showPoints ? card.PointsEach : null,
        ["createdUtc"] = card.CreatedUtc.ToString("O", CultureInfo.InvariantCulture),
        ["link"] = $"{Base}/verify/{card.VerifyCode}",
    }.ToJsonString();

    /// <summary>The webhook body's data for a change of an order's state: the state it moved to and what was ordered, by whom.</summary>
    public string OrderData(OrderInfo o, string state) => new JsonObject
    {
        ["id"] = o.Id, ["state"] = state, ["employeeNo"] = o.EmployeeNo,
        ["reward"] = new JsonObject { ["nameZh"] = o.RewardZh, ["nameEn"] = o.RewardEn },
        ["quantity"] = o.Quantity, ["points"] = o.Points,
        ["reason"] = state is "declined" ? o.Reason : null,
    }.ToJsonString();

    /// <summary>The webhook body's data for approved customer praise: the recognition it became (never the customer's contact).</summary>
    public string PraiseData(PraiseInfo p) => new JsonObject
    {
        ["id"] = p.Id, ["recognitionId"] = p.RecognitionId, ["teamId"] = p.TeamId, ["company"] = p.Company,
        ["approvedUtc"] = p.DecidedUtc?.ToString("O", CultureInfo.InvariantCulture),
    }.ToJsonString();

    private static T In<T>(string locale, Func<T> render)
    {
        var previous = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(locale);
        try { return render(); }
        finally { CultureInfo.CurrentUICulture = previous; }
    }
}
