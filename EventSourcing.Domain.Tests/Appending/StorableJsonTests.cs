namespace EventSourcing.Domain.Tests.Appending;

public sealed class StorableJsonTests
{
    private const string Nul = "contains a NUL character (\\u0000), which cannot be stored";
    private const string Surrogate = "contains an unpaired UTF-16 surrogate";

    [Fact]
    public void Ordinary_json_is_storable()
    {
        var node = JsonNode.Parse("""
            {"name":"Ниндзя 忍者 😀","levels":[1,2.5,-3e10,1e308],"nested":{"ok":true,"none":null,"emoji":"\ud83d\ude00"}}
            """);

        Assert.Null(StorableJson.FindProblem(node));
        Assert.Null(StorableJson.FindProblem(null));
    }

    [Fact]
    public void A_NUL_character_anywhere_is_refused()
    {
        Assert.Equal(Nul, StorableJson.FindProblem(new JsonObject { ["a"] = "x\0" }));
        Assert.Equal(Nul, StorableJson.FindProblem(new JsonObject { ["a\0"] = 1 }));
        Assert.Equal(Nul, StorableJson.FindProblem(new JsonObject { ["a"] = new JsonArray(1, new JsonObject { ["b"] = new JsonArray("ok", "\0") }) }));
        Assert.Equal(Nul, StorableJson.FindProblem(JsonNode.Parse("""["\u0000"]""")));
    }

    // Built in code: a lone surrogate in an attribute argument would be stored as U+FFFD in the assembly.
    private static readonly string[] Unpaired = ["\ud800", "abc\ud800", "\ud800abc", "\udc00", "\ude00\ud83d", "ok\ud83d\ude00\udc00"];

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void An_unpaired_surrogate_is_refused(int sample)
    {
        var text = Unpaired[sample];

        Assert.Equal(Surrogate, StorableJson.FindProblem(new JsonObject { ["text"] = text }));
        Assert.Equal(Surrogate, StorableJson.FindProblem(new JsonObject { [text] = "key" }));
    }

    [Fact]
    public void A_surrogate_pair_is_storable()
    {
        Assert.Null(StorableJson.FindProblem(new JsonObject { ["\ud83d\ude00"] = "\ud83d\ude00\ud83c\udfae" }));
    }

    [Theory]
    [InlineData("1e400")]
    [InlineData("-1e400")]
    [InlineData("[1,{\"deep\":1e309}]")]
    public void A_number_beyond_range_is_refused(string json)
    {
        Assert.Equal("contains a number out of range", StorableJson.FindProblem(JsonNode.Parse(json)));
    }
}
