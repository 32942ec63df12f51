namespace Recognition.Web.Features.Devices;

/// <summary>Enrolled walls and kiosks, and signing people in at a kiosk.</summary>
public static class DevicesModule
{
    public static IServiceCollection AddDevices(this IServiceCollection s) => s.AddSingleton<DeviceService>().AddSingleton<Kiosk.KioskSignIn>();
}
