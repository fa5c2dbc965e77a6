import Testing
import PipelineCore

@Suite struct HexTests {
    @Test func lowercaseTwoDigitsPerByte() {
        #expect([UInt8]().hex == "")
        #expect([0x00, 0x0f, 0xa0, 0xff].hex == "000fa0ff")
        #expect(Array("abc".utf8)[1...].hex == "6263")
        #expect((0...255).map { UInt8($0) }.hex.count == 512)
    }
}
