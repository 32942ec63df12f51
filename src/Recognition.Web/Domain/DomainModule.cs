namespace Recognition.Web.Domain;

public static class DomainModule
{
    /// <summary>The shared rules that hold state or a connection: site policies (cached), admin site lists, team access, people lookup.</summary>
    public static IServiceCollection AddDomain(this IServiceCollection s) =>
        s.AddSingleton<PolicyStore>().AddSingleton<SiteList>().AddSingleton<TeamAccess>().AddSingleton<PeopleStore>().AddSingleton<PinHasher>();
}
