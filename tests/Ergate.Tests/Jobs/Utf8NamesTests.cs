using System.Text;

namespace Ergate.Tests.Jobs;

public sealed class Utf8NamesTests
{
    [Fact]
    public void SameName_ReadTwice_IsOneString()
    {
        var first = Utf8Names.GetString("utf8_names_same"u8);
        var second = Utf8Names.GetString("utf8_names_same"u8);

        Assert.Equal("utf8_names_same", first);
        Assert.Same(first, second);
    }

    [Fact]
    public void NamesSharingARecentSlot_ReadInTurn_AreEachTheirOwn()
    {
        // Same length in bytes and last byte: the same slot of the recent table, which each read overwrites.
        string[] names = ["slot_ax", "slot_bx", "slot_cx", "slü_ax"];
        for (var round = 0; round < 3; round++)
        {
            foreach (var name in names)
            {
                Assert.Equal(name, Utf8Names.GetString(Encoding.UTF8.GetBytes(name)));
            }
        }
    }

    [Fact]
    public void NonAsciiName_IsDecoded()
    {
        var name = Utf8Names.GetString(Encoding.UTF8.GetBytes("wörkflow ✓"));

        Assert.Equal("wörkflow ✓", name);
        Assert.Same(name, Utf8Names.GetString(Encoding.UTF8.GetBytes("wörkflow ✓")));
    }

    [Fact]
    public void EmptyName_IsEmpty()
    {
        Assert.Equal(string.Empty, Utf8Names.GetString(ReadOnlySpan<byte>.Empty));
    }

    [Fact]
    public void NameLongerThanTheLimit_IsDecodedButNotKept()
    {
        var long1 = new string('n', 300);

        var first = Utf8Names.GetString(Encoding.UTF8.GetBytes(long1));
        var second = Utf8Names.GetString(Encoding.UTF8.GetBytes(long1));

        Assert.Equal(long1, first);
        Assert.NotSame(first, second);
    }
}
