import PipelineCore
import Testing
@testable import PipelineIO

@Suite struct FileChunksTests {
    @Test func chunksCoverTheFileExactly() async throws {
        let dir = try TestFiles.temporaryDirectory("chunks")
        let data = TestFiles.bytes(10_000)
        try TestFiles.write(data, to: dir + "/f")
        let source = FileChunks(path: dir + "/f", chunkSize: 4096)
        let chunks = try await source.collect()
        #expect(chunks.map(\.count) == [4096, 4096, 1808])
        #expect(chunks.flatMap { $0 } == data)
        #expect(try await source.collect().flatMap { $0 } == data)   // iterating again rereads

        try TestFiles.write([], to: dir + "/empty")
        #expect(try await FileChunks(path: dir + "/empty").collect().isEmpty)
    }

    @Test func missingFileNamesThePath() async {
        let error = await errorOf { _ = try await FileChunks(path: "/no/such/file.bin").collect() }
        let failure = error as? IOFailure
        #expect(failure?.path == "/no/such/file.bin" && failure?.message.contains("No such file") == true)
    }
}
