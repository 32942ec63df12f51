using Recognition.Web.Features.Programs;
using Recognition.Web.Features.Social;

namespace Recognition.Web.Features.Demo;

/// <summary>
/// The demo plant's social loop, through the same services people use: reactions and a few add-ons on recent public
/// recognitions, company-funded points, birthdays (some today) and an anniversary today for the celebrations job, a
/// program decided last month with its winner, and this month's program open for nominations.
/// </summary>
public sealed class DemoSocial(Db db, Reactions reactions, AddOns addOns, ProgramService programs)
{
    public async Task SeedAsync(DateTime now, Random rnd)
    {
        var siteId = await db.ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT id FROM sites WHERE code = 'SZ-01'"));
        var staff = (await db.ReadAsync(c => c.QueryAsync<long>("SELECT id FROM employees WHERE site_id = @siteId AND active = 1 AND employee_no LIKE 'E%' ORDER BY id", new { siteId }))).ToList();
        var today = SiteTime.ToLocal(now, "Asia/Shanghai");
        var mmdd = today.Month * 100 + today.Day;
        await db.WriteAsync(async (c, t) =>
        {
            await c.ExecuteAsync(@"INSERT INTO company_funding (site_id, spot_budget, birthday_points, anniversary_points, first_day_points, updated_utc)
                                   VALUES (@siteId, 300, 10, 20, 10, @now)", new { siteId, now }, t);
            // One in twelve said "celebrate my birthday"; two of them today; E0003 joined three years ago today.
            for (var i = 0; i < staff.Count; i += 12)
            {
                var birth = i < 24 ? mmdd : rnd.Next(1, 13) * 100 + rnd.Next(1, 29);
                await c.ExecuteAsync("UPDATE employees SET birth_mmdd = @birth, birthday_public = 1 WHERE id = @id", new { birth, id = staff[i] }, t);
            }
            await c.ExecuteAsync("UPDATE employees SET hire_day = @hire WHERE employee_no = 'E0003' AND site_id = @siteId",
                new { hire = SiteTime.Day(today.AddYears(-3)), siteId }, t);
        });

        // Reactions and a few add-ons on the last 150 public recognitions, from colleagues who may see them.
        var recent = (await db.ReadAsync(c => c.QueryAsync<(long Id, long Giver, long To)>(
            @"SELECT r.id, r.giver_id, x.employee_id FROM recognitions r JOIN recognition_recipients x ON x.recognition_id = r.id
              WHERE r.site_id = @siteId AND r.visibility = 'public' AND r.status = 'active' ORDER BY r.id DESC", new { siteId }))).Take(150).ToList();
        var added = 0;
        foreach (var r in recent)
        {
            for (var k = rnd.Next(0, 5); k > 0; k--)
            {
                var who = staff[rnd.Next(staff.Count)];
                if (who == r.To) continue;
                await reactions.SetAsync(r.Id, who, siteId, Reactions.Kinds[rnd.Next(Reactions.Kinds.Length)], true, now);
            }
            if (added < 12 && rnd.Next(10) == 0)
            {
                var who = staff[rnd.Next(staff.Count)];
                if (who != r.To && who != r.Giver && (await addOns.AddAsync(r.Id, who, siteId, 5, "我也要谢谢你！", Idempotency.NewKey(), now)).Ok) added++;
            }
        }

        // Last month's Safety Star, decided, and this month's, open for nominations.
        var hr = await db.ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT id FROM employees WHERE employee_no = 'A0001'"));
        var badge = await db.ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT id FROM badges WHERE kind = 'supervisor' AND active = 1 ORDER BY id"));
        var scope = new AdminScope(hr, siteId, Org: false);
        var month = new DateTime(today.Year, today.Month, 1);
        var last = month.AddMonths(-1);
        const string Criteria = "主动发现并消除安全隐患，带动班组养成安全习惯。 Spotted and removed hazards, and got the team into safe habits.";
        var past = await programs.CreateAsync(siteId, new ProgramForm($"安全之星 · {last.Month}月", $"Safety Star · {last:MMMM}", badge, Criteria, "everyone",
            last.ToString("yyyy-MM-dd"), month.AddDays(-3).ToString("yyyy-MM-dd"), 100, 300, "S0001, A0001"), scope, now);
        var open = await programs.CreateAsync(siteId, new ProgramForm($"安全之星 · {today.Month}月", $"Safety Star · {today:MMMM}", badge, Criteria, "everyone",
            month.ToString("yyyy-MM-dd"), month.AddMonths(1).AddDays(-1).ToString("yyyy-MM-dd"), 100, 300, "S0001, A0001"), scope, now);
        if (!past.Ok || !open.Ok) return;
        const string Reason = "这个月带头做班前安全检查，发现并上报了多处隐患，其中两处避免了夹手事故。";
        var nominees = new[] { "E0005", "E0012", "E0020" };
        var pastNominations = 0;
        foreach (var (nominator, nominee) in new[] { ("E0002", "E0005"), ("E0004", "E0005"), ("E0007", "E0012"), ("E0009", "E0020") })
        {
            var by = await db.ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT id FROM employees WHERE employee_no = @nominator", new { nominator }));
            if ((await db.WriteAsync((c, t) => c.ExecuteAsync(
                    "INSERT INTO nominations (program_id, nominee_id, nominator_id, reason, created_utc) SELECT @p, id, @by, @Reason, @at FROM employees WHERE employee_no = @nominee",
                    new { p = past.Id, by, Reason, at = last.AddDays(5), nominee }, t))) == 1) pastNominations++;
            await programs.NominateAsync(open.Id!.Value, by, siteId, nominees[rnd.Next(nominees.Length)], Reason, Idempotency.NewKey(), now);
        }
        var judge = await db.ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT id FROM employees WHERE employee_no = 'S0001'"));
        var winner = await db.ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT id FROM employees WHERE employee_no = 'E0005'"));
        if (pastNominations > 0) await programs.DecideAsync(past.Id!.Value, judge, siteId, [winner], now);
    }
}
