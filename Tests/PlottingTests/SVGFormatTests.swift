import Testing
@testable import Plotting

@Suite struct SVGFormatTests {
    @Test(arguments: [
        (3.14159, 2, "3.14"), (-0.004, 2, "0.00"), (-1.5, 0, "-2"), (2.5, 0, "3"), (0.05, 3, "0.050"),
        (1234567.891, 1, "1234567.9"), (-12.0, 1, "-12.0"), (0.0, 0, "0"), (-0.0, 2, "0.00"),
        (Double.nan, 2, "0"), (Double.infinity, 1, "0"), (1e20, 2, "1e+20"), (0.000123, 5, "0.00012"),
    ])
    func fixedDecimals(value: Double, decimals: Int, expected: String) {
        #expect(SVGFormat.fixed(value, decimals: decimals) == expected)
    }

    @Test func escapesMarkupCharacters() {
        #expect(SVGFormat.escape("a<b & \"c\" 'd' >") == "a&lt;b &amp; &quot;c&quot; &apos;d&apos; &gt;")
        #expect(SVGFormat.escape("&amp;") == "&amp;amp;")
    }

    @Test func keepsUnicodeAndDropsForbiddenControls() {
        #expect(SVGFormat.escape("Fabry–Anderson é μ ≥ 0.1") == "Fabry–Anderson é μ ≥ 0.1")
        #expect(SVGFormat.escape("a\u{01}b\u{1B}c\td") == "abc\td")
    }

    @Test func paletteIsOkabeItoAndCycles() {
        #expect(Set(Palette.okabeIto).count == 8)
        #expect(Set(Palette.okabeIto) == ["#E69F00", "#56B4E9", "#009E73", "#F0E442",
                                          "#0072B2", "#D55E00", "#CC79A7", "#000000"])
        #expect(Palette.color(0) == Palette.color(8))
        #expect(Palette.color(-1) == Palette.color(7))
    }
}
