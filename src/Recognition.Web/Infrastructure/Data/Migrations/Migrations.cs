using FluentMigrator;

namespace Recognition.Web.Infrastructure.Data.Migrations;

// The schema's history. Each number has a script per engine under migrations/<engine>/; add a new class and
// its two scripts for every change, never edit one that has shipped.

[Migration(1, "0001_initial")]
public sealed class Initial : ScriptMigration;

[Migration(2, "0002_claims_achievements")]
public sealed class ClaimsAchievements : ScriptMigration;

[Migration(3, "0003_walls")]
public sealed class Walls : ScriptMigration;

[Migration(4, "0004_kiosk")]
public sealed class Kiosk : ScriptMigration;

[Migration(5, "0005_lean_writes")]
public sealed class LeanWrites : ScriptMigration;

[Migration(6, "0006_plant_setup")]
public sealed class PlantSetup : ScriptMigration;

[Migration(7, "0007_catalogue")]
public sealed class CatalogueSystemRules : ScriptMigration;

[Migration(8, "0008_policies")]
public sealed class Policies : ScriptMigration;

[Migration(9, "0009_security")]
public sealed class AttemptCounters : ScriptMigration;

[Migration(10, "0010_rewards")]
public sealed class Rewards : ScriptMigration;

[Migration(11, "0011_customer_praise")]
public sealed class CustomerPraise : ScriptMigration;

[Migration(12, "0012_insights")]
public sealed class Insights : ScriptMigration;

/// <summary>Employee numbers and badge codes unique whatever their case; existing twins are renamed and audited first.</summary>
[Migration(13, "0013_case_insensitive_numbers")]
public sealed class CaseInsensitiveNumbers : ScriptMigration
{
    public override void Up()
    {
        Execute.WithConnection(CaseTwins.Resolve);
        base.Up();
    }
}

/// <summary>Events carry no payload: the relay reads what it sends (one contract for both dialects).</summary>
[Migration(14, "0014_events_without_payload")]
public sealed class EventsWithoutPayload : ScriptMigration;

/// <summary>Single sign-on, SCIM tokens, kiosk activation codes and the rollout's sign-in times.</summary>
[Migration(15, "0015_identity_at_scale")]
public sealed class IdentityAtScale : ScriptMigration;

/// <summary>Channels (chat robots and signed webhooks per site or team) and the deliveries queued for them.</summary>
[Migration(16, "0016_channels")]
public sealed class Channels : ScriptMigration;

/// <summary>People's e-mail choice and quiet hours; deliveries for one person.</summary>
[Migration(17, "0017_personal_messages")]
public sealed class PersonalMessages : ScriptMigration;

/// <summary>Integration tokens for the plant systems' API; claims remember the token and when the behaviour happened.</summary>
[Migration(18, "0018_api")]
public sealed class Api : ScriptMigration;

/// <summary>Daily/weekly digests per chat channel, people's chat user ids and choices, unique digest keys.</summary>
[Migration(19, "0019_digests_mentions")]
public sealed class DigestsMentions : ScriptMigration;

/// <summary>Walls' and kiosks' status: last seen, gone since, app version and screen size.</summary>
[Migration(20, "0020_device_status")]
public sealed class DeviceStatus : ScriptMigration;

/// <summary>A kiosk report's quick-pick choice, area and note, so each reader sees it in their language.</summary>
[Migration(21, "0021_claim_quick_pick")]
public sealed class ClaimQuickPick : ScriptMigration;

/// <summary>Badges name an icon of the shipped set; a site's certificate issuer, signatory and logo.</summary>
[Migration(22, "0022_icons_certificates")]
public sealed class IconsCertificates : ScriptMigration;

/// <summary>Reactions (one of each kind per person per recognition) and comments on recognitions.</summary>
[Migration(23, "0023_social")]
public sealed class Social : ScriptMigration;

[Migration(24, "0024_addons")]
public sealed class AddOns : ScriptMigration;

[Migration(25, "0025_budgets")]
public sealed class Budgets : ScriptMigration;

[Migration(26, "0026_celebrations")]
public sealed class Celebrations : ScriptMigration;

[Migration(27, "0027_social_clues")]
public sealed class SocialClues : ScriptMigration;

[Migration(28, "0028_programs")]
public sealed class Programs : ScriptMigration;

[Migration(29, "0029_credentials")]
public sealed class Credentials : ScriptMigration;

[Migration(30, "0030_coaching")]
public sealed class Coaching : ScriptMigration;

[Migration(31, "0031_team_health")]
public sealed class TeamHealth : ScriptMigration;

[Migration(32, "0032_fairness")]
public sealed class Fairness : ScriptMigration;

[Migration(33, "0033_giver_time")]
public sealed class GiverTime : ScriptMigration;
