using System.Text.Json;
using IpsOutcomes.Fidelity;
using IpsOutcomes.Organisations;

namespace IpsOutcomes.Tests.Fidelity;

/// <summary>The scale's bands, every check of a review, and each quality-mark criterion at its threshold and with no data, worked by
/// hand.</summary>
public class FidelityRuleTests
{
    private static readonly Provider Leeds = new("RXG01", "Leeds IPS service", "QWO", new DateOnly(2023, 4, 1), null);
    private static readonly ReviewContext Context = new(code => code == "RXG01" ? Leeds : null, (_, _) => null, new DateOnly(2025, 4, 10));

    [Theory]
    [InlineData(25, FidelityBand.NotIps)]
    [InlineData(73, FidelityBand.NotIps)]
    [InlineData(74, FidelityBand.Fair)]
    [InlineData(99, FidelityBand.Fair)]
    [InlineData(100, FidelityBand.Good)]
    [InlineData(114, FidelityBand.Good)]
    [InlineData(115, FidelityBand.Exemplary)]
    [InlineData(125, FidelityBand.Exemplary)]
    public void BandsChangeAtTheirEdges(int total, FidelityBand band) => Assert.Equal(band, FidelityScale.BandOf(total));

    private static string Scores(Func<string, string>? score = null) =>
        "{" + string.Join(",", FidelityScale.Items.Select(i => $"\"{i.Code}\":{(score ?? (_ => "4"))(i.Code)}")) + "}";

    private static (ReviewDraft?, List<ReviewFinding>) Json(string scores, string date = "2025-02-10", string kind = "external") =>
        ReviewChecks.Json("RXG01", JsonDocument.Parse($$"""{"review_date":"{{date}}","kind":"{{kind}}","reviewer":"IPS Grow","scores":{{scores}}}""").RootElement, Context);

    [Fact]
    public void AWholeReviewIsCheckedAndTotalled()
    {
        var (review, findings) = Json(Scores(i => i is "S1" or "S2" ? "5" : "4"));
        Assert.Empty(findings);
        Assert.Equal(102, review!.Total); // 23 × 4 + 2 × 5
        Assert.Equal(FidelityBand.Good, review.Band);
    }

    [Theory]
    [InlineData("0", ReviewChecks.ScoreInvalid)]
    [InlineData("6", ReviewChecks.ScoreInvalid)]
    [InlineData("4.5", ReviewChecks.ScoreInvalid)]
    [InlineData("\"4\"", ReviewChecks.ScoreInvalid)]
    [InlineData("null", ReviewChecks.ScoreInvalid)]
    public void AScoreIsAWholeNumberFromOneToFive(string score, string code)
    {
        var (review, findings) = Json(Scores(i => i == "V6" ? score : "4"));
        Assert.Null(review);
        Assert.Equal((code, "V6"), (findings.Single().Code, findings.Single().Column));
    }

    [Fact]
    public void AnItemMissingRepeatedOrUnknownIsNamed()
    {
        var missing = Scores().Replace("\"O1\":4,", "");
        Assert.Equal((ReviewChecks.ItemMissing, "O1"), (Json(missing).Item2.Single().Code, Json(missing).Item2.Single().Column));
        var repeated = Scores().Replace("\"O1\":4,", "\"O1\":4,\"O1\":5,");
        Assert.Equal((ReviewChecks.ItemRepeated, "O1"), (Json(repeated).Item2.Single().Code, Json(repeated).Item2.Single().Column));
        var unknown = Scores().Replace("{", "{\"X9\":3,");
        Assert.Equal(ReviewChecks.ColumnUnknown, Json(unknown).Item2.Single().Code);
    }

    [Theory]
    [InlineData("10/02/2025", ReviewChecks.DateInvalid)]
    [InlineData("2025-04-11", ReviewChecks.DateInFuture)]
    [InlineData("2023-03-31", ReviewChecks.DateBeforeActive)]
    public void TheDateIsADayOnWhichTheServiceWasActiveAndNotInTheFuture(string date, string code) =>
        Assert.Equal(code, Json(Scores(), date).Item2.Single().Code);

    [Fact]
    public void TheKindIsExternalOrSelfAndTheKeyMayRecordIt()
    {
        Assert.Equal(ReviewChecks.KindInvalid, Json(Scores(), kind: "peer").Item2.Single().Code);
        var providerKey = Context with { Refusal = (_, kind) => kind == "self" ? null : "self only" };
        var (review, findings) = ReviewChecks.Json("RXG01",
            JsonDocument.Parse($$"""{"review_date":"2025-02-10","kind":"external","scores":{{Scores()}}}""").RootElement, providerKey);
        Assert.Null(review);
        Assert.Equal("self only", findings.Single().Message);
    }

