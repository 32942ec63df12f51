using System.Globalization;

namespace Recognition.Web.Features.Programs;

/// <summary>What HR fills in for a program: the window is the site's local days, the judges are employee numbers.</summary>
public sealed record ProgramForm(string? NameZh, string? NameEn, long BadgeId, string? Criteria, string? Nominators, string? Opens, string? Closes,
    int PrizePoints, int Budget, string? Judges);

public sealed class ProgramRow
{
    public long Id { get; init; }
    public long SiteId { get; init; }
    public string NameZh { get; init; } = "";
    public string NameEn { get; init; } = "";
    public long BadgeId { get; init; }
    public string? BadgeZh { get; init; }
    public string? BadgeEn { get; init; }
    public string? BadgeIcon { get; init; }
    public string Criteria { get; init; } = "";
    public string Nominators { get; init; } = "";
    public int OpensDay { get; init; }
    public int ClosesDay { get; init; }
    public int PrizePoints { get; init; }
    public int Budget { get; init; }
    public string Status { get; init; } = "";
    public long CreatedBy { get; init; }
    public int Nominations { get; init; }
    public int Spent { get; init; }
    public string Name => Bilingual.Pick(NameZh, NameEn);
    public string? Badge => BadgeZh is null ? null : Bilingual.Pick(BadgeZh, BadgeEn);
    public static string DayText(int day) => SiteTime.FromDay(day).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>"upcoming", "nominating", "judging" (window closed, not decided), "decided" or "cancelled" on the site's day.</summary>
    public string Phase(int today) => Status != "open" ? Status : today < OpensDay ? "upcoming" : today <= ClosesDay ? "nominating" : "judging";
}

/// <summary>One nomination as a judge sees it: who, by whom, why, and only this judge's own score.</summary>
public sealed class NominationRow
{
    public long Id { get; init; }
    public long NomineeId { get; init; }
    public string? NomineeZh { get; init; }
    public string? NomineeEn { get; init; }
    public string? NominatorZh { get; init; }
    public string? NominatorEn { get; init; }
    public string Reason { get; init; } = "";
    public int Shortlisted { get; init; }
    public int? MyScore { get; init; }
    public long? RecognitionId { get; init; }
    public string Nominee => Bilingual.Pick(NomineeZh, NomineeEn);
    public string Nominator => Bilingual.Pick(NominatorZh, NominatorEn);
}

public static class ProgramsModule
{
    public static IServiceCollection AddPrograms(this IServiceCollection s) => s.AddSingleton<ProgramService>();
}
