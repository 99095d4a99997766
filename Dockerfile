# The `feedback` command for the distributed mode (ingest, worker). The embedded engine (libchdb) is not
# needed there, so the build skips fetching it. Node/npm bundle the dashboard (server/dashboard).
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
RUN apt-get update && apt-get install -y --no-install-recommends nodejs npm && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN dotnet publish cli/Feedback.Cli -c Release -o /app -p:SkipLibChDb=true

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app .
ENTRYPOINT ["dotnet", "feedback.dll"]
