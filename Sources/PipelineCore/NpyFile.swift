#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The NumPy `.npy` element types the toolkit writes and reads (little-endian).
public enum NpyDType: String, Sendable, Codable {
    case uint8 = "|u1", int32 = "<i4", int64 = "<i8", float32 = "<f4", float64 = "<f8"

    public var size: Int {
        switch self { case .uint8: 1; case .int32, .float32: 4; case .int64, .float64: 8 }
    }
}

/// Scalar types that map onto an ``NpyDType``.
public protocol NpyScalar: Sendable { static var npyDType: NpyDType { get } }
extension UInt8: NpyScalar { public static var npyDType: NpyDType { .uint8 } }
extension Int32: NpyScalar { public static var npyDType: NpyDType { .int32 } }
extension Int64: NpyScalar { public static var npyDType: NpyDType { .int64 } }
extension Float: NpyScalar { public static var npyDType: NpyDType { .float32 } }
extension Double: NpyScalar { public static var npyDType: NpyDType { .float64 } }

/// Reading and writing NumPy `.npy` files (format version 1.0), which `numpy.load` reads.
///
/// ```swift
/// try NpyFile.write(tokens, shape: [25_000, 500], to: "out/x_train.npy")   // [Int32]
/// let (shape, values): ([Int], [Int32]) = try NpyFile.read("out/x_train.npy")
/// ```
///
/// Files are written through ``AtomicFile``: complete or absent. C order, little-endian.
/// For data that arrives in pieces use ``NpyStreamWriter``.
public enum NpyFile {
    /// The header bytes (magic, version, length, dict padded to 64 bytes) for a C-order array.
    /// `shapeWidth` pads the dict to at least that many characters so a later, longer shape fits.
    public static func header(dtype: NpyDType, shape: [Int], minimumDictLength: Int = 0) -> [UInt8] {
        let shapeText: String
        switch shape.count {
        case 0: shapeText = "()"
        case 1: shapeText = "(\(shape[0]),)"
        default: shapeText = "(" + shape.map(String.init).joined(separator: ", ") + ")"
        }
        var dict = "{'descr': '\(dtype.rawValue)', 'fortran_order': False, 'shape': \(shapeText), }"
        while dict.utf8.count < minimumDictLength { dict += " " }
        let unpadded = 10 + dict.utf8.count + 1
        let pad = (64 - unpadded % 64) % 64
        dict += String(repeating: " ", count: pad) + "\n"
        var out: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0]
        let n = UInt16(dict.utf8.count)
        out += [UInt8(n & 0xff), UInt8(n >> 8)]
        out += Array(dict.utf8)
        return out
    }

    public static func write<T: NpyScalar>(_ values: [T], shape: [Int], to path: String) throws {
        precondition(shape.reduce(1, *) == values.count, "shape \(shape) does not match \(values.count) values")
        let f = try AtomicFile(path: path)
        try f.write(header(dtype: T.npyDType, shape: shape))
        try values.withUnsafeBytes { try f.write($0) }
        try f.commit()
    }

    /// Reads a C-order `.npy` file of element type `T`. Fails with the path when the file is
    /// not an `.npy`, is Fortran-ordered, or holds another dtype.
    public static func read<T: NpyScalar>(_ path: String, as: T.Type = T.self) throws -> (shape: [Int], values: [T]) {
        guard let fp = fopen(path, "rb") else {
            throw IOFailure("cannot open: \(String(cString: strerror(errno)))", path: path)
        }
        defer { fclose(fp) }
        var pre = [UInt8](repeating: 0, count: 10)
        guard fread(&pre, 1, 10, fp) == 10, pre[0] == 0x93, Array(pre[1...5]) == Array("NUMPY".utf8) else {
            throw IOFailure("not a .npy file (bad magic)", path: path)
        }
        var headerLength = Int(pre[8]) | Int(pre[9]) << 8
        if pre[6] >= 2 {
            var more = [UInt8](repeating: 0, count: 2)
            _ = fread(&more, 1, 2, fp)
            headerLength |= Int(more[0]) << 16 | Int(more[1]) << 24
        }
        var dictBytes = [UInt8](repeating: 0, count: headerLength)
        guard fread(&dictBytes, 1, headerLength, fp) == headerLength else {
            throw IOFailure("truncated .npy header", path: path)
        }
        let dict = String(decoding: dictBytes, as: UTF8.self)
        guard dict.contains("'\(T.npyDType.rawValue)'") else {
            throw IOFailure("dtype is not \(T.npyDType.rawValue): \(dict)", path: path)
        }
        guard dict.contains("'fortran_order': False") else {
            throw IOFailure("Fortran-ordered arrays are not supported", path: path)
        }
        guard let open = dict.firstIndex(of: "("), let close = dict[open...].firstIndex(of: ")") else {
            throw IOFailure("no shape in header: \(dict)", path: path)
        }
        let shape = dict[dict.index(after: open)..<close].split(separator: ",")
            .map { $0.trimmingSpaces }.filter { !$0.isEmpty }.compactMap { Int($0) }
        let count = shape.reduce(1, *)
        var values = [T](unsafeUninitializedCapacity: count) { buf, n in
            n = fread(buf.baseAddress, MemoryLayout<T>.stride, count, fp)
        }
        guard values.count == count else {
            throw IOFailure("truncated .npy data: \(values.count) of \(count) values", path: path)
        }
        values.reserveCapacity(count)
        return (shape, values)
    }
}

