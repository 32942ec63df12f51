namespace Recognition.Web.Domain;

/// <summary>A recognition as every surface shows it: the feed, walls, kiosks, printouts and insights read this one shape.</summary>
public sealed class FeedCard
{
    public long Id { get; init; }
    public DateTime CreatedUtc { get; init; }
    public string TimeZone { get; init; } = "";
    public long GiverId { get; init; }
    public string? GiverZh { get; init; }
    public string? GiverEn { get; init; }
    public string? BadgeZh { get; init; }
    public string? BadgeEn { get; init; }
    public string? BadgeIcon { get; init; }
    public string? BadgeColor { get; init; }
    public string? ValueZh { get; init; }
    public string? ValueEn { get; init; }
    public string Message { get; init; } = "";
    public string Visibility { get; init; } = "";
    public int PointsEach { get; init; }
    public string Status { get; init; } = "";
    public string VerifyCode { get; init; } = "";
    /// <summary>"peer", or "customer" for praise a customer sent through a thank-you code (approved by a supervisor).</summary>
    public string Source { get; init; } = "peer";
    /// <summary>For customer praise: the company (or name) the customer gave, if any.</summary>
    public string? ExternalFrom { get; init; }
    public bool FromCustomer => Source == "customer";
    public List<(long Id, string Name)> Recipients { get; } = [];
    /// <summary>How many of each reaction kind (walls and kiosks show the counts; who reacted is not on a card).</summary>
    public Dictionary<string, int> ReactionCounts { get; set; } = [];
    /// <summary>Recipients with both names and their team at the time, for printouts.</summary>
    public List<(long Id, string? NameZh, string? NameEn, long? TeamId)> RecipientDetails { get; } = [];
    public string Giver => Bilingual.Pick(GiverZh, GiverEn);
    public string? Badge => BadgeZh is null ? null : Bilingual.Pick(BadgeZh, BadgeEn);
    public string? Value => ValueZh is null ? null : Bilingual.Pick(ValueZh, ValueEn);
    public string When => SiteTime.Format(CreatedUtc, TimeZone);
}