    [Fact]
    public void LongTextAndUnreadableInputAreNamed()
    {
        var longReviewer = JsonDocument.Parse($$"""{"review_date":"2025-02-10","kind":"external","reviewer":"{{new string('x', 201)}}","scores":{{Scores()}}}""").RootElement;
        Assert.Equal((ReviewChecks.TextTooLong, "reviewer"), (ReviewChecks.Json("RXG01", longReviewer, Context).Findings.Single().Code,
            ReviewChecks.Json("RXG01", longReviewer, Context).Findings.Single().Column));
        Assert.Equal(ReviewChecks.FileUnreadable, ReviewChecks.Json("RXG01", JsonDocument.Parse("[1,2]").RootElement, Context)
            .Findings.Single().Code);
        Assert.Equal(ReviewChecks.FileUnreadable, ReviewChecks.Csv(new StringReader(""), Context).Findings.Single().Code);
        Assert.Equal(ReviewChecks.ItemMissing, ReviewChecks.Json("RXG01", JsonDocument.Parse("""{"review_date":"2025-02-10","kind":"self"}""").RootElement, Context)
            .Findings.First().Code);
    }

    [Fact]
    public void ACsvIsCheckedRowByRowWithLinesAndColumnsAndRefusedWhole()
    {
        var header = "provider_code,review_date,kind,reviewer," + string.Join(",", FidelityScale.Items.Select(i => i.Code));
        string Row(string provider, string date, string score) => $"{provider},{date},external,IPS Grow," + string.Join(",", FidelityScale.Items.Select(_ => score));
        var file = string.Join("\n", header, Row("RXG01", "2025-02-10", "4"), Row("RXG99", "2025-02-10", "4"), Row("RXG01", "2025-02-10", "4"),
            Row("RXG01", "2025-01-10", "4").Replace(",4,4,4", ",4,7,4"));
        var (reviews, findings) = ReviewChecks.Csv(new StringReader(file), Context);
        Assert.Empty(reviews);
        Assert.Contains(findings, f => f is { Code: ReviewChecks.ProviderUnknown, Line: 3, Column: "provider_code" });
        Assert.Contains(findings, f => f is { Code: ReviewChecks.ReviewRepeated, Line: 4 });
        Assert.Contains(findings, f => f is { Code: ReviewChecks.ScoreInvalid, Line: 5, Value: "7" });

        var (good, none) = ReviewChecks.Csv(new StringReader(string.Join("\n", header, Row("RXG01", "2025-02-10", "5"))), Context);
        Assert.Empty(none);
        Assert.Equal(125, good.Single().Total);
        Assert.Equal(ReviewChecks.ItemMissing, ReviewChecks.Csv(new StringReader(header.Replace(",V14", "") + "\n"), Context)
            .Findings.Single().Code);
    }

    private static readonly QualityMarkThresholds T = new();

    private static FidelityReview Review(int total, int o1 = 4, int o2 = 4, int v6 = 4, int v7 = 4) =>
        new(1, "RXG01", new DateOnly(2025, 2, 10), "external", null, null, total, FidelityScale.BandOf(total),
            FidelityScale.Items.ToDictionary(i => i.Code, i => i.Code switch { "O1" => o1, "O2" => o2, "V6" => v6, "V7" => v7, _ => 4 }), default);

    private static ReadinessFacts Ready() => new(Review(100), 40, 100, 40.0, 30.9, 49.7, 12, 90.0, true, 2);

    private static CriterionState State(ReadinessFacts facts, string criterion) => QualityMark.Assess(facts, T)
        .Single(c => c.Name == criterion).State;

    [Fact]
    public void EveryCriterionMetAtItsThresholdIsReady()
    {
        var criteria = QualityMark.Assess(Ready(), T);
        Assert.All(criteria, c => Assert.Equal(CriterionState.Met, c.State));
        Assert.True(QualityMark.Ready(criteria));
        // 40% exactly is met, but its interval (30.9% to 49.7%) reaches below 40%.
        Assert.True(criteria.Single(c => c.Name == "job_outcomes").LowConfidence);
    }