extension Substring {
    var trimmingSpaces: String {
        String(self.drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
    }
}

/// Appends rows of a C-order array to a `.npy` file whose first dimension is not known in
/// advance; ``finish()`` patches the shape into the header and renames the file into place.
///
/// ```swift
/// let w = try NpyStreamWriter<Int32>(path: "x.npy", rowShape: [500])
/// for try await batch in batches { try w.append(batch.flat) }
/// try w.finish()
/// ```
/// Memory is bounded by what one `append` is given. Dropping the writer without `finish()`
/// removes the temporary file.
public final class NpyStreamWriter<T: NpyScalar> {
    public let rowShape: [Int]
    public private(set) var rows = 0
    private let file: AtomicFile
    private let rowSize: Int
    private let headerLength: Int

    public init(path: String, rowShape: [Int]) throws {
        self.rowShape = rowShape
        rowSize = rowShape.reduce(1, *)
        file = try AtomicFile(path: path)
        // Reserve room for a first dimension of up to 19 digits.
        let h = NpyFile.header(dtype: T.npyDType, shape: [Int(Int64.max)] + rowShape)
        headerLength = h.count
        try file.write(NpyFile.header(dtype: T.npyDType, shape: [0] + rowShape,
                                      minimumDictLength: h.count - 11))
    }

    /// Appends whole rows; `values.count` must be a multiple of the row size.
    public func append(_ values: [T]) throws {
        try values.withUnsafeBufferPointer { try append($0) }
    }

    /// Appends whole rows from a buffer (no copy into an array first).
    public func append(_ values: UnsafeBufferPointer<T>) throws {
        precondition(rowSize == 0 || values.count % rowSize == 0, "values are not whole rows")
        try file.write(UnsafeRawBufferPointer(values))
        rows += rowSize == 0 ? 0 : values.count / rowSize
    }

    public func finish() throws {
        let h = NpyFile.header(dtype: T.npyDType, shape: [rows] + rowShape, minimumDictLength: headerLength - 11)
        precondition(h.count == headerLength, "npy header length changed")
        try file.overwriteHeader(h)
        try file.commit()
    }
}

extension AtomicFile {
    /// Rewrites the first bytes of the temporary file (used to patch headers), keeping the offset.
    func overwriteHeader(_ bytes: [UInt8]) throws {
        let fd = open(temporaryPath, O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { throw IOFailure("cannot reopen temporary file", path: temporaryPath) }
        defer { close(fd) }
        let n = bytes.withUnsafeBytes { pwrite(fd, $0.baseAddress, bytes.count, 0) }
        guard n == bytes.count else { throw IOFailure("cannot patch header", path: path) }
    }
}
