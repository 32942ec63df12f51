namespace Recognition.Web.Infrastructure.Backup;

public static class BackupModule
{
    public static IServiceCollection AddBackups(this IServiceCollection s) =>
        s.AddSingleton<Backups>().AddSingleton<DailyBackup>().AddHostedService(sp => sp.GetRequiredService<DailyBackup>());
}
