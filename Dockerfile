# Build with the SDK, run on the ASP.NET runtime as a non-root user.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/IpsOutcomes.Api/IpsOutcomes.Api.csproj -c Release -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app .
# The embedded default keeps its SQLite file, pseudonymisation secret and upload spool here.
RUN mkdir -p /data && chown app:app /data
ENV DataFolder=/data \
    ASPNETCORE_HTTP_PORTS=8080
VOLUME /data
EXPOSE 8080
USER app
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["dotnet", "IpsOutcomes.Api.dll", "healthcheck"]
ENTRYPOINT ["dotnet", "IpsOutcomes.Api.dll"]
