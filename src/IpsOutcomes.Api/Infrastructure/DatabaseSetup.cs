using Microsoft.Data.Sqlite;

namespace IpsOutcomes.Infrastructure;

public static class DatabaseSetup
{
    public static WebApplicationBuilder AddDatabase(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection("Database").Get<DatabaseOptions>() ?? new DatabaseOptions();
        var dataFolder = DataFolder.Resolve(builder.Configuration);
        var connectionString = options.Provider switch
        {
            DatabaseProvider.Sqlite => string.IsNullOrWhiteSpace(options.ConnectionString)
                ? new SqliteConnectionStringBuilder
                {
                    DataSource = Path.Combine(dataFolder, "ipsoutcomes.db"),
                    Pooling = true,
                    DefaultTimeout = 120, // a large return holds the write lock for some seconds
                }.ToString()
                : options.ConnectionString,
            _ => string.IsNullOrWhiteSpace(options.ConnectionString)
                ? throw new InvalidOperationException("Database:ConnectionString is required when Database:Provider is SqlServer.")
                : options.ConnectionString,
        };

        DapperTypeHandlers.Register();
        builder.Services.AddSingleton(new Database(options.Provider, connectionString));
        builder.Services.AddSingleton<MigrationState>();
        builder.Services.AddSingleton<DatabaseMigrator>();
        builder.Services.AddHostedService(services => services.GetRequiredService<DatabaseMigrator>());
        return builder;
    }
}
