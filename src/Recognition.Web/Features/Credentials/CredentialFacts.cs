namespace Recognition.Web.Features.Credentials;

/// <summary>What a credential says: the badge (and its value), when it was awarded, and the recognition's words.</summary>
public sealed class CredentialFacts
{
    public long SourceId { get; init; }
    public long SiteId { get; init; }
    public DateTime AwardedUtc { get; init; }
    public string? Message { get; init; }
    public string Status { get; init; } = "active";
    public long BadgeId { get; init; }
    public string? BadgeZh { get; init; }
    public string? BadgeEn { get; init; }
    public string? DescriptionZh { get; init; }
    public string? DescriptionEn { get; init; }
    public string? Icon { get; init; }
    public string? Color { get; init; }
    public long? ValueId { get; init; }
    public string? ValueZh { get; init; }
    public string? ValueEn { get; init; }
    public string? BehavioursZh { get; init; }
    public string? BehavioursEn { get; init; }
    public int? Threshold { get; init; }
    public string? RuleZh { get; init; }
    public string? RuleEn { get; init; }

    private const string BadgeColumns = @"b.id AS BadgeId, b.name_zh AS BadgeZh, b.name_en AS BadgeEn, b.description_zh AS DescriptionZh, b.description_en AS DescriptionEn,
        b.icon AS Icon, b.color AS Color, v.id AS ValueId, v.name_zh AS ValueZh, v.name_en AS ValueEn, v.behaviours_zh AS BehavioursZh, v.behaviours_en AS BehavioursEn";

    /// <summary>A badge recognition the person received (any visibility: it is theirs), or null.</summary>
    public const string RecognitionSql = $@"SELECT r.id AS SourceId, r.site_id AS SiteId, r.created_utc AS AwardedUtc, r.message AS Message, r.status AS Status, {BadgeColumns}
        FROM recognitions r JOIN recognition_recipients x ON x.recognition_id = r.id AND x.employee_id = @me
        JOIN badges b ON b.id = r.badge_id LEFT JOIN core_values v ON v.id = COALESCE(r.value_id, b.value_id) WHERE r.id = @id";

    /// <summary>An achievement badge the person earned, with the rule it was earned by, or null.</summary>
    public const string AchievementSql = $@"SELECT eb.id AS SourceId, e.site_id AS SiteId, eb.created_utc AS AwardedUtc, 'active' AS Status, {BadgeColumns},
        ar.threshold AS Threshold, br.name_zh AS RuleZh, br.name_en AS RuleEn
        FROM employee_badges eb JOIN employees e ON e.id = eb.employee_id JOIN badges b ON b.id = eb.badge_id LEFT JOIN core_values v ON v.id = b.value_id
        LEFT JOIN achievement_rules ar ON ar.id = eb.achievement_rule_id LEFT JOIN behaviour_rules br ON br.id = ar.rule_id
        WHERE eb.id = @id AND eb.employee_id = @me";
}

public sealed class CredentialHolder
{
    public string EmployeeNo { get; init; } = "";
    public string? CredentialEmail { get; init; }
    public string Locale { get; init; } = "zh-CN";
    public string? IssuerZh { get; init; }
    public string? IssuerEn { get; init; }
    public bool HasLogo { get; init; }

    /// <summary>Who the credential names (hashed in it): the e-mail the person added, else their employee number.</summary>
    public string Recipient => string.IsNullOrWhiteSpace(CredentialEmail) ? EmployeeNo : CredentialEmail.Trim().ToLowerInvariant();
}

/// <summary>A credential on the person's list: what it is for, and whether one was already made (with or without the words).</summary>
public sealed class KeepableBadge
{
    public string Kind { get; init; } = "";
    public long SourceId { get; init; }
    public DateTime AwardedUtc { get; init; }
    public string? BadgeZh { get; init; }
    public string? BadgeEn { get; init; }
    public string? Icon { get; init; }
    public string? Color { get; init; }
    public string? GiverZh { get; init; }
    public string? GiverEn { get; init; }
    public bool HasMessage { get; init; }

    /// <summary>Everything the person can keep, newest first: badge recognitions received (not revoked) and achievement badges.</summary>
    public static async Task<IReadOnlyList<KeepableBadge>> ListAsync(Db db, long me, int take = 500) =>
        (await db.ReadAsync(c => c.QueryAsync<KeepableBadge>(db.Dialect.Page(
            @"SELECT * FROM (
                SELECT 'recognition' AS Kind, r.id AS SourceId, r.created_utc AS AwardedUtc, b.name_zh AS BadgeZh, b.name_en AS BadgeEn, b.icon AS Icon, b.color AS Color,
                       g.name_zh AS GiverZh, g.name_en AS GiverEn, CASE WHEN r.message IS NULL OR r.message = '' THEN 0 ELSE 1 END AS HasMessage
                FROM recognition_recipients x JOIN recognitions r ON r.id = x.recognition_id JOIN badges b ON b.id = r.badge_id JOIN employees g ON g.id = r.giver_id
                WHERE x.employee_id = @me AND r.status = 'active'
                UNION ALL
                SELECT 'achievement', eb.id, eb.created_utc, b.name_zh, b.name_en, b.icon, b.color, NULL, NULL, 0
                FROM employee_badges eb JOIN badges b ON b.id = eb.badge_id WHERE eb.employee_id = @me) k
              ORDER BY AwardedUtc DESC, SourceId DESC"), new { me, take, skip = 0 }))).ToList();
}
