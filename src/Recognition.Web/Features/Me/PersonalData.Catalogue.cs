namespace Recognition.Web.Features.Me;

/// <summary>One part of the personal export: its key (the JSON property and the CSV block), and the table columns holding the person it covers.</summary>
public sealed record DataSection(string Key, string[] Covers, string Sql);

/// <summary>A column that links a table to a person but is not exported as such, and why (a resource key the transparency page shows).</summary>
public sealed record NotExported(string Column, string Reason);

/// <summary>
/// Everything recorded about a person, in one place: the export writes these sections, the transparency page lists them,
/// and a test checks that every column in the database that points at a person is either covered here or listed as not
/// exported with its reason — a new table with person data and no entry fails it.
/// </summary>
public sealed partial class PersonalData
{
    public static readonly DataSection[] Sections =
    [
        new("profile", ["employees.id", "employees.manager_id"],
            @"SELECT e.employee_no, e.name_zh, e.name_en, e.email, e.credential_email, e.notify_email, e.chat_user_id, e.locale, s.name_zh AS site_zh, s.name_en AS site_en,
                     t.name_zh AS team_zh, t.name_en AS team_en, e.department, m.name_zh AS manager_zh, m.name_en AS manager_en, e.roles, e.active, e.hire_day, e.gender,
                     e.birth_mmdd, e.birthday_public, e.celebrate_opt_out, e.leaderboard_opt_out, e.praise_opt_in, e.praise_listed, e.notify_chat, e.notify_weekly,
                     e.quiet_from, e.quiet_to, e.badge_code, e.sso_subject, e.scim_user_name, e.external_id, e.created_utc, e.activated_utc, e.last_signin_utc
              FROM employees e JOIN sites s ON s.id = e.site_id LEFT JOIN teams t ON t.id = e.team_id LEFT JOIN employees m ON m.id = e.manager_id WHERE e.id = @me"),
        new("recognitions_received", ["recognition_recipients.employee_id"],
            @"SELECT r.id, r.created_utc, g.name_zh AS from_zh, g.name_en AS from_en, b.name_zh AS badge_zh, b.name_en AS badge_en, v.name_zh AS value_zh, v.name_en AS value_en,
                     r.message, r.visibility, r.points_each AS points, r.status, r.revoked_utc, r.source, r.external_from
              FROM recognition_recipients x JOIN recognitions r ON r.id = x.recognition_id JOIN employees g ON g.id = r.giver_id
              LEFT JOIN badges b ON b.id = r.badge_id LEFT JOIN core_values v ON v.id = r.value_id WHERE x.employee_id = @me ORDER BY r.id"),
        new("recognitions_given", ["recognitions.giver_id"],
            @"SELECT r.id, r.created_utc, b.name_zh AS badge_zh, b.name_en AS badge_en, v.name_zh AS value_zh, v.name_en AS value_en, r.message, r.visibility,
                     r.points_each AS points, r.status, r.revoked_utc
              FROM recognitions r LEFT JOIN badges b ON b.id = r.badge_id LEFT JOIN core_values v ON v.id = r.value_id WHERE r.giver_id = @me ORDER BY r.id"),
        new("add_ons_given", ["recognition_addons.giver_id"],
            "SELECT a.recognition_id, a.points_each AS points, a.message, a.created_utc FROM recognition_addons a WHERE a.giver_id = @me ORDER BY a.id"),
        new("reactions", ["reactions.employee_id"], "SELECT recognition_id, kind, created_utc FROM reactions WHERE employee_id = @me ORDER BY created_utc"),
        new("comments", ["comments.author_id"], "SELECT id, recognition_id, body, created_utc, edited_utc, removed_utc FROM comments WHERE author_id = @me ORDER BY id"),
        new("ledger", ["points_ledger.employee_id", "point_balances.employee_id"],
            "SELECT id, created_utc, local_day, points, kind, source_type, source_id, reverses_id FROM points_ledger WHERE employee_id = @me ORDER BY id"),
        new("allowances", ["allowances.employee_id", "allowance_grants.giver_id", "allowance_grants.recipient_id", "spot_budget_people.employee_id"],
            "SELECT * FROM allowances WHERE employee_id = @me"),
        new("claims", ["claims.employee_id"],
            @"SELECT c.id, c.created_utc, r.name_zh AS rule_zh, r.name_en AS rule_en, c.description, c.location, c.note, c.status, c.points_awarded, c.decided_utc, c.decision_reason
              FROM claims c JOIN behaviour_rules r ON r.id = c.rule_id WHERE c.employee_id = @me ORDER BY c.id"),
        new("orders", ["reward_orders.employee_id", "reward_takes.employee_id"],
            @"SELECT o.id, o.created_utc, w.name_zh AS reward_zh, w.name_en AS reward_en, o.quantity, o.points, o.status, o.handed_utc, o.closed_utc, o.closed_reason
              FROM reward_orders o JOIN rewards w ON w.id = o.reward_id WHERE o.employee_id = @me ORDER BY o.id"),
        new("achievements", ["employee_badges.employee_id"],
            "SELECT eb.id, eb.created_utc, b.name_zh AS badge_zh, b.name_en AS badge_en FROM employee_badges eb JOIN badges b ON b.id = eb.badge_id WHERE eb.employee_id = @me ORDER BY eb.id"),
        new("celebrations", ["celebrations.employee_id"], "SELECT kind, year, years, local_day, points, created_utc FROM celebrations WHERE employee_id = @me ORDER BY id"),
        new("customer_praise", ["praise_submissions.employee_id", "praise_codes.employee_id"],
            "SELECT id, created_utc, message, author_name, company, status, decided_utc, recognition_id FROM praise_submissions WHERE employee_id = @me ORDER BY id"),
        new("notifications", ["notifications.employee_id", "expiry_notices.employee_id"],
            "SELECT kind, subject_id, created_utc, read_utc FROM notifications WHERE employee_id = @me ORDER BY id"),
        new("messages_sent_to_you", ["deliveries.employee_id"],
            "SELECT kind, title, body, link, state, created_utc, sent_utc FROM deliveries WHERE employee_id = @me ORDER BY id"),
        new("nominations_made", ["nominations.nominator_id"],
            "SELECT n.program_id, p.name_zh AS program_zh, p.name_en AS program_en, n.reason, n.created_utc FROM nominations n JOIN award_programs p ON p.id = n.program_id WHERE n.nominator_id = @me ORDER BY n.id"),
        new("roles", ["team_leaders.employee_id", "program_judges.employee_id", "nomination_scores.judge_id"],
            @"SELECT 'team_leader' AS role, t.name_zh AS name_zh, t.name_en AS name_en FROM team_leaders l JOIN teams t ON t.id = l.team_id WHERE l.employee_id = @me
              UNION ALL SELECT 'program_judge', p.name_zh, p.name_en FROM program_judges j JOIN award_programs p ON p.id = j.program_id WHERE j.employee_id = @me"),
        new("one_on_ones", ["one_on_ones.employee_id", "one_on_ones.supervisor_id"],
            @"SELECT o.held_day, CASE WHEN o.employee_id = @me THEN 'with_you' ELSE 'you_held' END AS role, e.name_zh AS with_zh, e.name_en AS with_en,
                     o.note, o.next_step, o.next_step_day, o.created_utc
              FROM one_on_ones o JOIN employees e ON e.id = CASE WHEN o.employee_id = @me THEN o.supervisor_id ELSE o.employee_id END
              WHERE o.employee_id = @me OR o.supervisor_id = @me ORDER BY o.id"),
        new("credentials", ["credentials.employee_id"], "SELECT public_id, source_kind, source_id, with_message, issued_utc FROM credentials WHERE employee_id = @me ORDER BY id"),
        new("audit", ["audit_log.actor_id"],
            "SELECT at_utc, action, target, detail FROM audit_log WHERE actor_id = @me OR target = @target ORDER BY id"),
    ];

    public static readonly NotExported[] NotExportedColumns =
    [
        .. new[] { "person_day_points", "person_week_points", "person_month_points", "giving_counts", "rule_counters" }
            .Select(t => new NotExported($"{t}.{(t == "giving_counts" ? "giver_id" : "employee_id")}", "Export.Why.Totals")),
        .. new[] { "ins_person_week", "ins_person_value", "ins_person_recent" }.Select(t => new NotExported($"{t}.employee_id", "Export.Why.Analytics")),
        new("nominations.nominee_id", "Export.Why.Nominations"),
        .. new[]
        {
            "recognitions.revoked_by", "comments.removed_by", "claims.recorded_by", "claims.decided_by", "reward_orders.approved_by", "reward_orders.second_approved_by",
            "reward_orders.ready_by", "reward_orders.handed_by", "reward_orders.closed_by", "praise_submissions.decided_by", "insight_clues.decided_by",
            "award_programs.created_by", "award_programs.decided_by", "api_tokens.created_by", "channels.created_by", "scim_tokens.created_by", "retention_policies.updated_by",
        }.Select(c => new NotExported(c, "Export.Why.Staff")),
    ];
}
