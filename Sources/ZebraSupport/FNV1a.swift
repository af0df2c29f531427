/// The 64-bit FNV-1a hash of a string's UTF-8 bytes: a stable key for ids and SVG element names.
@inlinable
package func fnv1a64(_ text: String) -> UInt64 {
    var h: UInt64 = 0xCBF2_9CE4_8422_2325
    for byte in text.utf8 { h = (h ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
    return h
}
