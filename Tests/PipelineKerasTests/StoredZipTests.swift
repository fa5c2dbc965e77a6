import Testing
@testable import PipelineKeras

@Suite struct StoredZipTests {
    @Test func roundTripsStoredEntries() throws {
        let a = Array("{\"a\": 1}".utf8), b = [UInt8](repeating: 7, count: 1000) + [0, 255]
        let zip = StoredZip.archive([("config.json", a), ("dir/model.weights.h5", b)])
        let back = try StoredZip.entries(of: zip)
        #expect(back.map(\.name) == ["config.json", "dir/model.weights.h5"])
        #expect(back[0].bytes == a && back[1].bytes == b)
        // zlib's CRC-32 of "123456789" is the ZIP check value.
        #expect(StoredZip.crc32(of: Array("123456789".utf8)) == 0xCBF4_3926)
    }

    @Test func refusesACorruptedEntry() throws {
        var zip = StoredZip.archive([("config.json", Array("{\"a\": 1}".utf8))])
        zip[30 + "config.json".utf8.count] ^= 0x01   // first data byte of the only entry
        #expect(throws: (any Error).self) { try StoredZip.entries(of: zip) }
    }
}
