namespace Recognition.Web.Features.Setup;

/// <summary>First run (/setup and the `setup` verb) and the demo plant.</summary>
public static class SetupModule
{
    public static IServiceCollection AddSetup(this IServiceCollection s) => s.AddSingleton<Demo.DemoSeeder>().AddSingleton<Demo.DemoSocial>().AddSingleton<SetupService>();
}
