namespace Recognition.Tests.Support;

public static class PolicyExtensions
{
    /// <summary>Sets the organisation's default policy (what HR does on /Admin/Policy) and lets the app see it at once.</summary>
    public static async Task SetPolicyAsync(this AppFactory app, Action<RulesOptions> change)
    {
        var rules = new RulesOptions();
        change(rules);
        await app.Db.WriteAsync((c, t) => PolicyStore.WriteAsync(c, t, null, rules, DateTime.UtcNow));
        app.Get<PolicyStore>().Invalidate();
    }
}
