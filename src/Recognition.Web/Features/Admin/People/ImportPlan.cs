namespace Recognition.Web.Features.Admin.People;

public sealed record ImportOptions(long? SiteId, bool DeactivateMissing);

public sealed record FieldChange(string Field, string? Before, string? After);

public sealed record RowError(int Row, string EmployeeNo, string Key, object[] Args);

/// <summary>One valid row, resolved against the database: what the person will be after Apply.</summary>
public sealed record PlannedPerson(
    int Row, long? ExistingId, long SiteId, string EmployeeNo, string? NameZh, string? NameEn, string? Email, long? TeamId,
    string? ManagerNo, Roles Roles, string Locale, string? BadgeCode, bool Active, IReadOnlyList<FieldChange> Changes, string? ChatUserId = null, int? HireDay = null, string? Gender = null)
{
    public string Name => NameZh ?? NameEn ?? EmployeeNo;
}

/// <summary>What an import would do (the preview) or did (after Apply): nothing is applied while any row is bad.</summary>
public sealed class ImportPlan
{
    public List<PlannedPerson> New { get; } = [];
    public List<PlannedPerson> Changed { get; } = [];
    public int Unchanged { get; set; }
    public List<(long Id, string EmployeeNo, string Name)> Deactivate { get; } = [];
    public List<RowError> Errors { get; } = [];
    public string? FileError { get; set; }
    public object[] FileErrorArgs { get; set; } = [];
    public bool Applied { get; set; }

    public bool CanApply => FileError is null && Errors.Count == 0;

    /// <summary>The one JSON line the `people import` command prints.</summary>
    public object Summary => new { @new = New.Count, changed = Changed.Count, deactivated = Deactivate.Count, unchanged = Unchanged, errors = Errors.Count + (FileError is null ? 0 : 1) };
}
