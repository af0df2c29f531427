/// Colours that stay distinguishable under the common colour-vision deficiencies.
package enum Palette {
    /// The Okabe–Ito palette (Okabe & Ito 2002), ordered for charts: the strongest contrasts on
    /// white first, yellow last because it is faint on a white background.
    package static let okabeIto: [String] = [
        "#0072B2",  // blue
        "#D55E00",  // vermillion
        "#009E73",  // bluish green
        "#E69F00",  // orange
        "#56B4E9",  // sky blue
        "#CC79A7",  // reddish purple
        "#000000",  // black
        "#F0E442",  // yellow
    ]

    /// The colour of series `index`, cycling when there are more series than colours.
    package static func color(_ index: Int) -> String {
        let n = okabeIto.count
        return okabeIto[((index % n) + n) % n]
    }

    /// Grey for axes, grid lines and reference lines.
    static let axis = "#333333"
    static let grid = "#E5E5E5"
    static let reference = "#777777"
}
