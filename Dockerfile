# The `feedback` command for the distributed mode (ingest, worker). The embedded engine (libchdb) is not
# needed there, so the build skips fetching it.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish analytics/Feedback.Cli -c Release -o /app -p:SkipLibChDb=true

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app .
ENTRYPOINT ["dotnet", "feedback.dll"]