    [Fact]
    public void EachCriterionJustShortIsNotMetAndWithoutFiguresHasNoData()
    {
        Assert.Equal(CriterionState.NotMet, State(Ready() with { LatestExternal = Review(99) }, "fidelity"));
        Assert.Equal(CriterionState.NoData, State(Ready() with { LatestExternal = null }, "fidelity"));
        Assert.Equal(CriterionState.NotMet, State(Ready() with { EmploymentRate = 39.9 }, "job_outcomes"));
        Assert.Equal(CriterionState.NoData, State(Ready() with { EmploymentRate = null, EmployedDenominator = 0 }, "job_outcomes"));
        Assert.False(QualityMark.Assess(Ready() with { EmploymentRate = 45, EmploymentLower = 41 }, T).Single(c => c.Name == "job_outcomes")
            .LowConfidence);
        Assert.Equal(CriterionState.NotMet, State(Ready() with { LatestExternal = Review(100, o1: 3) }, "integration"));
        Assert.Equal(CriterionState.NotMet, State(Ready() with { LatestExternal = Review(100, o2: 3) }, "integration"));
        Assert.Equal(CriterionState.NoData, State(Ready() with { LatestExternal = null }, "integration"));
        Assert.Equal(CriterionState.NotMet, State(Ready() with { LatestExternal = Review(100, v6: 3) }, "employer_engagement"));
        Assert.Equal(CriterionState.NotMet, State(Ready() with { LatestExternal = Review(100, v7: 3) }, "employer_engagement"));
        Assert.Equal(CriterionState.NoData, State(Ready() with { LatestExternal = null }, "employer_engagement"));
        Assert.Equal(CriterionState.NotMet, State(Ready() with { MonthsAccepted = 11 }, "data_completeness"));
        Assert.Equal(CriterionState.NotMet, State(Ready() with { EthnicityRecorded = 89.9 }, "data_completeness"));
        Assert.Equal(CriterionState.NoData, State(Ready() with { MonthsAccepted = 0, EthnicityRecorded = null }, "data_completeness"));
        Assert.Equal(CriterionState.NotMet, State(Ready() with { OutcomeGroupsWithDenominator = 1 }, "racial_equality_figures"));
        Assert.Equal(CriterionState.NoData, State(Ready() with { PopulationLoaded = false }, "racial_equality_figures"));
        Assert.Equal(CriterionState.NoData, State(Ready() with { HasReferrals = false }, "racial_equality_figures"));
    }

    [Fact]
    public void TheDeadlineIsThreeYearsOnAndItsStateChangesSixMonthsBeforeAndAfterIt()
    {
        var start = new DateOnly(2022, 4, 1);
        Assert.Equal((new DateOnly(2025, 4, 1), DeadlineState.OnTrack), QualityMark.Deadline(start, new DateOnly(2024, 9, 30), false, T));
        Assert.Equal(DeadlineState.DueWithin6Months, QualityMark.Deadline(start, new DateOnly(2024, 10, 1), false, T).State);
        Assert.Equal(DeadlineState.DueWithin6Months, QualityMark.Deadline(start, new DateOnly(2025, 4, 1), false, T).State);
        Assert.Equal(DeadlineState.Overdue, QualityMark.Deadline(start, new DateOnly(2025, 4, 2), false, T).State);
        Assert.Null(QualityMark.Deadline(start, new DateOnly(2025, 4, 2), true, T).State);
    }

    /// <summary>
    /// Totals 78, 95, 95, 104, 110, 118 rank 1, 2.5, 2.5, 4, 5, 6; rates 22, 31.5, 28, 41, 41, 52.5 rank 1, 3, 2, 4.5, 4.5, 6.
    /// Pearson's r of the ranks is 8.25 / 8.5 = 33/34 = 0.970588; Fisher z = atanh(33/34) = 2.1007, ± 1.959964/√3 gives 0.7490 to 0.9969.
    /// </summary>
    [Fact]
    public void SpearmanWithTiesMatchesAWorkedExample()
    {
        var result = Correlation.Spearman([(78, 22), (95, 31.5), (95, 28), (104, 41), (110, 41), (118, 52.5)]);
        Assert.Equal(6, result.N);
        Assert.Equal(33.0 / 34, result.Rho!.Value, 9);
        Assert.Equal(0.749038, result.Lower!.Value, 5);
        Assert.Equal(0.996900, result.Upper!.Value, 5);
        Assert.Null(Correlation.Spearman([(78, 22), (95, 31.5), (104, 41)]).Lower); // under 4 pairs: no interval
        Assert.Null(Correlation.Spearman([(100, 22), (100, 30)]).Rho);              // all tied: nothing to rank
    }

    [Fact]
    public void TheSampleFileIsValid()
    {
        var providers = new Dictionary<string, Provider>
        {
            ["RXG01"] = Leeds with { ActiveFrom = new DateOnly(2024, 4, 1) },
            ["RXG02"] = new("RXG02", "Bradford IPS service", "QWO", new DateOnly(2024, 4, 1), null),
        };
        var path = Path.Combine(IpsOutcomes.Tests.Infrastructure.RepositoryRoot.Path, "samples", "fidelity-reviews.csv");
        var (reviews, findings) = ReviewChecks.Csv(new StringReader(File.ReadAllText(path)),
            Context with { Provider = providers.GetValueOrDefault });
        Assert.Empty(findings);
        Assert.Equal([(103, FidelityBand.Good), (97, FidelityBand.Fair), (95, FidelityBand.Fair)], reviews.Select(r => (r.Total, r.Band)));
    }
}
