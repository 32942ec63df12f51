namespace Recognition.Web.Features.Insights;

/// <summary>One rollup row: its key (the second part 0 for one-column keys) and its counts.</summary>
public readonly record struct RollupKey(long A, long B);

public enum RollupOp { Insert, Update, Delete }

/// <summary>A row to write: inserted, updated or deleted (<see cref="Values"/> empty).</summary>
public sealed record RollupChange(RollupTable Table, RollupOp Op, RollupKey Key, long[] Values)
{
    public Task<int> ApplyAsync(DbConnection c, DbTransaction t) =>
        c.ExecAsync(t, Op switch { RollupOp.Insert => Table.Insert, RollupOp.Update => Table.Update, _ => Table.Delete },
            new RollupArgs(Key.A, Key.B, Values)); // each statement uses the names it mentions
}

public sealed class RollupArgs(long a, long b, long[] v)
{
    public long A { get; } = a;
    public long B { get; } = b;
    public long V0 { get; } = v.Length > 0 ? v[0] : 0;
    public long V1 { get; } = v.Length > 1 ? v[1] : 0;
    public long V2 { get; } = v.Length > 2 ? v[2] : 0;
    public long V3 { get; } = v.Length > 3 ? v[3] : 0;
    public long V4 { get; } = v.Length > 4 ? v[4] : 0;
    public long V5 { get; } = v.Length > 5 ? v[5] : 0;
    public long V6 { get; } = v.Length > 6 ? v[6] : 0;
}

/// <summary>
/// A table of insight rollups of one site. A rebuild reads what is stored and writes only the difference, so the hourly
/// rebuild of a big plant changes the rows of the weeks that moved instead of replacing ~400,000 rows while the award
/// path waits for SQLite's one writer.
/// </summary>
public sealed class RollupTable
{
    public static readonly RollupTable TeamWeek = new("ins_team_week", ["team_id", "week"], ["received", "received_outside", "given"],
        "team_id IN (SELECT id FROM teams WHERE site_id = @siteId)");
    public static readonly RollupTable PersonWeek = new("ins_person_week", ["employee_id", "week"], ["received", "received_outside", "given"],
        "employee_id IN (SELECT id FROM employees WHERE site_id = @siteId)");
    public static readonly RollupTable PersonRecent = new("ins_person_recent", ["employee_id"],
        ["gave30", "received30", "gave_reports30", "gave_reports60", "received90", "with_points90", "points90"], "employee_id IN (SELECT id FROM employees WHERE site_id = @siteId)");
    public static readonly RollupTable PersonValue = new("ins_person_value", ["employee_id", "value_id"], ["n"],
        "employee_id IN (SELECT id FROM employees WHERE site_id = @siteId)");
    public static readonly IReadOnlyList<RollupTable> All = [TeamWeek, PersonWeek, PersonRecent, PersonValue];

    private readonly string _select;

    private RollupTable(string name, string[] keys, string[] values, string siteFilter)
    {
        Name = name;
        var where = string.Join(" AND ", keys.Select((k, i) => $"{k} = @{(i == 0 ? "A" : "B")}"));
        _select = $"SELECT {string.Join(", ", keys.Concat(values))} FROM {name} WHERE {siteFilter}";
        Insert = $"INSERT INTO {name} ({string.Join(", ", keys.Concat(values))}) VALUES (@A{(keys.Length > 1 ? ", @B" : "")}, {string.Join(", ", values.Select((_, i) => $"@V{i}"))})";
        Update = $"UPDATE {name} SET {string.Join(", ", values.Select((v, i) => $"{v} = @V{i}"))} WHERE {where}";
        Delete = $"DELETE FROM {name} WHERE {where}";
        KeyColumns = keys.Length;
    }

    public string Name { get; }
    public string Insert { get; }
    public string Update { get; }
    public string Delete { get; }
    private int KeyColumns { get; }

    /// <summary>What is stored for the site.</summary>
    public async Task<Dictionary<RollupKey, long[]>> ReadAsync(DbConnection c, long siteId)
    {
        var stored = new Dictionary<RollupKey, long[]>();
        await using var reader = await c.ExecuteReaderAsync(_select, new { siteId });
        while (await reader.ReadAsync())
        {
            var key = new RollupKey(reader.GetInt64(0), KeyColumns > 1 ? reader.GetInt64(1) : 0);
            var values = new long[reader.FieldCount - KeyColumns];
            for (var i = 0; i < values.Length; i++) values[i] = reader.GetInt64(KeyColumns + i);
            stored[key] = values;
        }
        return stored;
    }

    /// <summary>The rows to insert, update and delete so that what is stored becomes what was built.</summary>
    public IEnumerable<RollupChange> Diff(Dictionary<RollupKey, long[]> stored, Dictionary<RollupKey, long[]> built)
    {
        foreach (var (key, values) in built)
        {
            if (!stored.TryGetValue(key, out var old)) yield return new RollupChange(this, RollupOp.Insert, key, values);
            else if (!old.AsSpan().SequenceEqual(values)) yield return new RollupChange(this, RollupOp.Update, key, values);
        }
        foreach (var key in stored.Keys)
        {
            if (!built.ContainsKey(key)) yield return new RollupChange(this, RollupOp.Delete, key, []);
        }
    }
}
