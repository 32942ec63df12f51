namespace Recognition.Web.Features.Coaching;

public sealed class CardPerson
{
    public long Id { get; init; }
    public long SiteId { get; init; }
    public long? TeamId { get; init; }
    public string? NameZh { get; init; }
    public string? NameEn { get; init; }
    public string EmployeeNo { get; init; } = "";
    public string Locale { get; init; } = "zh-CN";
    public string? TeamZh { get; init; }
    public string? TeamEn { get; init; }
    public string TimeZone { get; init; } = "Asia/Shanghai";
}

public sealed class CardRecognition
{
    public long Id { get; init; }
    public DateTime CreatedUtc { get; init; }
    public string Message { get; init; } = "";
    public string? FromZh { get; init; }
    public string? FromEn { get; init; }
    public string? ValueZh { get; init; }
    public string? ValueEn { get; init; }
    public string? BadgeZh { get; init; }
    public string? BadgeEn { get; init; }
    public string Source { get; init; } = "peer";
    public string? ExternalFrom { get; init; }
}

public sealed class CardClaim
{
    public DateTime CreatedUtc { get; init; }
    public string Category { get; init; } = "";
    public string? RuleZh { get; init; }
    public string? RuleEn { get; init; }
    public string Description { get; init; } = "";
    public string Status { get; init; } = "";
}

public sealed record ValueCount(string NameZh, string NameEn, int Then, int Now);

public sealed class OneOnOneRow
{
    public long Id { get; init; }
    public int HeldDay { get; init; }
    public long SupervisorId { get; init; }
    public string? SupervisorZh { get; init; }
    public string? SupervisorEn { get; init; }
    public string? Note { get; init; }
    public string? NextStep { get; init; }
    public int? NextStepDay { get; init; }
}

/// <summary>
/// A one-to-one prompt card: what the last 90 days show about a person — recognitions received (the last 30 days marked),
/// their values then (91–180 days ago) and now, hazard and near-miss reports and ideas, customer praise, what they gave
/// others, how long since they were last recognised — and a few open questions chosen from what the data shows. Built
/// only from what the person's supervisor may see (public and team recognitions; never private ones). Prompts for a
/// conversation, never a rating: there is no score anywhere on it.
/// </summary>
public sealed class CoachingCard
{
    public required CardPerson Person { get; init; }
    public required DateTime NowUtc { get; init; }
    public required IReadOnlyList<CardRecognition> Received { get; init; }
    public required IReadOnlyList<CardRecognition> Given { get; init; }
    public required IReadOnlyList<CardClaim> Claims { get; init; }
    public required IReadOnlyList<ValueCount> Values { get; init; }
    public required DateTime? LastRecognisedUtc { get; init; }
    public required IReadOnlyList<OneOnOneRow> OneOnOnes { get; init; }

    public IEnumerable<CardRecognition> Last30 => Received.Where(r => r.CreatedUtc >= NowUtc.AddDays(-30));
    public IEnumerable<CardRecognition> FromCustomers => Received.Where(r => r.Source == "customer");
    public IEnumerable<CardClaim> SafetyReports => Claims.Where(c => c.Category == "safety");
    public IEnumerable<CardClaim> Ideas => Claims.Where(c => c.Category == "improvement");

    /// <summary>Days since the last recognition (public or team) when it is 30 or more, or when there never was one in the window.</summary>
    public int? NotRecognisedDays =>
        LastRecognisedUtc is { } last ? ((NowUtc - last).Days >= 30 ? (NowUtc - last).Days : null) : 180;

    /// <summary>
    /// At most four open questions (resource keys with their argument), in this order of what the data shows: a recent
    /// strength, a value growing, safety reports, an idea, customer praise, a quiet stretch, who helped — and "what next"
    /// when fewer than three fit.
    /// </summary>
    public IReadOnlyList<(string Key, string? Arg)> Questions(bool chinese)
    {
        var q = new List<(string, string?)>();
        if (Last30.FirstOrDefault() is { } recent) q.Add(("Coach.Q.Strength", recent.Message));
        if (Values.Where(v => v.Now > v.Then).OrderByDescending(v => v.Now - v.Then).FirstOrDefault() is { } grow) q.Add(("Coach.Q.Growing", Bilingual.Pick(grow.NameZh, grow.NameEn, chinese)));
        if (SafetyReports.Any()) q.Add(("Coach.Q.Safety", SafetyReports.Count().ToString(System.Globalization.CultureInfo.InvariantCulture)));
        if (Ideas.FirstOrDefault() is { } idea) q.Add(("Coach.Q.Idea", idea.Description));
        if (FromCustomers.Any()) q.Add(("Coach.Q.Customer", null));
        if (NotRecognisedDays is not null) q.Add(("Coach.Q.InTheWay", null));
        q.Add(("Coach.Q.WhoHelped", null));
        if (q.Count < 3) q.Add(("Coach.Q.Next", null));
        return q.Take(4).ToList();
    }
}
