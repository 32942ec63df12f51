using System.Security.Claims;

namespace Recognition.Web.Features.Coaching;

/// <summary>The form a supervisor fills after a one-to-one.</summary>
public sealed record OneOnOneForm(long PersonId, string? HeldOn, string? Note, string? NextStep, string? NextStepOn, string? Key);

/// <summary>
/// One-to-ones: a supervisor of the person's team records that a conversation took place (the day, an optional note only
/// the two of them see, an agreed next step with its day). No scores. A double tap records one (the form's key).
/// </summary>
public sealed class OneOnOnes(Db db, TeamAccess teams, TimeProvider clock)
{
    public const int NoteMax = 1000, NextStepMax = 300;

    public async Task<Outcome> RecordAsync(ClaimsPrincipal supervisor, OneOnOneForm f)
    {
        var me = supervisor.EmployeeId();
        var person = await db.ReadAsync(c => c.QueryFirstOrDefaultAsync<(long SiteId, long? TeamId, string Zone)?>(
            "SELECT e.site_id, e.team_id, s.time_zone FROM employees e JOIN sites s ON s.id = e.site_id WHERE e.id = @PersonId AND e.active = 1", new { f.PersonId }));
        if (person is not { TeamId: { } team } p || f.PersonId == me || !await teams.CanPrintTeamAsync(supervisor, team)) return Outcome.Refused("Error.RecognitionNotFound");
        var now = clock.GetUtcNow().UtcDateTime;
        var today = SiteTime.Day(SiteTime.ToLocal(now, p.Zone));
        if (Programs.ProgramService.ParseDay(f.HeldOn) is not { } held || held > today || held < today - 10000) return Outcome.Refused("Coach.BadHeldDay");
        var note = string.IsNullOrWhiteSpace(f.Note) ? null : f.Note.Trim();
        var step = string.IsNullOrWhiteSpace(f.NextStep) ? null : f.NextStep.Trim();
        if (note is { Length: > NoteMax }) return Outcome.Refused("Coach.NoteTooLong", NoteMax);
        if (step is { Length: > NextStepMax }) return Outcome.Refused("Coach.StepTooLong", NextStepMax);
        int? stepDay = null;
        if (!string.IsNullOrWhiteSpace(f.NextStepOn))
        {
            if (Programs.ProgramService.ParseDay(f.NextStepOn) is not { } d || d < held) return Outcome.Refused("Coach.BadStepDay");
            stepDay = d;
        }
        if (step is not null && stepDay is null) return Outcome.Refused("Coach.StepNeedsDay");
        if (f.Key is not { Length: >= 16 and <= 64 }) return Outcome.Refused("Error.FormExpired");
        try
        {
            var id = await db.WriteAsync(async (c, t) =>
            {
                var id = await c.ExecuteScalarAsync<long>(db.Dialect.InsertReturningId("one_on_ones",
                    "site_id, employee_id, supervisor_id, held_day, note, next_step, next_step_day, created_utc, request_key",
                    "@SiteId, @PersonId, @me, @held, @note, @step, @stepDay, @now, @Key"), new { p.SiteId, f.PersonId, me, held, note, step, stepDay, now, f.Key }, t);
                await Audit.WriteAsync(c, t, new AuditEntry(me, "oneonone.recorded", $"employee:{f.PersonId}", p.SiteId, After: new { held, nextStep = step is not null, stepDay }), now);
                return id;
            });
            return Outcome.Created(id);
        }
        catch (Exception ex) when (db.Dialect.IsUniqueViolation(ex))
        {
            return Outcome.Repeated(0); // the same form sent twice: recorded once
        }
    }

    /// <summary>Next steps whose day has come (in their site's zone): one reminder each to the person and the supervisor, once.</summary>
    public async Task<int> RemindAsync(CancellationToken ct = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var due = await db.ReadAsync(c => c.QueryAsync<(long Id, long EmployeeId, long SupervisorId, int Day, string Zone)>(
            @"SELECT o.id, o.employee_id, o.supervisor_id, o.next_step_day, s.time_zone FROM one_on_ones o JOIN sites s ON s.id = o.site_id
              WHERE o.reminded_utc IS NULL AND o.next_step_day IS NOT NULL AND o.next_step_day <= @latest", new { latest = SiteTime.Day(now.AddDays(1)) }));
        var sent = 0;
        foreach (var d in due.Where(d => d.Day <= SiteTime.Day(SiteTime.ToLocal(now, d.Zone))))
        {
            sent += await db.WriteAsync(async (c, t) =>
            {
                if (await c.ExecuteAsync("UPDATE one_on_ones SET reminded_utc = @now WHERE id = @Id AND reminded_utc IS NULL", new { now, d.Id }, t) == 0) return 0;
                await c.ExecuteAsync("INSERT INTO notifications (employee_id, kind, subject_id, created_utc) VALUES (@EmployeeId, 'oneonone.due', @Id, @now), (@SupervisorId, 'oneonone.due', @Id, @now)",
                    new { d.EmployeeId, d.SupervisorId, d.Id, now }, t);
                return 1;
            }, ct);
        }
        return sent;
    }
}

/// <summary>Reminds next steps that are due, every <c>Coaching:PollMinutes</c> (60); each is reminded once, whatever runs it.</summary>
public sealed class OneOnOneReminders(OneOnOnes oneOnOnes, IConfiguration config, ILogger<OneOnOneReminders> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken ct)
    {
        var every = TimeSpan.FromMinutes(Math.Clamp(config.GetValue("Coaching:PollMinutes", 60), 1, 24 * 60));
        try
        {
            while (!ct.IsCancellationRequested)
            {
                try
                {
                    await oneOnOnes.RemindAsync(ct);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    log.LogWarning(ex, "One-to-one reminders not sent; next try in {Every}", every);
                }
                await Task.Delay(every, ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
    }
}
