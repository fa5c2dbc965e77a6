// review-stats: chains the toolkit's stages from another package.
//
//   file chunks → untar/gunzip (libarchive, no temp files) → aclImdb reviews → batches of 64
//
// Usage: review-stats ARCHIVE   (e.g. fixtures/aclImdb-mini.tar.gz)
import PipelineCore
import PipelineIO
import PipelineText

let path = CommandLine.arguments.dropFirst().first ?? "fixtures/aclImdb-mini.tar.gz"
let filter = try EntryFilter(include: ["aclImdb/*/{pos,neg}/*.txt"], exclude: ["**/unsup/**"])

var reviews = 0, positive = 0, words = 0
for try await batch in FileChunks(path: path)
    .archiveEntries(source: path, filter: filter)
    .aclImdbReviews()
    .batched(size: 64) {
    for review in batch {
        reviews += 1
        positive += review.label
        words += review.text.split(whereSeparator: { $0 == " " }).count
    }
}
print("\(path): \(reviews) reviews, \(positive) positive, \(words / max(reviews, 1)) words on average")
