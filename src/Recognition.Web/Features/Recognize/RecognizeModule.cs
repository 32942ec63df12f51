namespace Recognition.Web.Features.Recognize;

public static class RecognizeModule
{
    public static IServiceCollection AddRecognize(this IServiceCollection s) =>
        s.AddSingleton<AwardService>().AddSingleton<Admin.RevokeService>().AddSingleton<RecognizeQueries>();
}
