# Build and run Recognition. The repo root is the content root: appsettings.json and wwwroot travel
# into the publish folder (see Recognition.Web.csproj), migrations are embedded in the assembly.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/Recognition.Web/Recognition.Web.csproj -c Release -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app .
# Fallback fonts for certificates: CJK Extension B (HanaMinB/A) and monochrome emoji (Symbola); README, Licences.
RUN apt-get update && apt-get install -y --no-install-recommends fonts-hanazono fonts-symbola && rm -rf /var/lib/apt/lists/*
# Runs as the image's unprivileged "app" user (APP_UID); only the data folder is writable by it.
RUN mkdir -p /app/data && chown "$APP_UID" /app/data
USER $APP_UID
# DOTNET_GCgen0size: the GC's young generation at 8 MB (hexadecimal) instead of the L3-sized 16 MB it picks on its own.
# A wall server's memory then swings less and grows less over a shift (README, "Memory"). Only the environment sets it:
# the runtime reads no runtimeconfig key for it. launchSettings.json sets the same for `dotnet run`, and the benches
# run the app with this file's DOTNET_ values.
ENV ASPNETCORE_URLS=http://+:8080 \
    ASPNETCORE_ENVIRONMENT=Production \
    DOTNET_GCgen0size=0x800000
EXPOSE 8080
VOLUME ["/app/data"]
# The runtime image has no curl or wget: the app probes itself (`health`, before any host is built).
HEALTHCHECK --interval=30s --timeout=5s CMD ["dotnet", "Recognition.Web.dll", "health"]
ENTRYPOINT ["dotnet", "Recognition.Web.dll"]
