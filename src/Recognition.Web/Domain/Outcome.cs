namespace Recognition.Web.Domain;

/// <summary>
/// What a use case returns: the id it created (or found, for a repeated idempotency key), or the
/// resource key of a rule it refused with, plus the values the message needs.
/// </summary>
public sealed record Outcome(long? Id, bool Duplicate, string? Error, object[] Args)
{
    public bool Ok => Error is null;
    public static Outcome Created(long id) => new(id, false, null, []);
    public static Outcome Repeated(long id) => new(id, true, null, []);
    public static Outcome Refused(string error, params object[] args) => new(null, false, error, args);
}

/// <summary>
/// What a use case that answers with a value returns (the person a kiosk signed in, the device just paired, what a policy
/// change did): the value, or the refusal, as <see cref="Outcome"/> has it.
/// </summary>
public sealed record Outcome<T>(T? Value, string? Error, object[] Args) where T : class
{
    public bool Ok => Error is null;
    public static Outcome<T> Done(T? value) => new(value, null, []);
    public static Outcome<T> Refused(string error, params object[] args) => new(null, error, args);
    public Outcome Refusal => Outcome.Refused(Error!, Args);
}

/// <summary>Thrown inside a write transaction to refuse and roll everything back.</summary>
public sealed class RuleViolation(string error, params object[] args) : Exception(error)
{
    public RuleViolation(Outcome refused) : this(refused.Error!, refused.Args) { }

    public Outcome Outcome { get; } = Outcome.Refused(error, args);
}
