using System.Text.Json.Nodes;
using IpsOutcomes.Indicators;
using IpsOutcomes.Infrastructure;

namespace IpsOutcomes.Publications;

/// <summary>
/// A publication as open data: its figures (<see cref="PublishedTable"/>) as one tidy CSV, the columns of the indicator route's
/// CSV, and a Frictionless Data Package (<c>datapackage.json</c>, Table Schema) saying what each column holds, its units and code
/// lists, the suppression marker and the rounding, the licence (Open Government Licence v3.0) and the methodology.
/// Frictionless rather than CSV on the Web: neither has a maintained .NET library, and a data package is one plain JSON file
/// that the Frictionless tools, and R and Python readers, validate and load without a JSON-LD context to keep right.
/// </summary>
public static class OpenData
{
    public const string Licence = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/";

    public static JsonObject DataPackage(Publication publication)
    {
        var month = PublishedTable.MonthOf(publication);
        var monthWords = month.FirstDay.ToString("MMMM yyyy", System.Globalization.CultureInfo.InvariantCulture);
        return new JsonObject
        {
            ["profile"] = "tabular-data-package",
            ["name"] = $"ipsoutcomes-{publication.Name}",
            ["title"] = $"IPS outcomes, {monthWords}, {publication.Kind} publication ({publication.Name})",
            ["description"] = Methodology(publication, monthWords),
            ["created"] = publication.CutOff.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            ["version"] = publication.DataVersion.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["licenses"] = new JsonArray(new JsonObject
            {
                ["name"] = "OGL-UK-3.0",
                ["path"] = Licence,
                ["title"] = "Open Government Licence v3.0",
            }),
            ["sources"] = new JsonArray(new JsonObject
            {
                ["title"] = "Monthly client-level returns of Individual Placement and Support services, as accepted by the cut-off",
            }),
            ["resources"] = new JsonArray(new JsonObject
            {
                ["name"] = "figures",
                ["path"] = "figures.csv",
                ["profile"] = "tabular-data-resource",
                ["format"] = "csv",
                ["mediatype"] = "text/csv",
                ["encoding"] = "utf-8",
                ["dialect"] = new JsonObject { ["delimiter"] = ",", ["header"] = true, ["lineTerminator"] = "\r\n" },
                ["schema"] = Schema(),
            }),
        };
    }

    private static string Methodology(Publication publication, string month) =>
        $"The {publication.Kind} figures of Individual Placement and Support (IPS) services for {month}, as published at "
        + $"{publication.CutOff:yyyy-MM-dd HH:mm} UTC: every indicator of the catalogue (GET /api/v1/indicators/catalogue) for "
        + "every service, ICB, NHS region and England, for the month, the quarter it ends (if it ends one), the financial year to "
        + "date and the rolling 12 months, in total and by broad ethnic group. Each figure is worked out from the latest state of "
        + "each referral in the returns accepted by the cut-off. Counts of people under 5 (0 included) are suppressed (shown "
        + "as *), and every other count is rounded to the nearest 5; a percentage is the published numerator over the published "
        + "denominator, with its 95% Wilson interval; a figure whose input is suppressed is suppressed; where cells add up to "
        + "a total, a second cell is suppressed so that subtraction gives nothing back. A provisional publication is followed "
        + "by a final one a month later, after late returns and corrections; the revisions between them are listed at "
        + $"/api/v1/publications/{publication.Name}/revisions. The figures never change once published.";

    private static JsonObject Schema()
    {
        JsonObject Field(string name, string type, string description, JsonObject? constraints = null)
        {
            var field = new JsonObject { ["name"] = name, ["type"] = type, ["description"] = description };
            if (constraints is not null) field["constraints"] = constraints;
            return field;
        }
        JsonObject OneOf(params IEnumerable<string> values) => new() { ["enum"] = new JsonArray([.. values.Select(v => (JsonNode)v)]) };
        const string Rounded = "rounded to the nearest 5; * where suppressed (under 5, or hidden so that a suppressed count cannot be worked out)";
        var fields = new JsonArray
        {
            Field("organisation_code", "string", "ODS code of the IPS service (provider) or ICB, NHS region code, or 'england'",
                new JsonObject { ["required"] = true }),
            Field("organisation_name", "string", "The organisation's name"),
            Field("organisation_level", "string", "The level of the organisation", OneOf("provider", "icb", "region", "england")),
            Field("period_type", "string", "month, quarter (financial), fytd (financial year to date) or rolling12 (the 12 months to "
                + "the period's end)", OneOf("month", "quarter", "fytd", "rolling12")),
            Field("period", "string", "The period's label (yyyy-MM for a month)"),
            Field("period_start", "date", "First day of the period"),
            Field("period_end", "date", "Last day of the period"),
            Field("indicator_id", "string", "The indicator (GET /api/v1/indicators/catalogue defines each)",
                OneOf(IndicatorCatalogue.All.Select(d => d.Id))),
            Field("unit", "string", "count, percent or days", OneOf(Enum.GetNames<Unit>().Select(u => u.ToLowerInvariant()))),
            Field("breakdown", "string", "none, or ethnic_group", OneOf(PublishedTable.Breakdowns.Select(Breakdowns.Name))),
            Field("group", "string", "The breakdown group ('all' for none): white, mixed, asian, black, other, not_known"),
            Field("numerator", "integer", "For a percentage, the count over the denominator; " + Rounded),
            Field("denominator", "integer", "For a percentage or a median, the count it is of; " + Rounded),
            Field("value", "number", "The figure in its unit: a count (" + Rounded + "), a percentage to whole percent, or days"),
            Field("lower_ci", "number", "Lower limit of the 95% Wilson interval of a percentage"),
            Field("upper_ci", "number", "Upper limit of the 95% Wilson interval of a percentage"),
            Field("benchmark", "number", "The catalogue's benchmark for the indicator, where it has one"),
            Field("comparison", "string", "The figure against the benchmark: higher, lower or similar (its interval includes it)",
                OneOf("higher", "lower", "similar")),
            Field("suppressed", "boolean", "true where a figure of the row is suppressed", new JsonObject { ["required"] = true }),
            Field("data_version", "integer", "The data version the publication was cut at"),
        };
        return new JsonObject
        {
            ["fields"] = fields,
            ["missingValues"] = new JsonArray("", "*"),
            ["primaryKey"] = new JsonArray("organisation_level", "organisation_code", "period_type", "period", "indicator_id", "breakdown",
                "group"),
        };
    }
}
