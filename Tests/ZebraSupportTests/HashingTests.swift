import Testing
import ZebraSupport

@Suite struct SplitMix64Tests {
    /// The reference sequence of SplitMix64 from state 0 (Vigna's splitmix64.c).
    @Test func knownSequenceFromZero() {
        var generator = SplitMix64(state: 0)
        let values = (0..<4).map { _ in generator.next() }
        #expect(values == [0xE220_A839_7B1D_CDAF, 0x6E78_9E6A_A1B9_65F4, 0x06C4_5D18_8009_454F, 0xF88B_B8A8_724C_81EC])
        #expect(generator.state == 4 &* SplitMix64.increment)
    }

    /// `next()` is the finaliser applied to the advanced state.
    @Test func nextIsMixOfAdvancedState() {
        var generator = SplitMix64(state: 12_345)
        #expect(generator.next() == SplitMix64.mix(12_345 &+ SplitMix64.increment))
        #expect(SplitMix64.mix(0) == 0)
    }
}

@Suite struct FNV1aTests {
    /// Published FNV-1a 64-bit test vectors.
    @Test func knownValues() {
        #expect(fnv1a64("") == 0xCBF2_9CE4_8422_2325)
        #expect(fnv1a64("a") == 0xAF63_DC4C_8601_EC8C)
        #expect(fnv1a64("foobar") == 0x8594_4171_F739_67E8)
    }
}

@Suite struct UUIDTextTests {
    /// Version and variant bits are set; the rest is the bits in order.
    @Test func formatsVersion4() {
        #expect(uuidString(0, 0) == "00000000-0000-4000-8000-000000000000")
        #expect(uuidString(0x0123_4567_89AB_CDEF, 0xFEDC_BA98_7654_3210) == "01234567-89ab-4def-bedc-ba9876543210")
        #expect(uuidString(.max, .max) == "ffffffff-ffff-4fff-bfff-ffffffffffff")
    }

    /// The byte callback and the string agree, 36 bytes.
    @Test func bytesMatchString() {
        var bytes: [UInt8] = []
        forEachUUIDByte(0xDEAD_BEEF_0000_0001, 0x1234) { bytes.append($0) }
        #expect(bytes.count == 36)
        #expect(String(decoding: bytes, as: UTF8.self) == uuidString(0xDEAD_BEEF_0000_0001, 0x1234))
    }
}
