using PerfRegression.PostgreSql;

namespace PerfRegression.Tests.Queries;

public sealed class IndexColumnsTests
{
    private static readonly string[] Own = ["r", "recipes", "R"];

    [Theory]
    [InlineData("(cuisine = 'thai'::text)", "cuisine")]
    [InlineData("((rating >= 4) AND (cuisine = 'thai'::text))", "cuisine|rating")]
    [InlineData("((r.cuisine)::text = 'thai'::character varying)", "cuisine")]
    [InlineData("(recipe_id = i.id)", "recipe_id")]
    [InlineData("(lower(name) ~~ 'abc%'::text)", "lower(name)")]
    [InlineData("(created_at > now())", "created_at")]
    [InlineData("(created_at >= (now() - '7 days'::interval))", "created_at")]
    [InlineData("((deleted_at IS NULL) AND (rank > 3))", "deleted_at|rank")]
    [InlineData("(NOT is_archived)", "is_archived")]
    [InlineData("(author_id = ANY ('{3,4,5}'::integer[]))", "author_id")]
    [InlineData("((created_at)::date = '2026-01-01'::date)", "created_at")]
    [InlineData("((ts)::timestamp with time zone IS NULL)", "ts")]
    [InlineData("(\"Cuisine\" = 'it''s'::text)", "\"Cuisine\"")]
    [InlineData("(\"R\".\"CreatedAt\" > $1)", "\"CreatedAt\"")]
    [InlineData("(hashed SubPlan 1)", "")]
    [InlineData("(rating = ANY ($1))", "rating")]
    [InlineData("((rating > 2) OR (rating < 1) OR (public.f(x) = 1))", "f(x)|rating")]
    [InlineData("((rating > 2) AND (public.now() > i.due))", "rating")]
    [InlineData("(CURRENT_DATE > due)", "due")]
    public void The_columns_of_a_condition_come_equality_first(string condition, string expected)
    {
        string.Join('|', IndexColumns.From(Own, condition)).Should().Be(expected);
    }

    [Theory]
    [InlineData("((created_at)::timestamp(3) without time zone = $1)", "created_at")]
    [InlineData("((rating > 3) AND ((price)::numeric(10,2) = '5'::numeric))", "price|rating")]
    [InlineData("((code)::character varying(20) = 'x'::character varying(20))", "code")]
    public void A_type_modifier_of_a_cast_is_part_of_the_type(string condition, string expected)
    {
        string.Join('|', IndexColumns.From(Own, condition)).Should().Be(expected);
    }

    [Theory]
    [InlineData("(note = 'a::b ''x'' (c) -- d'::text)", "note")]
    [InlineData("((\"Col\"\"x\" = 1) AND (\"r\".\"Y\" > 2))", "\"Col\"\"x\"|\"Y\"")]
    [InlineData("((data ->> 'k'::text) = 'v'::text)", "data")]
    [InlineData("(tags <@ '{a,b}'::text[])", "tags")]
    [InlineData("((kind)::text = ANY ('{a,b}'::text[]))", "kind")]
    [InlineData("((a = 1) OR /* not b */ (c = 2))", "a|c")]
    public void Quotes_and_operators_inside_a_condition_are_read_whole(string condition, string expected)
    {
        string.Join('|', IndexColumns.From(Own, condition)).Should().Be(expected);
    }

    [Fact]
    public void Several_conditions_are_merged_without_duplicates()
    {
        IndexColumns.From(Own, "(author_id = ANY ('{3,4,5}'::integer[]))", null, "((rating > 3) AND (author_id <> 9) AND (cuisine = 'x'::text))")
            .Should().Equal("author_id", "cuisine", "rating");
        IndexColumns.From(Own).Should().BeEmpty();
    }
}
