namespace Recognition.Web.Features.People;

public static class PeopleModule
{
    public static IServiceCollection AddPeople(this IServiceCollection s) => s.AddSingleton<PinHasher>().AddSingleton<PeopleStore>();
}
